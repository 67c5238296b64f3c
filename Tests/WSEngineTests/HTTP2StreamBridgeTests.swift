import NIOCore
import NIOEmbedded
import NIOHTTP2
import XCTest

@testable import WSEngine

/// The glue between an HTTP/2 stream's frames and the session's bytes.
final class HTTP2StreamBridgeTests: XCTestCase {
    private func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: HTTP2StreamBridge(closeTimeout: .seconds(5)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
        return channel
    }

    /// Closes the channel as a stream ends when the server never answers our END_STREAM: at the timeout.
    private func finish(_ channel: EmbeddedChannel) {
        channel.close(promise: nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        _ = try? channel.finish(acceptAlreadyClosed: true)
    }

    private func data(_ text: String, endStream: Bool = false) -> HTTP2Frame.FramePayload {
        .data(.init(data: .byteBuffer(ByteBuffer(string: text)), endStream: endStream))
    }

    /// The bytes and END_STREAM flag of the next outbound DATA frame.
    private func nextData(_ channel: EmbeddedChannel) throws -> (String, Bool)? {
        guard let payload = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else { return nil }
        guard case .data(let data) = payload, case .byteBuffer(let bytes) = data.data else {
            XCTFail("not DATA: \(payload)")
            return nil
        }
        return (String(buffer: bytes), data.endStream)
    }

    func testDataFramesAreBytesBothWays() throws {
        let channel = try self.channel()
        defer { self.finish(channel) }
        try channel.writeInbound(self.data("\u{81}\u{2}hi"))
        try channel.writeInbound(HTTP2Frame.FramePayload.windowUpdate(windowSizeIncrement: 10))
        XCTAssertEqual(try channel.readInbound(as: ByteBuffer.self).map { String(buffer: $0) }, "\u{81}\u{2}hi")
        XCTAssertNil(try channel.readInbound(as: ByteBuffer.self))
        try channel.writeOutbound(ByteBuffer(string: "frame"))
        XCTAssertEqual(try self.nextData(channel)?.0, "frame")
        XCTAssertEqual(try self.nextData(channel)?.1, nil)
    }

    func testClosingEndsOurSideOnceAndWaitsForTheServers() throws {
        let channel = try self.channel()
        defer { self.finish(channel) }
        channel.close(promise: nil)
        channel.close(promise: nil)
        let end = try XCTUnwrap(try self.nextData(channel))
        XCTAssertEqual(end.0, "")
        XCTAssertTrue(end.1)
        XCTAssertNil(try self.nextData(channel), "one END_STREAM")
        XCTAssertTrue(channel.isActive, "the stream waits for the server's END_STREAM")
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        XCTAssertFalse(channel.isActive, "then it is reset")
    }

    func testTheServersEndIsAnsweredWithOurs() throws {
        let channel = try self.channel()
        defer { self.finish(channel) }
        try channel.writeInbound(self.data("last", endStream: true))
        XCTAssertEqual(try channel.readInbound(as: ByteBuffer.self).map { String(buffer: $0) }, "last")
        XCTAssertEqual(try self.nextData(channel)?.1, true)
    }

    func testAResetIsAFailureNamingItsCode() throws {
        let channel = try self.channel()
        defer { self.finish(channel) }
        channel.pipeline.fireErrorCaught(NIOHTTP2Errors.streamClosed(streamID: 1, errorCode: .cancel))
        XCTAssertThrowsError(try channel.throwIfErrorCaught()) { error in
            XCTAssertEqual(error as? HTTP2Failure, .reset(.cancel))
        }
    }

    func testAResetWithNoErrorAfterTheServersEndIsClean() throws {
        let channel = try self.channel()
        defer { self.finish(channel) }
        try channel.writeInbound(self.data("", endStream: true))
        channel.pipeline.fireErrorCaught(NIOHTTP2Errors.streamClosed(streamID: 1, errorCode: .noError))
        XCTAssertNoThrow(try channel.throwIfErrorCaught())
    }
}
