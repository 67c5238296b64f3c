import NIOCore
import WSDeflate
import XCTest

/// Data that is not a valid permessage-deflate payload fails with a reason, never with wrong output.
final class CorruptDataTests: XCTestCase {
    private func decompress(_ hex: String) throws -> ByteBuffer {
        let decompressor = try PerMessageDeflateDecompressor(parameters: PerMessageDeflateParameters(), role: .client)
        return try decompressor.decompress(TestData.hex(hex), limit: 1 << 20)
    }

    func testInvalidBlockType() {
        XCTAssertThrowsError(try self.decompress("ff ff ff")) { error in
            XCTAssertEqual(error as? PerMessageDeflateError, .corruptData("invalid block type"))
        }
    }

    func testReferenceBeforeTheStart() {
        // The second "Hello" of RFC 7692 section 7.2.3.2 without the first: it points at history we lack.
        XCTAssertThrowsError(try self.decompress("f2 00 11 00 00")) { error in
            XCTAssertEqual(error as? PerMessageDeflateError, .corruptData("invalid distance too far back"))
        }
    }

    func testTruncatedMessage() {
        XCTAssertThrowsError(try self.decompress("f2 48 cd")) { error in
            XCTAssertEqual(error as? PerMessageDeflateError, .corruptData("message ends inside a deflate block"))
        }
    }

    func testStoredBlockWithWrongLengthCheck() {
        XCTAssertThrowsError(try self.decompress("00 05 00 fa fe 48 65 6c 6c 6f 00")) { error in
            XCTAssertEqual(error as? PerMessageDeflateError, .corruptData("invalid stored block lengths"))
        }
    }
}
