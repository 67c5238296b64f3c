import CZlib

extension UnsafeMutablePointer where Pointee == z_stream {
    /// Points the stream at the next piece of `input` once it has used up the previous one, counting what
    /// was handed over in `fed`. zlib's `avail_in` is 32 bits wide, so input over 4 GiB goes in pieces.
    func feedNextPiece(of input: UnsafeRawBufferPointer, fed: inout Int) {
        guard self.pointee.avail_in == 0 && fed < input.count else { return }
        let piece = min(input.count - fed, Int(UInt32.max))
        self.pointee.next_in = UnsafeMutablePointer<Bytef>(
            mutating: input.baseAddress!.advanced(by: fed).assumingMemoryBound(to: Bytef.self)
        )
        self.pointee.avail_in = UInt32(piece)
        fed += piece
    }

    /// Forgets the buffers of the call that just ended, so the stream never holds pointers that outlived
    /// them.
    func detachBuffers() {
        self.pointee.next_in = nil
        self.pointee.avail_in = 0
        self.pointee.next_out = nil
        self.pointee.avail_out = 0
    }
}
