import NIOCore
import NIOWebSocket
import WSDeflate
import XCTest

@testable import WSEngine

/// permessage-deflate in the session state machine, without channels: RSV1 rules (RFC 7692 section 6.1),
/// inflating with the size limit, UTF-8 after inflating, and compressing what we send.
final class SessionCompressionTests: XCTestCase {
    /// A server-side compressor, standing in for the peer of a client session.
    private let peer = try! PerMessageDeflateCompressor(parameters: PerMessageDeflateParameters(), role: .server)

    private func clientMachine(maxMessageSize: Int = 1 << 20) throws -> SessionStateMachine {
        SessionStateMachine(
            maxMessageSize: maxMessageSize,
            compression: try MessageCompression(parameters: PerMessageDeflateParameters(), role: .client)
        )
    }

    private func compressed(_ text: String) throws -> ByteBuffer {
        try self.peer.compress(ByteBuffer(string: text))
    }

    private func frame(
        _ opcode: WebSocketOpcode,
        _ data: ByteBuffer,
        fin: Bool = true,
        rsv1: Bool = false,
        rsv2: Bool = false
    ) -> WebSocketFrame {
        WebSocketFrame(fin: fin, rsv1: rsv1, rsv2: rsv2, opcode: opcode, data: data)
    }

    private func violation(_ action: SessionStateMachine.FrameAction) -> ProtocolViolation? {
        guard case .failConnection(_, let report) = action else { return nil }
        return report.violation
    }

    private func deliveredText(_ action: SessionStateMachine.FrameAction) -> String? {
        guard case .deliver(.text(let payload)) = action else { return nil }
        return String(buffer: payload)
    }

    func testCompressedMessagesAreInflatedWithContextTakeover() throws {
        var machine = try self.clientMachine()
        let first = String(repeating: "hello compression ", count: 20)
        XCTAssertEqual(
            self.deliveredText(machine.received(self.frame(.text, try self.compressed(first), rsv1: true))),
            first
        )
        // The second message refers back to the first one's bytes.
        XCTAssertEqual(
            self.deliveredText(machine.received(self.frame(.text, try self.compressed(first), rsv1: true))),
            first
        )
        XCTAssertEqual(self.deliveredText(machine.received(self.frame(.text, ByteBuffer(string: "plain")))), "plain")
    }

    func testFragmentedCompressedMessageHasRSV1OnlyOnItsFirstFrame() throws {
        var machine = try self.clientMachine()
        let text = String(repeating: "fragmented and compressed ", count: 40)
        var data = try self.compressed(text)
        let head = data.readSlice(length: data.readableBytes / 2)!
        guard case .none = machine.received(self.frame(.text, head, fin: false, rsv1: true)) else {
            return XCTFail("first fragment is held")
        }
        guard case .answerPing = machine.received(self.frame(.ping, ByteBuffer(string: "p"))) else {
            return XCTFail("a ping between fragments is answered at once")
        }
        XCTAssertEqual(self.deliveredText(machine.received(self.frame(.continuation, data))), text)
    }

    func testRSV1RulesCloseWith1002() throws {
        let cases: [(String, [WebSocketFrame])] = [
            (
                "continuation frame",
                [
                    self.frame(.text, try self.compressed("abc"), fin: false, rsv1: true),
                    self.frame(.continuation, ByteBuffer(), rsv1: true),
                ]
            ),
            ("control frame", [self.frame(.ping, ByteBuffer(), rsv1: true)]),
            ("control frame", [self.frame(.connectionClose, ByteBuffer(bytes: [0x03, 0xE8]), rsv1: true)]),
            ("reserved bits", [self.frame(.text, ByteBuffer(string: "x"), rsv2: true)]),
        ]
        for (message, frames) in cases {
            var machine = try self.clientMachine()
            var last = SessionStateMachine.FrameAction.none
            for frame in frames {
                last = machine.received(frame)
            }
            let violation = try XCTUnwrap(self.violation(last), message)
            XCTAssertEqual(violation.closeCode, .protocolError)
            XCTAssertTrue(violation.description.contains(message), violation.description)
        }
    }

    func testRSV1WithoutNegotiationIs1002() throws {
        var machine = SessionStateMachine(maxMessageSize: 100)
        let violation = self.violation(machine.received(self.frame(.text, try self.compressed("abc"), rsv1: true)))
        XCTAssertEqual(violation?.closeCode, .protocolError)
        XCTAssertTrue(violation?.description.contains("no extension was negotiated") ?? false)
    }

    func testCorruptDataIs1007() throws {
        var machine = try self.clientMachine()
        let violation = self.violation(
            machine.received(self.frame(.binary, ByteBuffer(bytes: [0xFF, 0xFF]), rsv1: true))
        )
        XCTAssertEqual(violation?.closeCode, .invalidPayloadData)
        XCTAssertTrue(violation?.description.contains("corrupt") ?? false, "\(String(describing: violation))")
    }

    func testInflatingPastTheLimitIs1009() throws {
        var machine = try self.clientMachine(maxMessageSize: 1000)
        let bomb = try self.peer.compress(ByteBuffer(repeating: 0, count: 1 << 20))
        XCTAssertLessThan(bomb.readableBytes, 2000, "a small frame")
        let violation = self.violation(machine.received(self.frame(.binary, bomb, rsv1: true)))
        XCTAssertEqual(violation?.closeCode, .messageTooBig)
        XCTAssertTrue(violation?.description.contains("inflates to more than 1000 bytes") ?? false)
    }

    func testCompressedBytesAreHeldToTheLimitWhileFragmentsArrive() throws {
        var machine = try self.clientMachine(maxMessageSize: 1000)
        let chunk = ByteBuffer(repeating: 0x41, count: 800)
        guard case .none = machine.received(self.frame(.binary, chunk, fin: false, rsv1: true)) else {
            return XCTFail()
        }
        XCTAssertEqual(
            self.violation(machine.received(self.frame(.continuation, chunk, fin: false)))?.closeCode,
            .messageTooBig
        )
    }

    func testTextThatIsNotUTF8OnceInflatedIs1007() throws {
        var machine = try self.clientMachine()
        let data = try self.peer.compress(ByteBuffer(bytes: Array(repeating: 0x61, count: 40) + [0xC3, 0x28]))
        XCTAssertEqual(
            self.violation(machine.received(self.frame(.text, data, rsv1: true)))?.closeCode,
            .invalidPayloadData
        )
    }

    func testOutgoingMessagesAreCompressedUnlessTiny() throws {
        var machine = try self.clientMachine()
        let inflater = try PerMessageDeflateDecompressor(parameters: PerMessageDeflateParameters(), role: .server)
        guard case .send(let tiny, compressed: false) = machine.sending(ByteBuffer(string: "hi")) else {
            return XCTFail("tiny messages go as they are")
        }
        XCTAssertEqual(String(buffer: tiny), "hi")
        let text = String(repeating: "compress me ", count: 100)
        for _ in 0..<2 {
            guard case .send(let data, compressed: true) = machine.sending(ByteBuffer(string: text)) else {
                return XCTFail("large messages are compressed")
            }
            XCTAssertLessThan(data.readableBytes, text.utf8.count / 4)
            XCTAssertEqual(String(buffer: try inflater.decompress(data, limit: 1 << 20)), text)
        }
        _ = machine.closeRequested(.normalClosure, reason: "")
        guard case .discard = machine.sending(ByteBuffer(string: text)) else {
            return XCTFail("nothing after our Close, and nothing compressed for it")
        }
    }

    func testServerRoleRequiresMaskedFrames() throws {
        var server = SessionStateMachine(role: .server, maxMessageSize: 100)
        let masked = WebSocketFrame(
            fin: true,
            opcode: .text,
            maskKey: [1, 2, 3, 4],
            data: ByteBuffer(bytes: Array("hello".utf8).enumerated().map { $0.element ^ UInt8($0.offset % 4 + 1) })
        )
        XCTAssertEqual(self.deliveredText(server.received(masked)), "hello")
        let violation = self.violation(server.received(self.frame(.text, ByteBuffer(string: "x"))))
        XCTAssertEqual(violation?.closeCode, .protocolError)
        XCTAssertEqual(violation?.description, "client sent an unmasked frame")
    }
}
