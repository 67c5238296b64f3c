import NIOCore
import NIOEmbedded
import NIOWebSocket
import XCTest

@testable import WSEngine

/// What the session hands to the front end is bounded in bytes: once the budget is spent, frames wait in
/// the handler and the socket is not read until the front end gives bytes back.
final class InboundBudgetTests: XCTestCase {
    /// Counts the reads that reach the socket.
    private final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = Never
        var reads = 0

        func read(context: ChannelHandlerContext) {
            self.reads += 1
            context.read()
        }
    }

    private func frame(_ byte: UInt8, size: Int) -> ByteBuffer {
        var buffer = ByteBuffer(bytes: [0x82, 127])
        buffer.writeInteger(UInt64(size))
        buffer.writeRepeatingByte(byte, count: size)
        return buffer
    }

    private func messages(_ channel: EmbeddedChannel) throws -> [String] {
        var seen: [String] = []
        while let burst = try channel.readInbound(as: [SessionEvent].self) {
            for event in burst {
                switch event {
                case .binary(let payload): seen.append("\(payload.readableBytesView.first!) \(payload.readableBytes)")
                case .closed(let report): seen.append("closed \(report.code.rawValue)")
                case .text, .ping, .pong, .idle: break
                }
            }
        }
        return seen
    }

    /// Two sessions of one listener: what one has outstanding counts against the other, which waits until
    /// the first one's front end gives bytes back, and is then asked to read; a session that ends gives back
    /// what it still had.
    func testSessionsOfAListenerShareOneBudget() throws {
        let shared = SharedInboundBudget(limit: 4 << 20)
        let first = InboundBudget(maxMessageSize: 16 << 20, shared: shared)
        var second: InboundBudget? = InboundBudget(maxMessageSize: 16 << 20, shared: shared)
        let channel = EmbeddedChannel()
        let counter = ReadCounter()
        try channel.pipeline.syncOperations.addHandler(counter)

        XCTAssertFalse(first.isSpent(pending: 3 << 20, channel: channel))
        first.delivered(3 << 20)
        XCTAssertFalse(second!.isSpent(pending: 512 << 10, channel: channel))
        XCTAssertTrue(second!.isSpent(pending: 1 << 20, channel: channel), "3 + 1 MiB reach the shared 4")
        XCTAssertEqual(counter.reads, 0)
        _ = first.consumed(2 << 20)
        XCTAssertEqual(counter.reads, 1, "the waiting session is asked to read")
        XCTAssertFalse(second!.isSpent(pending: 1 << 20, channel: channel))

        second!.delivered(2 << 20)
        XCTAssertTrue(first.isSpent(pending: 1 << 20, channel: channel), "1 + 2 + 1 MiB")
        second = nil
        XCTAssertEqual(counter.reads, 2, "an ended session's bytes are given back")
        XCTAssertFalse(first.isSpent(pending: 1 << 20, channel: channel))
    }

    func testTheBudgetIsHalfTheMessageLimitAndAtLeastOneMebibyte() {
        XCTAssertEqual(InboundBudget(maxMessageSize: 64 << 20).limit, 32 << 20)
        XCTAssertEqual(InboundBudget(maxMessageSize: 1024).limit, 1 << 20)
    }

    func testFramesPastTheBudgetWaitUntilTheFrontEndGivesBytesBack() throws {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        let counter = ReadCounter()
        let session = WebSocketSessionHandler(
            configuration: SessionConfiguration(role: .client, maxMessageSize: 4 << 20)
        )
        try channel.pipeline.syncOperations.addHandlers(
            counter,
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 4 << 20)),
            session
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let size = 3 << 19  // 1.5 MiB; the budget is 2 MiB
        var wire = self.frame(1, size: size)
        wire.writeImmutableBuffer(self.frame(2, size: size))
        wire.writeImmutableBuffer(self.frame(3, size: size))
        wire.writeBytes([0x88, 0x02, 0x03, 0xE8])
        try channel.writeInbound(wire)
        channel.pipeline.fireChannelInactive()
        XCTAssertEqual(try self.messages(channel), ["1 \(size)", "2 \(size)"], "the third waits, and so does the end")

        let readsBefore = counter.reads
        channel.read()
        XCTAssertEqual(counter.reads, readsBefore, "nothing more is read while the budget is spent")
        XCTAssertEqual(try self.messages(channel), [])

        XCTAssertTrue(session.budget.consumed(2 * size), "the front end dealt with both: reading may go on")
        channel.read()
        XCTAssertEqual(try self.messages(channel), ["3 \(size)", "closed 1000"], "in order, the end last")
    }
}
