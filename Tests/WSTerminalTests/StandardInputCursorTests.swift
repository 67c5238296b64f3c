import NIOCore
import WSEngine
import XCTest

@testable import WSTerminal

/// Stdin carried from one connection to the next (`--reconnect`): the batch whose send failed comes first,
/// and a message cut in pieces by the drop is not continued on the new connection.
final class StandardInputCursorTests: XCTestCase {
    private func names(_ commands: [SessionCommand]) -> [String] {
        commands.map { command in
            switch command {
            case .text(let bytes): "text \(String(buffer: bytes))"
            case .fragment(let bytes, _, let first, let final): "fragment \(String(buffer: bytes)) \(first) \(final)"
            default: "other"
            }
        }
    }

    func testTheUnsentBatchLosesOnlyThePiecesOfCutMessages() {
        let cursor = StandardInputCursor(StandardInputMessages(binary: false))
        cursor.resume()
        cursor.unsent = [
            .fragment(ByteBuffer(string: "a2"), binary: false, first: false, final: false),
            .fragment(ByteBuffer(string: "a3"), binary: false, first: false, final: true),
            .text(ByteBuffer(string: "b")),
            .fragment(ByteBuffer(string: "c1"), binary: false, first: true, final: false),
            .fragment(ByteBuffer(string: "c2"), binary: false, first: false, final: true),
            .fragment(ByteBuffer(string: "d1"), binary: false, first: true, final: false),
        ]
        cursor.resume()
        XCTAssertEqual(self.names(cursor.unsent), ["text b", "fragment c1 true false", "fragment c2 false true"])
    }

    func testTheRestOfACutLineIsDroppedAsItIsRead() async throws {
        var encoder = PieceEncoder(binary: false, splitsAtNUL: false)
        var sent: [SessionCommand] = []
        try await encoder.send([LineSplitter.Piece(bytes: ByteBuffer(string: "x1"), endsLine: false)], firstLine: 1) {
            sent += $0
        }
        XCTAssertEqual(self.names(sent), ["fragment x1 true false"])
        encoder.abandonMessage()
        sent = []
        let pieces = [
            LineSplitter.Piece(bytes: ByteBuffer(string: "x2"), endsLine: false),
            LineSplitter.Piece(bytes: ByteBuffer(string: "x3"), endsLine: true),
            LineSplitter.Piece(bytes: ByteBuffer(string: "y"), endsLine: true),
        ]
        try await encoder.send(pieces, firstLine: 1) { sent += $0 }
        XCTAssertEqual(self.names(sent), ["text y"])
    }
}
