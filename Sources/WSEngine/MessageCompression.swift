import WSDeflate

/// The permessage-deflate state of one session (RFC 7692): a zlib stream for each direction, set up for
/// what both ends agreed on.
///
/// A reference to two zlib streams, not a value: the streams' windows carry over from message to message, so
/// the session state machine owns exactly one of these for the life of the connection, on its event loop.
struct MessageCompression {
    /// Compresses the messages we send.
    let compressor: PerMessageDeflateCompressor
    /// Decompresses the messages we receive with RSV1 set.
    let decompressor: PerMessageDeflateDecompressor

    /// Creates both streams for `role`; throws only when zlib cannot allocate its state.
    init(parameters: PerMessageDeflateParameters, role: SessionRole) throws(PerMessageDeflateError) {
        self.compressor = try PerMessageDeflateCompressor(parameters: parameters, role: role.deflateRole)
        self.decompressor = try PerMessageDeflateDecompressor(parameters: parameters, role: role.deflateRole)
    }
}
