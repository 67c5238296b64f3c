import CZlib
import NIOCore

/// Decompresses the messages we receive with RSV1 set, one whole message at a time (RFC 7692 section 7.2.2).
///
/// Owns one zlib raw-inflate stream. Its window carries over between messages, because the peer may refer back
/// to earlier messages (context takeover, RFC 7692 section 7.2.3.2), unless the peer agreed to reset its own
/// window per message, in which case ours is reset too.
///
/// It always inflates with a 15-bit (32 KiB) window, whatever window size was negotiated for the peer: a
/// negotiated size only bounds how far back the peer's data may refer, and a larger inflate window reads every
/// stream a smaller one reads. It also accepts peers that, like zlib itself, silently compress with 9 bits when
/// 8 was agreed. The price is at most 32 KiB per connection.
///
/// Not `Sendable`: the zlib stream is mutable state without locks. Create one per connection and use it only on
/// that connection's event loop, for messages in the order they arrive. After it throws, the shared window is
/// lost, so the connection must be closed.
public final class PerMessageDeflateDecompressor {
    /// The empty stored block the sender removed (RFC 7692 sections 7.2.1 and 7.2.2).
    private static let syncFlushTail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    private let stream: UnsafeMutablePointer<z_stream>
    private let resetsEveryMessage: Bool

    /// The largest output buffer capacity the last ``decompress(_:limit:allocator:)`` call held, so tests can
    /// show that memory follows the limit rather than the data.
    private(set) var lastPeakOutputCapacity = 0

    /// What one pass of inflate over a piece of input ended with.
    private enum InflateOutcome: Equatable {
        case inputConsumed
        case streamEnded
        case limitExceeded
        case failed(PerMessageDeflateError)
    }

    /// Creates the decompressor for messages received in `role` under `parameters`.
    ///
    /// - Throws: ``PerMessageDeflateError/zlibFailure(_:code:)`` when zlib cannot allocate its state.
    public init(parameters: PerMessageDeflateParameters, role: PerMessageDeflateRole) throws(PerMessageDeflateError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let code = CZlib_inflateInit2(stream, -15)
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .zlibFailure("inflateInit2", code: code)
        }
        self.stream = stream
        self.resetsEveryMessage = parameters.receiving(as: role).noContextTakeover
    }

    deinit {
        inflateEnd(self.stream)
        self.stream.deinitialize(count: 1)
        self.stream.deallocate()
    }

    /// Decompresses the payload of one message: the payloads of all its frames joined, the first of which had
    /// RSV1 set.
    ///
    /// `00 00 ff ff` is appended before inflating (RFC 7692 section 7.2.2), without copying the payload. The
    /// output never grows past `limit` bytes: once it is full, a one-byte probe tells whether more would follow,
    /// and if so decompression stops. Memory is therefore bounded by `limit` (rounded up to a power of two by
    /// `ByteBuffer`) however small and explosive the input. Data after a block with BFINAL set is ignored
    /// (section 7.2.3.5). An empty payload is taken as an empty message, as some deflate implementations
    /// produce nothing for it rather than the `00` of section 7.2.3.6.
    ///
    /// - Parameter limit: The largest message to accept, in bytes; use the connection's maximum message size.
    /// - Throws: ``PerMessageDeflateError/limitExceeded``, ``PerMessageDeflateError/corruptData(_:)`` (also for
    ///   a message that ends inside a deflate block, or refers back further than the data we have), or
    ///   ``PerMessageDeflateError/zlibFailure(_:code:)``.
    public func decompress(
        _ payload: ByteBuffer,
        limit: Int,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(PerMessageDeflateError) -> ByteBuffer {
        precondition(limit >= 0, "negative decompression limit \(limit)")
        var output = allocator.buffer(capacity: min(limit, max(4096, payload.readableBytes &* 4)))
        self.lastPeakOutputCapacity = output.capacity
        guard payload.readableBytes > 0 else {
            return output
        }
        var outcome = payload.withUnsafeReadableBytes { input in
            self.inflate(input, into: &output, limit: limit)
        }
        if outcome == .inputConsumed {
            outcome = Self.syncFlushTail.withUnsafeBytes { tail in
                self.inflate(tail, into: &output, limit: limit)
            }
        }
        switch outcome {
        case .inputConsumed:
            // With the empty stored block appended, a complete message ends exactly on a block boundary; zlib
            // flags that with 128 in data_type. Anything else means the message was cut short.
            guard self.stream.pointee.data_type & 128 != 0 else {
                inflateReset(self.stream)
                throw .corruptData("message ends inside a deflate block")
            }
            if self.resetsEveryMessage {
                inflateReset(self.stream)
            }
        case .streamEnded:
            self.restartAfterFinalBlock()
        case .limitExceeded:
            inflateReset(self.stream)
            throw .limitExceeded
        case .failed(let error):
            inflateReset(self.stream)
            throw error
        }
        return output
    }

    /// Inflates all of `input` into `output`, never letting `output` hold more than `limit` bytes.
    private func inflate(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer, limit: Int) -> InflateOutcome {
        defer { self.stream.detachBuffers() }
        var fed = 0
        while true {
            self.stream.feedNextPiece(of: input, fed: &fed)
            let room = limit - output.readableBytes
            var code = Z_OK
            if room > 0 {
                if output.writableBytes == 0 {
                    output.reserveCapacity(min(limit, max(4096, output.capacity * 2)))
                    self.lastPeakOutputCapacity = max(self.lastPeakOutputCapacity, output.capacity)
                }
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: 1) { space in
                    let usable = min(space.count, room, Int(UInt32.max))
                    self.stream.pointee.next_out = space.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    self.stream.pointee.avail_out = UInt32(usable)
                    code = CZlib.inflate(self.stream, Z_SYNC_FLUSH)
                    return usable - Int(self.stream.pointee.avail_out)
                }
            } else {
                // The output holds `limit` bytes. If inflate can still fill one more, the message is too big.
                var probe: UInt8 = 0
                withUnsafeMutablePointer(to: &probe) { probe in
                    self.stream.pointee.next_out = probe
                    self.stream.pointee.avail_out = 1
                    code = CZlib.inflate(self.stream, Z_SYNC_FLUSH)
                }
                if self.stream.pointee.avail_out == 0 {
                    return .limitExceeded
                }
            }
            switch ZlibStep(code: code, stream: self.stream) {
            case .progressed:
                // inflate returns with output space left only once it has used up its input.
                if self.stream.pointee.avail_out > 0 && self.stream.pointee.avail_in == 0 && fed == input.count {
                    return .inputConsumed
                }
            case .streamEnd:
                return .streamEnded
            case .corrupt(let reason):
                return .failed(.corruptData(reason))
            case .failed(let code):
                return .failed(.zlibFailure("inflate", code: code))
            }
        }
    }

    /// Prepares for the next message after the peer ended its deflate stream with BFINAL set, which RFC 7692
    /// section 7.2.3.5 allows for implementations that cannot flush otherwise.
    ///
    /// zlib will not read past the end of a stream, so the stream is reset; with context takeover the window is
    /// carried into the new stream as a preset dictionary, because the peer may still refer back to it.
    private func restartAfterFinalBlock() {
        guard !self.resetsEveryMessage else {
            inflateReset(self.stream)
            return
        }
        var window = [UInt8](repeating: 0, count: 1 << 15)
        var length: UInt32 = 0
        let saved = window.withUnsafeMutableBufferPointer { window in
            inflateGetDictionary(self.stream, window.baseAddress, &length)
        }
        inflateReset(self.stream)
        if saved == Z_OK && length > 0 {
            _ = window.withUnsafeBufferPointer { window in
                inflateSetDictionary(self.stream, window.baseAddress, length)
            }
        }
    }
}

@available(*, unavailable)
extension PerMessageDeflateDecompressor: Sendable {}
