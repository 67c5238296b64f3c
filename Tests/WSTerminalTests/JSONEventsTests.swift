import Foundation
import NIOCore
import WSEngine
import XCTest

@testable import WSTerminal

/// The objects of `--events`, parsed back by Foundation's JSON parser, field by field.
final class JSONEventsTests: XCTestCase {
    private func object(_ line: ByteBuffer) throws -> [String: Any] {
        let text = String(buffer: line)
        XCTAssertTrue(text.hasSuffix("}\n"), text)
        XCTAssertEqual(text.filter { $0 == "\n" }.count, 1, text)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testOpen() throws {
        let handshake = HandshakeInfo(
            requestLine: "GET / HTTP/1.1",
            requestHeaders: [],
            statusLine: "HTTP/1.1 101 Switching Protocols",
            responseHeaders: [
                HeaderField(name: "Upgrade", value: "websocket"),
                HeaderField(name: "Set-Cookie", value: "session=secret"),
                HeaderField(name: "X-Two", value: "a"), HeaderField(name: "x-two", value: "b\u{1B}"),
                HeaderField(name: "Sec-WebSocket-Extensions", value: "permessage-deflate"),
            ],
            subprotocol: "chat"
        )
        let open = try self.object(JSONEvents(timestamps: false).open(url: "ws://h/", handshake: handshake))
        XCTAssertEqual(
            Array(open.keys).sorted(),
            ["extensions", "headers", "http", "status", "subprotocol", "type", "url"]
        )
        XCTAssertEqual(open["type"] as? String, "open")
        XCTAssertEqual(open["http"] as? String, "HTTP/1.1")
        XCTAssertEqual(open["url"] as? String, "ws://h/")
        XCTAssertEqual(open["status"] as? Int, 101)
        XCTAssertEqual(open["subprotocol"] as? String, "chat")
        XCTAssertEqual(open["extensions"] as? String, "permessage-deflate")
        let headers = try XCTUnwrap(open["headers"] as? [String: String])
        XCTAssertEqual(headers["Set-Cookie"], Redaction.marker)
        XCTAssertEqual(headers["X-Two"], "a, b\u{1B}")
        XCTAssertEqual(headers["Upgrade"], "websocket")
    }

    func testPingPongCloseAndError() throws {
        let events = JSONEvents(timestamps: true)
        let pong = try self.object(
            events.control("pong", payload: ByteBuffer(string: "p"), roundTrip: .microseconds(1500))
        )
        XCTAssertEqual(pong["type"] as? String, "pong")
        XCTAssertEqual(pong["data"] as? String, "p")
        XCTAssertEqual(pong["rtt_ms"] as? Double, 1.5)
        XCTAssertTrue((pong["time"] as? String)?.hasSuffix("Z") == true)
        let binary = try self.object(events.control("ping", payload: ByteBuffer(bytes: [0xFF, 0x00]), roundTrip: nil))
        XCTAssertEqual(binary["data"] as? String, "/wA=")
        XCTAssertEqual(binary["binary"] as? Bool, true)
        XCTAssertNil(binary["rtt_ms"])
        let report = CloseReport(initiator: .remote, code: CloseCode(4001), reason: "bye \"now\"")
        let close = try self.object(events.close(report))
        XCTAssertEqual(close["code"] as? Int, 4001)
        XCTAssertEqual(close["reason"] as? String, "bye \"now\"")
        XCTAssertEqual(close["by"] as? String, "server")
        XCTAssertEqual(close["clean"] as? Bool, false)
        let ours = try self.object(events.close(CloseReport(initiator: .local, code: .normalClosure, reason: "")))
        XCTAssertEqual(ours["by"] as? String, "client")
        XCTAssertEqual(ours["clean"] as? Bool, true)
        let error = try self.object(events.error(exit: 3, message: "refused\nline"))
        XCTAssertEqual(error["exit"] as? Int, 3)
        XCTAssertEqual(error["message"] as? String, "refused\nline")
    }

    func testRoundTripOfKeepalivePongsOnly() {
        XCTAssertNil(Keepalive.roundTrip(of: ByteBuffer(string: "hello")))
        XCTAssertNil(Keepalive.roundTrip(of: ByteBuffer(string: "wsc keepalive 1 x")))
        let sent = ByteBuffer(string: "wsc keepalive 3 \(NIODeadline.now().uptimeNanoseconds)")
        XCTAssertNotNil(Keepalive.roundTrip(of: sent))
    }
}
