import XCTest

@testable import WSEngine

final class BenchConnectionStateTests: XCTestCase {
    private typealias Due = BenchConnectionState.Due

    func testAClosedLoopKeepsThePipelineFull() {
        var state = BenchConnectionState(schedule: .closedLoop(pipeline: 3), quota: nil, matchesInOrder: false)
        XCTAssertEqual(
            state.due(at: 100),
            [Due(sequence: 0, time: 100), Due(sequence: 1, time: 100), Due(sequence: 2, time: 100)]
        )
        XCTAssertEqual(state.due(at: 150), [], "three in flight: nothing more")
        XCTAssertEqual(state.reply(sequence: 1, at: 170), .matched(due: 100, latency: 70))
        XCTAssertEqual(state.due(at: 180), [Due(sequence: 3, time: 180)])
        XCTAssertEqual(state.inFlightCount, 3)
    }

    func testAConstantRateSendsByTheClockAndCountsFromWhenEachWasDue() {
        var state = BenchConnectionState(
            schedule: .constantRate(first: 1000, interval: 100),
            quota: nil,
            matchesInOrder: false
        )
        XCTAssertEqual(state.due(at: 999), [])
        XCTAssertEqual(state.nextDueTime, 1000)
        XCTAssertEqual(state.due(at: 1000), [Due(sequence: 0, time: 1000)])
        // The server stalls: no reply for 350 ns. The sender keeps the schedule: the three that fell due
        // meanwhile go out at once, each with the time it was due, not the time it went out.
        XCTAssertEqual(
            state.due(at: 1350),
            [Due(sequence: 1, time: 1100), Due(sequence: 2, time: 1200), Due(sequence: 3, time: 1300)]
        )
        XCTAssertEqual(state.nextDueTime, 1400)
        // Their round trips include the stall (no coordinated omission): the one due at 1100 took 300.
        XCTAssertEqual(state.reply(sequence: 0, at: 1390), .matched(due: 1000, latency: 390))
        XCTAssertEqual(state.reply(sequence: 1, at: 1400), .matched(due: 1100, latency: 300))
        XCTAssertEqual(state.reply(sequence: 3, at: 1400), .matched(due: 1300, latency: 100))
    }

    func testALateSenderCatchesUpInBatches() {
        var state = BenchConnectionState(
            schedule: .constantRate(first: 0, interval: 1),
            quota: nil,
            matchesInOrder: false
        )
        XCTAssertEqual(state.due(at: 999).count, BenchConnectionState.batchLimit)
        XCTAssertEqual(state.due(at: 999).first?.time, UInt64(BenchConnectionState.batchLimit))
    }

    func testAQuotaEndsSendingAndClosesOnceEverythingIsAnswered() {
        var state = BenchConnectionState(schedule: .closedLoop(pipeline: 5), quota: 2, matchesInOrder: false)
        XCTAssertEqual(state.due(at: 0).count, 2)
        XCTAssertTrue(state.isDoneSending)
        XCTAssertFalse(state.closesNow(), "two replies outstanding")
        _ = state.reply(sequence: 0, at: 1)
        _ = state.reply(sequence: 1, at: 1)
        XCTAssertTrue(state.closesNow())
        XCTAssertFalse(state.closesNow(), "says so once")
        XCTAssertFalse(state.givesUp(), "already closing")
    }

    func testUnknownAndRepeatedRepliesAreUnmatched() {
        var state = BenchConnectionState(schedule: .closedLoop(pipeline: 2), quota: nil, matchesInOrder: false)
        _ = state.due(at: 10)
        XCTAssertEqual(state.reply(sequence: 0, at: 20), .matched(due: 10, latency: 10))
        XCTAssertEqual(state.reply(sequence: 0, at: 21), .unmatched, "a second reply to the same message")
        XCTAssertEqual(state.reply(sequence: 9, at: 22), .unmatched, "never sent")
        XCTAssertEqual(state.reply(sequence: nil, at: 23), .unmatched, "no sequence number")
        XCTAssertEqual(state.inFlightCount, 1)
    }

    func testInOrderMatchingTakesTheOldestMessage() {
        var state = BenchConnectionState(schedule: .closedLoop(pipeline: 2), quota: nil, matchesInOrder: true)
        _ = state.due(at: 10)
        XCTAssertEqual(state.reply(sequence: nil, at: 15), .matched(due: 10, latency: 5))
        XCTAssertEqual(state.reply(sequence: nil, at: 16), .matched(due: 10, latency: 6))
        XCTAssertEqual(state.reply(sequence: nil, at: 17), .unmatched, "more replies than messages")
    }

    func testStoppingSendsNoMoreAndGivingUpClosesWithRepliesOutstanding() {
        var state = BenchConnectionState(schedule: .closedLoop(pipeline: 1), quota: nil, matchesInOrder: false)
        _ = state.due(at: 0)
        state.stop()
        XCTAssertEqual(state.due(at: 1), [])
        XCTAssertFalse(state.closesNow())
        XCTAssertTrue(state.givesUp())
        XCTAssertEqual(state.inFlightCount, 1, "lost if the connection ends now")
    }

    func testTheInFlightTableGrowsAndTakesRepliesInAnyOrder() {
        var table = InFlightTable()
        for sequence in UInt64(0)..<40 {
            table.insert(sequence, due: 1000 + sequence)
        }
        XCTAssertEqual(table.count, 40)
        XCTAssertEqual(table.remove(5), 1005)
        XCTAssertNil(table.remove(5), "already answered")
        XCTAssertEqual(table.remove(0), 1000)
        XCTAssertNil(table.remove(40), "never sent")
        for sequence in UInt64(40)..<100 {
            table.insert(sequence, due: 1000 + sequence)
        }
        XCTAssertEqual(table.remove(99), 1099)
        XCTAssertEqual(table.remove(1), 1001)
        XCTAssertEqual(table.count, 96)
    }
}
