import CZlib

/// What one call of `deflate()` or `inflate()` achieved, so zlib's return-code conventions live in one place.
enum ZlibStep: Hashable, Sendable {
    /// Z_OK or Z_BUF_ERROR: some or no progress; whether the work is done is read from `avail_in` and
    /// `avail_out`, because Z_BUF_ERROR only means "no progress was possible", not failure.
    case progressed
    /// Z_STREAM_END: inflate finished a block with BFINAL set, which ends the deflate stream.
    case streamEnd
    /// Z_DATA_ERROR or Z_NEED_DICT: the input is not valid raw deflate data; zlib's reason is attached.
    case corrupt(String)
    /// Any other code (Z_MEM_ERROR, Z_STREAM_ERROR): a failure that is not the data's fault.
    case failed(Int32)

    /// Classifies `code`, returned by a call on `stream`.
    init(code: Int32, stream: UnsafePointer<z_stream>) {
        switch code {
        case Z_OK, Z_BUF_ERROR:
            self = .progressed
        case Z_STREAM_END:
            self = .streamEnd
        case Z_DATA_ERROR, Z_NEED_DICT:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid deflate data"
            self = .corrupt(reason)
        default:
            self = .failed(code)
        }
    }
}
