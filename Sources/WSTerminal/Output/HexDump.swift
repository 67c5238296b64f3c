/// A `hexdump -C` style view of a binary payload, capped so that a large message does not flood the screen.
///
/// A row is `00000010  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 01 02 03  |hello world.....|`: the offset,
/// sixteen bytes in groups of eight, and the bytes again as ASCII with `.` for anything unprintable. On a
/// narrow terminal rows hold eight or four bytes, so that a row never wraps inside its ASCII column.
struct HexDump {
    /// The most bytes a row holds.
    static let bytesPerRow = 16

    /// The most bytes shown; the rest is summarised as a count of bytes left out. `nil` shows every byte.
    var maximumBytes: Int?
    /// Bytes shown in one row: 16, 8 or 4.
    var bytesPerRow: Int

    /// A dump of at most `maximumBytes` bytes, `bytesPerRow` to a row.
    init(maximumBytes: Int? = 128, bytesPerRow: Int = Self.bytesPerRow) {
        self.maximumBytes = maximumBytes
        self.bytesPerRow = bytesPerRow
    }

    /// The widest rows (16, 8 or 4 bytes) that fit in `columns`; 4 when none does.
    static func bytesPerRow(fitting columns: Int) -> Int {
        [16, 8].first { Self.rowWidth(bytesPerRow: $0) <= columns } ?? 4
    }

    /// The columns a row of `count` bytes takes: offset, hex with a space between groups of eight, ASCII.
    static func rowWidth(bytesPerRow count: Int) -> Int {
        13 + 4 * count + max(0, (count - 1) / 8)
    }

    /// The rows for `bytes`, and how many bytes did not fit in them.
    func rows<Bytes: Collection<UInt8>>(of bytes: Bytes) -> (rows: [String], omittedBytes: Int) {
        let shown = Array(bytes.prefix(self.maximumBytes ?? Int.max))
        var rows: [String] = []
        var offset = 0
        while offset < shown.count {
            let end = min(offset + self.bytesPerRow, shown.count)
            rows.append(Self.row(offset: offset, bytes: shown[offset..<end], bytesPerRow: self.bytesPerRow))
            offset = end
        }
        return (rows, bytes.count - shown.count)
    }

    /// One row: offset, hex columns padded to full width, and the ASCII column.
    static func row(offset: Int, bytes: ArraySlice<UInt8>, bytesPerRow: Int = Self.bytesPerRow) -> String {
        var text: [UInt8] = []
        Self.appendHex(UInt64(offset), digits: 8, to: &text)
        text.append(contentsOf: [0x20, 0x20])
        for column in 0..<bytesPerRow {
            if column > 0, column % 8 == 0 {
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
