import XCTest

@testable import WSTerminal

final class BracketedPasteTests: XCTestCase {
    private static func bytes(_ text: String) -> ArraySlice<UInt8> {
        ArraySlice(Array(text.utf8))
    }

    private static func scalars(_ text: String) -> [Unicode.Scalar] {
        Array(text.unicodeScalars)
    }

    func testKeystrokesThatDoNotStartAPasteAreLeftAlone() {
        var paste = BracketedPaste()
        XCTAssertEqual(paste.take(Self.bytes("abc")), .notPasted)
        XCTAssertEqual(paste.take(Self.bytes("\u{1B}[A")), .notPasted)
        XCTAssertEqual(paste.take(Self.bytes("\u{1B}")), .notPasted, "a lone Escape waits for nothing")
        XCTAssertEqual(paste.take([]), .notPasted)
        XCTAssertFalse(paste.isPasting)
    }

    func testAPastedBlockIsTextWithItsLineBreaksAsLineFeeds() {
        var paste = BracketedPaste()
        let typed = "\u{1B}[200~{\r  \"a\": 1,\r\n  \"b\": 2\n}\u{1B}[201~x"
        XCTAssertEqual(
            paste.take(Self.bytes(typed)),
            .text(Self.scalars("{\n  \"a\": 1,\n  \"b\": 2\n}"), consumed: typed.utf8.count - 1)
        )
        XCTAssertFalse(paste.isPasting)
    }

    func testControlCharactersAndBytesThatAreNotUTF8AreDroppedAndTabsKept() {
        var paste = BracketedPaste()
        let bytes = Array("\u{1B}[200~a\u{03}\u{1B}[2Jb\tc".utf8) + [0xFF] + Array("d\u{1B}[201~".utf8)
        XCTAssertEqual(paste.take(ArraySlice(bytes)), .text(Self.scalars("a[2Jb\tcd"), consumed: bytes.count))
    }

    func testAPasteGoesOnAcrossReadsWithItsEndMarkerCharactersAndCRLFCutAnywhere() {
        let whole = Array("\u{1B}[200~é one\r\ntwo\u{1B}[201~".utf8)
        // A terminal writes the start marker in one piece: cuts start after it.
        for cut in 6..<whole.count {
            XCTAssertEqual(Self.read(whole, cutAt: cut), Self.scalars("é one\ntwo"), "cut at \(cut)")
        }
    }

    /// What a reader gets from `bytes` arriving in two reads, cut at `cut`, taking text until the paste ends.
    private static func read(_ bytes: [UInt8], cutAt cut: Int) -> [Unicode.Scalar] {
        var paste = BracketedPaste()
        var pending = ArraySlice(bytes[..<cut])
        var later = bytes[cut...]
        var text: [Unicode.Scalar] = []
        while true {
            switch paste.take(pending) {
            case .notPasted:
                XCTFail("not a paste")
                return text
            case .incomplete:
                guard !later.isEmpty else {
                    XCTFail("incomplete with everything read")
                    return text
                }
                pending = ArraySlice(Array(pending) + later)
                later = []
            case .text(let scalars, let consumed):
                text += scalars
                pending = pending.dropFirst(consumed)
                if !paste.isPasting {
                    return text
                }
            }
        }
    }
}
