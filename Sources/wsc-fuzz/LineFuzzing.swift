#if DEBUG || FUZZING
    import NIOCore
    @testable import WSTerminal

    /// Stdin split in reads of a size the input chooses, with small pieces: the lines and pieces join up to
    /// the input, and every line's JSON escaping has no raw control character.
    enum LineFuzzing {
        static func run(steer: UInt8, _ body: [UInt8]) {
            var splitter = LineSplitter(maximumPieceSize: Int(steer & 0x0F) + 1)
            var joined: [UInt8] = []
            var inLine = false
            func take(_ piece: LineSplitter.Piece) {
                joined += piece.bytes.readableBytesView
                if piece.endsLine {
                    joined.append(0x0A)
                }
                inLine = !piece.endsLine
                var json = ByteBuffer()
                JSONLine.writeString(piece.bytes, to: &json)
                precondition(!json.readableBytesView.contains { $0 < 0x20 }, "a raw control character in JSON")
            }
            for read in pieces(body, size: Int(steer >> 4) + 1) {
                var buffer = splitter.bufferForNextRead(minimumSpace: read.count)
                buffer.writeBytes(read)
                splitter.split(buffer).forEach(take)
            }
            if let last = splitter.finish(splitter.bufferForNextRead(minimumSpace: 1)) {
                take(last)
            } else {
                precondition(!inLine, "a line in pieces never ended")
            }
            // CR before LF is dropped, and a final line gets a newline: compare with the same applied.
            var expected = body
            if let last = expected.last, last != 0x0A {
                expected.append(0x0A)
            }
            var normalized: [UInt8] = []
            for (index, byte) in expected.enumerated()
            where !(byte == 0x0D && index + 1 < expected.count && expected[index + 1] == 0x0A) {
                normalized.append(byte)
            }
            precondition(joined == normalized, "the lines do not join up to the input")
        }
    }
#endif
