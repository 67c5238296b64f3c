/// Which end of the connection a compressor or decompressor serves.
///
/// Parameters are named after client and server (RFC 7692 section 7.1), so the role picks which of them govern
/// the messages we send and which the messages we receive.
public enum PerMessageDeflateRole: Sendable, Hashable {
    /// We opened the connection: we send under the `client_*` parameters and receive under the `server_*` ones.
    case client
    /// We accepted the connection: we send under the `server_*` parameters and receive under the `client_*` ones.
    case server
}
