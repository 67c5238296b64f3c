import XCTest

@testable import WSEngine

final class UTF8ValidatorTests: XCTestCase {
    private func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { UTF8Validator.isValid($0) }
    }

    func testAcceptsWellFormedText() {
        XCTAssertTrue(self.isValid([]))
        XCTAssertTrue(self.isValid(Array("plain ASCII that is longer than eight bytes".utf8)))
        XCTAssertTrue(self.isValid(Array("κόσμε ✓ 𝄞 中文".utf8)))
        XCTAssertTrue(self.isValid([0xED, 0x9F, 0xBF]), "U+D7FF, the last code point before the surrogates")
        XCTAssertTrue(self.isValid([0xF4, 0x8F, 0xBF, 0xBF]), "U+10FFFF")
    }

    func testRejectsMalformedText() {
        let cases: [[UInt8]] = [
            [0x80],  // lone continuation byte
            [0xC0, 0xAF],  // overlong '/'
            [0xC1, 0xBF],  // overlong
            [0xE0, 0x80, 0xAF],  // overlong three-byte form
            [0xED, 0xA0, 0x80],  // surrogate U+D800
            [0xF0, 0x80, 0x80, 0xAF],  // overlong four-byte form
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80],  // invalid lead byte
            [0xFF],
            [0xCE, 0xBA, 0xE1],  // truncated at the end
            [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xC3, 0x28],  // bad after an ASCII run
        ]
        for bytes in cases {
            XCTAssertFalse(self.isValid(bytes), "\(bytes)")
        }
    }

    func testValidatesAcrossFragmentBoundaries() {
        let text = Array("a€b𝄞".utf8)
        for split in 0...text.count {
            var validator = UTF8Validator()
            XCTAssertTrue(text[..<split].withUnsafeBytes { validator.consume($0) })
            XCTAssertTrue(text[split...].withUnsafeBytes { validator.consume($0) })
            XCTAssertTrue(validator.isAtBoundary, "split at \(split)")
        }
    }

    func testFailsOnTheFirstBadFragmentWithoutWaitingForTheEnd() {
        var validator = UTF8Validator()
        XCTAssertTrue([UInt8]([0xCE, 0xBA]).withUnsafeBytes { validator.consume($0) })
        XCTAssertFalse([UInt8]([0xE1, 0x28]).withUnsafeBytes { validator.consume($0) })
    }

    func testIncompleteSequenceIsNotAtBoundary() {
        var validator = UTF8Validator()
        XCTAssertTrue([UInt8]([0xE2, 0x82]).withUnsafeBytes { validator.consume($0) })
        XCTAssertFalse(validator.isAtBoundary)
    }
}
