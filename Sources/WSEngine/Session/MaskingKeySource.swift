#if canImport(Glibc)
    import Glibc
#endif

/// Hands out client masking keys (RFC 6455 section 5.3) from the kernel's random source, fetched in blocks.
///
/// The RFC asks for keys that cannot be predicted, so they come from the kernel (`/dev/urandom`); reading
/// 4 KiB at a time keeps that to a few system calls per 512 frames instead of one per frame, which matters
/// when piping hundreds of thousands of small messages.
///
/// A key is handed out as the word the encoder masks with, its first byte the word's lowest: building NIO's
/// `WebSocketMaskingKey` from bytes is generic and not inlinable, and cost about a tenth of all the
/// instructions of a run of small messages (an array, and generic metadata looked up at every frame).
struct MaskingKeySource {
    private var block = [UInt64](repeating: 0, count: 512)
    private var used = 512

    /// The next key: four random bytes, the first in the lowest bits.
    mutating func nextKeyWord() -> UInt32 {
        if self.used == self.block.count {
            self.refill()
        }
        defer { self.used += 1 }
        return UInt32(truncatingIfNeeded: self.block[self.used])
    }

    private mutating func refill() {
        if !Self.readKernelRandom(into: &self.block) {
            var generator = SystemRandomNumberGenerator()
            for index in self.block.indices {
                self.block[index] = generator.next()
            }
        }
        self.used = 0
    }

    /// Fills `block` from `/dev/urandom` in one read; false when the device cannot be opened or the read comes
    /// short (a signal can cut a read of more than 256 bytes), in which case the caller asks the system
    /// generator instead, one system call per value.
    static func readKernelRandom(into block: inout [UInt64]) -> Bool {
        #if canImport(Glibc)
            let device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            guard device >= 0 else {
                return false
            }
            defer { close(device) }
            return block.withUnsafeMutableBytes { read(device, $0.baseAddress, $0.count) == $0.count }
        #else
            return false
        #endif
    }
}
