import CZlib
import NIOCore

/// Compresses the messages we send, one whole message at a time (RFC 7692 section 7.2.1).
///
/// Owns one zlib raw-deflate stream whose LZ77 window carries over from message to message (context takeover,
/// RFC 7692 section 7.2.3.2) unless the negotiated parameters say our side resets it for every message.
///
/// Not `Sendable`: the zlib stream is mutable state without locks. Create one per connection and use it only on
/// that connection's event loop. Messages must be compressed in the order they are sent, and once ``compress(_:)``
/// has returned, that message must go out compressed: later messages may refer back to its bytes.
public final class PerMessageDeflateCompressor {
    /// Messages shorter than this are better sent uncompressed (RSV1 clear), which RFC 7692 section 6 allows
    /// per message and which leaves both windows untouched.
    ///
    /// Measured with zlib: without shared context, deflate output for JSON under about 40 bytes is as large as
    /// the input (32 bytes became 33); with context takeover 40-byte messages already shrink threefold. The
    /// threshold is kept low for that reason.
    public static let minimumSizeWorthCompressing = 32

    private let stream: UnsafeMutablePointer<z_stream>
    private let resetsEveryMessage: Bool

    /// Creates the compressor for messages sent in `role` under `parameters`.
    ///
    /// zlib's raw deflate refuses a window of 8 bits (256 bytes): since 1.2.9 `deflateInit2` rejects -8, and
    /// before that it silently used 9. When 8 is negotiated we compress with 9, which is still within the
    /// agreement: zlib never refers back further than the window less `MIN_LOOKAHEAD` (262 bytes, `MAX_DIST` in
    /// deflate.h), so a 9-bit window reaches at most 250 bytes, inside the 256 a peer with an 8-bit inflate
    /// window keeps. (The zlib manual's warning about 8 concerns the zlib header, which records 9 and makes an
    /// 8-bit inflate refuse the stream; raw deflate has no header.) A test inflates our output with exactly 8 bits.
    ///
    /// - Parameter compressionLevel: zlib level 0 (store) to 9 (smallest); 6 is zlib's default balance.
    /// - Throws: ``PerMessageDeflateError/zlibFailure(_:code:)`` when zlib cannot allocate its state.
    public init(
        parameters: PerMessageDeflateParameters,
        role: PerMessageDeflateRole,
        compressionLevel: Int = 6
    ) throws(PerMessageDeflateError) {
        precondition((0...9).contains(compressionLevel), "compression level \(compressionLevel) is outside 0...9")
        let direction = parameters.sending(as: role)
        precondition(
            PerMessageDeflateOffer.windowBitsRange.contains(direction.maxWindowBits),
            "window bits \(direction.maxWindowBits) are outside 8...15"
        )
        let windowBits = max(direction.maxWindowBits, 9)

        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Negative window bits select raw deflate: no zlib header or Adler-32 trailer (RFC 7692 section 7.2.1).
        let code = CZlib_deflateInit2(stream, Int32(compressionLevel), -Int32(windowBits), 8, Z_DEFAULT_STRATEGY)
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .zlibFailure("deflateInit2", code: code)
        }
        self.stream = stream
        self.resetsEveryMessage = direction.noContextTakeover
    }

    deinit {
        deflateEnd(self.stream)
        self.stream.deinitialize(count: 1)
        self.stream.deallocate()
    }

    /// Compresses one whole message into the payload of a frame with RSV1 set (or of a fragmented message's
    /// frames, split however the caller likes).
    ///
    /// The deflate data is flushed with `Z_SYNC_FLUSH`, which ends it with an empty stored block, and that
    /// block's `00 00 ff ff` is removed (RFC 7692 section 7.2.1). An empty message becomes the single byte `00`
    /// (section 7.2.3.6).
    ///
    /// - Throws: ``PerMessageDeflateError/zlibFailure(_:code:)`` only if zlib reports misuse or runs out of
    ///   memory; the connection should then be closed, since the peer's window no longer matches ours.
    public func compress(
        _ message: ByteBuffer,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(PerMessageDeflateError) -> ByteBuffer {
        guard message.readableBytes > 0 else {
            // An empty stored block leaves the window unchanged, so zlib need not see the message at all; this
            // also avoids zlib answering a flush right after a flush with Z_BUF_ERROR and no output.
            var output = allocator.buffer(capacity: 1)
            output.writeInteger(UInt8(0))
            return output
        }
        let bound = Int(deflateBound(self.stream, UInt(message.readableBytes))) + 8
        var output = allocator.buffer(capacity: min(bound, max(4096, message.readableBytes / 2)))
        let step = message.withUnsafeReadableBytes { input in
            self.deflate(input, into: &output)
        }
        switch step {
        case .progressed:
            break
        case .failed(let code):
            deflateReset(self.stream)
            throw .zlibFailure("deflate", code: code)
        case .streamEnd, .corrupt:
            preconditionFailure("deflate returned \(step), which only inflate or Z_FINISH can")
        }
        // A sync flush always ends in an empty stored block: LEN 0000, NLEN ffff.
        let tailStart = output.writerIndex - 4
        precondition(output.getInteger(at: tailStart, as: UInt32.self) == 0x0000_ffff, "no sync flush marker")
        output.moveWriterIndex(to: tailStart)
        if self.resetsEveryMessage {
            // RFC 7692 section 7.1.1: no_context_takeover for our direction means an empty window per message.
            deflateReset(self.stream)
        }
        return output
    }

    /// Runs deflate over all of `input`, then flushes, growing `output` as needed.
    private func deflate(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) -> ZlibStep {
        defer { self.stream.detachBuffers() }
        var fed = 0
        while true {
            self.stream.feedNextPiece(of: input, fed: &fed)
            let flush = fed == input.count ? Z_SYNC_FLUSH : Z_NO_FLUSH
            if output.writableBytes == 0 {
                output.reserveCapacity(output.capacity * 2)
            }
            var code = Z_OK
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: 1) { space in
                let usable = min(space.count, Int(UInt32.max))
                self.stream.pointee.next_out = space.baseAddress!.assumingMemoryBound(to: Bytef.self)
                self.stream.pointee.avail_out = UInt32(usable)
                code = CZlib.deflate(self.stream, flush)
                return usable - Int(self.stream.pointee.avail_out)
            }
            let step = ZlibStep(code: code, stream: self.stream)
            guard step == .progressed else {
                return step
            }
            // The flush is complete once deflate returns with output space to spare (zlib.h, deflate()).
            if flush == Z_SYNC_FLUSH && self.stream.pointee.avail_out > 0 {
                return .progressed
            }
        }
    }
}

@available(*, unavailable)
extension PerMessageDeflateCompressor: Sendable {}
