import CZlib
import NIOCore

/// A raw inflater on zlib directly with exactly the window a peer negotiated, so tests can check that our
/// compressor never refers back further than it agreed to. Also counts the output of huge streams without
/// keeping it.
///
/// zlib only enforces its window across calls: within one call, output already written serves as history too.
/// With `strict`, every call gets one byte of output space, so every back-reference must come from the window
/// and a distance beyond 2^windowBits fails with "invalid distance too far back". That is slow; keep it to
/// small messages.
final class StrictInflater {
    struct Failure: Error, Equatable {
        var reason: String
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private let chunkSize: Int

    init(windowBits: Int, strict: Bool = false) {
        self.chunkSize = strict ? 1 : 1 << 16
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        precondition(CZlib_inflateInit2(self.stream, -Int32(windowBits)) == Z_OK)
    }

    deinit {
        inflateEnd(self.stream)
        self.stream.deinitialize(count: 1)
        self.stream.deallocate()
    }

    /// Inflates one message payload with `00 00 ff ff` appended; `keep` false only counts the output.
    func inflate(_ payload: ByteBuffer, keep: Bool = true) throws(Failure) -> (output: ByteBuffer, count: Int) {
        var input = payload
        input.writeBytes([0x00, 0x00, 0xFF, 0xFF])
        var output = ByteBuffer()
        var count = 0
        var chunk = [UInt8](repeating: 0, count: self.chunkSize)
        let failure: String? = input.withUnsafeReadableBytes { bytes in
            self.stream.pointee.next_in = UnsafeMutablePointer(
                mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
            )
            self.stream.pointee.avail_in = UInt32(bytes.count)
            while true {
                let (code, produced) = chunk.withUnsafeMutableBufferPointer { chunk in
                    self.stream.pointee.next_out = chunk.baseAddress
                    self.stream.pointee.avail_out = UInt32(chunk.count)
                    let code = CZlib.inflate(self.stream, Z_SYNC_FLUSH)
                    return (code, chunk.count - Int(self.stream.pointee.avail_out))
                }
                count += produced
                if keep {
                    output.writeBytes(chunk[0..<produced])
                }
                guard code == Z_OK || code == Z_BUF_ERROR || code == Z_STREAM_END else {
                    return self.stream.pointee.msg.map { String(cString: $0) } ?? "code \(code)"
                }
                if code == Z_STREAM_END || (self.stream.pointee.avail_in == 0 && self.stream.pointee.avail_out > 0) {
                    return nil
                }
            }
        }
        self.stream.pointee.next_in = nil
        self.stream.pointee.next_out = nil
        if let failure {
            throw Failure(reason: failure)
        }
        return (output, count)
    }
}
