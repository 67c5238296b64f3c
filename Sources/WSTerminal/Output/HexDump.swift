/// A `hexdump -C` style view of a binary payload, capped so that a large message does not flood the screen.
///
/// A row is `00000010  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 01 02 03  |hello world.....|`: the offset,
/// sixteen bytes in two groups of eight, and the bytes again as ASCII with `.` for anything unprintable.
struct HexDump {
    /// Bytes shown in one row.
    static let bytesPerRow = 16

    /// The most rows shown; the rest is summarised as a count of bytes left out.
    var maximumRows: Int

    /// A dump of at most `maximumRows` rows.
    init(maximumRows: Int = 8) {
        self.maximumRows = maximumRows
    }

    /// The rows for `bytes`, and how many bytes did not fit in them.
    func rows<Bytes: Collection<UInt8>>(of bytes: Bytes) -> (rows: [String], omittedBytes: Int) {
        let shown = Array(bytes.prefix(self.maximumRows * Self.bytesPerRow))
        var rows: [String] = []
        var offset = 0
        while offset < shown.count {
            let end = min(offset + Self.bytesPerRow, shown.count)
            rows.append(Self.row(offset: offset, bytes: shown[offset..<end]))
            offset = end
        }
        return (rows, bytes.count - shown.count)
    }

    /// One row: offset, hex columns padded to full width, and the ASCII column.
    static func row(offset: Int, bytes: ArraySlice<UInt8>) -> String {
        var text: [UInt8] = []
        Self.appendHex(UInt64(offset), digits: 8, to: &text)
        text.append(contentsOf: [0x20, 0x20])
        for column in 0..<Self.bytesPerRow {
            if column == Self.bytesPerRow / 2 {
                text.append(0x20)
            }
            if column < bytes.count {
                Self.appendHex(UInt64(bytes[bytes.startIndex + column]), digits: 2, to: &text)
            } else {
                text.append(contentsOf: [0x20, 0x20])
            }
            text.append(0x20)
        }
        text.append(contentsOf: Array(" |".utf8))
        for byte in bytes {
            text.append((0x20...0x7E).contains(byte) ? byte : UInt8(ascii: "."))
        }
        text.append(UInt8(ascii: "|"))
        return String(decoding: text, as: UTF8.self)
    }

    private static func appendHex(_ value: UInt64, digits: Int, to text: inout [UInt8]) {
        let alphabet = Array("0123456789abcdef".utf8)
        for position in (0..<digits).reversed() {
            text.append(alphabet[Int((value >> (4 * UInt64(position))) & 0xF)])
        }
    }
}
