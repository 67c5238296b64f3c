import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Synchronization

/// Runs a load test: opens the connections over one event loop per thread, where a ``BenchHandler`` paces and
/// matches each one's messages (``BenchConnectionState``), and sums up what they counted (``BenchReport``).
///
/// Each event loop has its shard of the figures: a connection keeps its counts and round trips to itself
/// and hands them to its shard in batches, so nothing is locked per message.
public final class LoadBench: Sendable {
    fileprivate let configuration: BenchConfiguration
    private let shards: [NIOLockedValueBox<BenchTally>]
    private let stopRequested = Atomic<Bool>(false)
    private let started = Atomic<UInt64>(0)

    /// Prepares a test; nothing connects before ``run()``.
    public init(configuration: BenchConfiguration) {
        self.configuration = configuration
        self.shards = (0..<max(1, configuration.threads)).map { _ in NIOLockedValueBox(BenchTally()) }
    }

    /// Stops sending on every connection; each closes once its replies are in (or the drain timeout passes).
    public func stop() {
        self.stopRequested.store(true, ordering: .relaxed)
    }

    /// Runs the test to its end (or ``stop()``) and returns its figures.
    public func run() async -> BenchReport {
        let start = Self.now()
        self.started.store(start, ordering: .relaxed)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: self.shards.count)
        let loops = Array(group.makeIterator())
        let warmupEnd = start + self.configuration.warmup.nanoseconds
        let deadline: UInt64? =
            if case .duration(let duration) = self.configuration.end { warmupEnd + duration.nanoseconds } else { nil }
        await withTaskGroup(of: Void.self) { tasks in
            for index in 0..<self.configuration.connections {
                let shard = index % loops.count
                let connection = Connection(
                    bench: self,
                    index: index,
                    loop: loops[shard],
                    shard: self.shards[shard],
                    warmupEnd: warmupEnd,
                    deadline: deadline
                )
                tasks.addTask { await connection.run(start: start) }
            }
        }
        try? await group.shutdownGracefully()
        let tally = self.merged()
        let measuredEnd = max(tally.counts.lastReply, warmupEnd)
        return BenchReport(
            connections: self.configuration.connections,
            opened: tally.opened,
            failures: tally.failures,
            closeCodes: tally.closeCodes,
            connect: LatencySummary(tally.connect),
            tls: LatencySummary(tally.tls),
            upgrade: LatencySummary(tally.upgrade),
            roundTrip: LatencySummary(tally.roundTrip),
            sent: tally.counts.sent,
            sentBytes: tally.counts.sentBytes,
            received: tally.counts.received,
            receivedBytes: tally.counts.receivedBytes,
            unmatched: tally.counts.unmatched,
            lost: tally.lost,
            measured: .nanoseconds(Int64(measuredEnd - warmupEnd))
        )
    }

    /// Where the test stands, for a live status line.
    public func progress() -> BenchProgress {
        let tally = self.merged()
        let elapsed = Self.now() - self.started.load(ordering: .relaxed)
        return BenchProgress(
            elapsed: .nanoseconds(Int64(elapsed)),
            open: tally.opened - tally.closed,
            received: tally.counts.received,
            p99: tally.roundTrip.totalCount > 0 ? .nanoseconds(Int64(tally.roundTrip.valueAtPercentile(99))) : nil
        )
    }

    private func merged() -> BenchTally {
        var tally = BenchTally()
        for shard in self.shards {
            tally.add(shard.withLockedValue { $0 })
        }
        return tally
    }

    fileprivate var isStopRequested: Bool {
        self.stopRequested.load(ordering: .relaxed)
    }

    /// The test's clock: monotonic nanoseconds.
    static func now() -> UInt64 {
        NIODeadline.now().uptimeNanoseconds
    }
}

/// One connection of a load test: connects, puts a ``BenchHandler`` behind the session on its event loop,
/// and waits for the session's end.
private struct Connection: Sendable {
    let bench: LoadBench
    let index: Int
    let loop: any EventLoop
    let shard: NIOLockedValueBox<BenchTally>
    let warmupEnd: UInt64
    let deadline: UInt64?

    private var configuration: BenchConfiguration {
        self.bench.configuration
    }

    /// Waits for its turn to connect (the ramp-up from `start`), connects, and runs until the session ends.
    func run(start: UInt64) async {
        if let rate = self.configuration.connectRate {
            let at = start + UInt64(Double(self.index) / rate * 1e9)
            let now = LoadBench.now()
            if at > now {
                guard (try? await Task.sleep(nanoseconds: at - now)) != nil else { return }
            }
            guard !self.bench.isStopRequested else { return }
        }
        let connection: WebSocketConnection
        do {
            connection = try await WebSocketClient.connect(self.configuration.client, group: self.loop)
        } catch {
            self.shard.withLockedValue { $0.failures[BenchFailure(error), default: 0] += 1 }
            return
        }
        self.shard.withLockedValue { $0.opened(connection.handshake.timing) }
        let report = try? await connection.run { events, _ in
            // A session the server ended at once may be gone before the handler is in place: its report is
            // in the events all the same.
            try? await self.install(on: connection.session)
            for try await event in events {
                if case .closed(let report) = event {
                    return report
                }
            }
            return nil
        }
        self.shard.withLockedValue { tally in
            tally.closed += 1
            tally.closeCodes[(report ?? nil)?.code.rawValue ?? CloseCode.abnormalClosure.rawValue, default: 0] += 1
        }
    }

    /// Adds the handler right behind the session's, on the channel's event loop; it starts sending at once.
    private func install(on session: SessionChannel) async throws {
        let channel = session.events.channel
        let bench = self.bench
        let setup = BenchHandler.Setup(
            configuration: self.configuration,
            state: BenchConnectionState(
                schedule: self.schedule(),
                quota: self.quota(),
                matchesInOrder: self.matchesInOrder
            ),
            shard: self.shard,
            budget: session.budget,
            warmupEnd: self.warmupEnd,
            deadline: self.deadline,
            stopRequested: { bench.isStopRequested }
        )
        try await channel.eventLoop.submit {
            let sessionHandler = try channel.pipeline.syncOperations.handler(type: WebSocketSessionHandler.self)
            try channel.pipeline.syncOperations.addHandler(BenchHandler(setup), position: .after(sessionHandler))
        }.get()
    }

    private func schedule() -> BenchConnectionState.Schedule {
        switch self.configuration.pacing {
        case .closedLoop(let pipeline):
            return .closedLoop(pipeline: pipeline)
        case .constantRate(let perSecond):
            // Each connection sends every `connections / rate` seconds; their phases spread over that interval.
            let connections = self.configuration.connections
            let interval = max(1, UInt64(Double(connections) / perSecond * 1e9))
            return .constantRate(
                first: LoadBench.now() + interval / UInt64(connections) * UInt64(self.index % connections),
                interval: interval
            )
        }
    }

    private func quota() -> Int? {
        guard case .messages(let total) = self.configuration.end else { return nil }
        let connections = self.configuration.connections
        return total / connections + (self.index < total % connections ? 1 : 0)
    }

    private var matchesInOrder: Bool {
        if case .fixed = self.configuration.message { true } else { false }
    }
}
