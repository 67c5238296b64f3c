/// The outcome of one OpenSSL operation on a non-blocking connection, with OpenSSL's return-code conventions
/// (`SSL_get_error(3)`) left behind in `TLSConnection`.
enum TLSResult<Value> {
    /// The operation needs more bytes from the network before it can go on.
    case incomplete
    /// The operation finished with this value.
    case complete(Value)
    /// The connection failed; nothing more can be done with it.
    case failed(TLSError)
}
