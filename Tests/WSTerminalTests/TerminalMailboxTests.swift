import NIOCore
import WSEngine
import XCTest

@testable import WSTerminal

final class TerminalMailboxTests: XCTestCase {
    private let time = LocalTime(hour: 0, minute: 0, second: 0, millisecond: 0)

    private func isReadable(_ descriptor: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    func testPostWakesAndTakeAllReturnsInOrder() throws {
        let mailbox = try TerminalMailbox()
        defer { mailbox.shutDown() }
        XCTAssertFalse(self.isReadable(mailbox.wakeDescriptor))
        mailbox.post(.event(.text(ByteBuffer(string: "1")), self.time))
        mailbox.post(.eventsEnded)
        XCTAssertTrue(self.isReadable(mailbox.wakeDescriptor))
        let items = mailbox.takeAll()
        XCTAssertEqual(items.count, 2)
        guard case .event(.text(let payload), _) = items.first, case .eventsEnded = items.last else {
            return XCTFail("unexpected items \(items)")
        }
        XCTAssertEqual(String(buffer: payload), "1")
        XCTAssertFalse(self.isReadable(mailbox.wakeDescriptor))
        XCTAssertTrue(mailbox.takeAll().isEmpty)
    }

    func testDeliverWaitsAboveTheHighWaterMarkUntilTheTerminalCatchesUp() async throws {
        let mailbox = try TerminalMailbox()
        defer { mailbox.shutDown() }
        for _ in 0..<TerminalMailbox.highWaterMark {
            await mailbox.deliver(.eventsEnded)
        }
        let delivered = Task {
            await mailbox.deliver(.cancelled)
        }
        try await self.waitForAWaitingProducer(mailbox)
        XCTAssertEqual(mailbox.takeAll().count, TerminalMailbox.highWaterMark)
        await delivered.value
        let rest = mailbox.takeAll()
        XCTAssertEqual(rest.count, 1)
        guard case .cancelled = rest.first else {
            return XCTFail("the waiting item was not delivered")
        }
    }

    func testShutDownReleasesAWaitingProducerAndDropsLaterPosts() async throws {
        let mailbox = try TerminalMailbox()
        for _ in 0..<TerminalMailbox.highWaterMark {
            mailbox.post(.eventsEnded)
        }
        let delivered = Task {
            await mailbox.deliver(.cancelled)
        }
        try await self.waitForAWaitingProducer(mailbox)
        mailbox.shutDown()
        await delivered.value
        mailbox.post(.eventsEnded)
        XCTAssertTrue(mailbox.takeAll().isEmpty)
    }

    /// Waits (at most 10 s) until the task that delivers is parked in ``TerminalMailbox/deliver(_:)``.
    private func waitForAWaitingProducer(_ mailbox: TerminalMailbox) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !mailbox.hasWaitingProducer {
            guard ContinuousClock.now < deadline else {
                return XCTFail("deliver(_:) never waited")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
