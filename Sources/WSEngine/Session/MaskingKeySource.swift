import NIOWebSocket

#if canImport(Glibc)
    import Glibc
#endif

/// Hands out client masking keys (RFC 6455 section 5.3) from the kernel's random source, fetched in blocks.
///
/// The RFC asks for keys that cannot be predicted, so they come from the kernel (`/dev/urandom`); reading
/// 4 KiB at a time keeps that to a few system calls per 1,024 frames instead of one per frame, which matters
/// when piping hundreds of thousands of small messages.
struct MaskingKeySource {
    private var block = [UInt32](repeating: 0, count: 1024)
    private var used = 1024

    /// The next key.
    mutating func next() -> WebSocketMaskingKey {
        if self.used == self.block.count {
            self.refill()
        }
        let bits = self.block[self.used]
        self.used += 1
        return WebSocketMaskingKey([
            UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
            UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24),
        ])!
    }

    private mutating func refill() {
        #if canImport(Glibc)
            let device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            if device >= 0 {
                defer { close(device) }
                let filled = self.block.withUnsafeMutableBytes { read(device, $0.baseAddress, $0.count) }
                if filled == self.block.count * 4 {
                    self.used = 0
                    return
                }
            }
        #endif
        var generator = SystemRandomNumberGenerator()
        for index in self.block.indices {
            self.block[index] = generator.next()
        }
        self.used = 0
    }
}
