import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Synchronization

/// Runs a load test: opens the connections over one event loop per thread, paces and matches their
/// messages (``BenchConnectionState``), and sums up what they counted (``BenchReport``).
///
/// Each event loop has its shard of the figures: a connection keeps its counts and round trips to itself
/// and hands them to its shard in batches, so nothing is locked per message.
public final class LoadBench: Sendable {
    private let configuration: BenchConfiguration
    private let shards: [NIOLockedValueBox<BenchTally>]
    private let stopRequested = Atomic<Bool>(false)
    private let started = Atomic<UInt64>(0)

    /// How often a connection hands its figures to its shard, at the least.
    fileprivate static let flushInterval: UInt64 = 100_000_000
    /// How long a waiting sender sleeps before it looks again whether the test stopped.
    fileprivate static let tick: UInt64 = 20_000_000

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

    fileprivate var configurationForConnections: BenchConfiguration {
        self.configuration
    }

    /// The test's clock: monotonic nanoseconds.
    static func now() -> UInt64 {
        NIODeadline.now().uptimeNanoseconds
    }
}

/// One connection of a load test: connects, then a receiver matches replies (and, in a closed loop, sends
/// the next messages at the end of each read) while a pacer sends by the clock and watches for the end.
private struct Connection: Sendable {
    let bench: LoadBench
    let index: Int
    let loop: any EventLoop
    let shard: NIOLockedValueBox<BenchTally>
    let warmupEnd: UInt64
    let deadline: UInt64?

    private var configuration: BenchConfiguration {
        self.bench.configurationForConnections
    }

    func run(start: UInt64) async {
        if let rate = self.configuration.connectRate {
            let at = start + UInt64(Double(self.index) / rate * 1e9)
            guard await Self.sleep(until: at), !self.isStopping(at: LoadBench.now()) else { return }
        }
        let connection: WebSocketConnection
        do {
            connection = try await WebSocketClient.connect(self.configuration.client, group: self.loop)
        } catch {
            self.shard.withLockedValue { $0.failures[BenchFailure(error), default: 0] += 1 }
            return
        }
        self.shard.withLockedValue { $0.opened(connection.handshake.timing) }
        let state = NIOLockedValueBox(
            BenchConnectionState(schedule: self.schedule(), quota: self.quota(), matchesInOrder: self.matchesInOrder)
        )
        let report = try? await connection.run { events, writer in
            let login = self.configuration.login.map { self.command($0) }
            if !login.isEmpty {
                try await writer.send(contentsOf: login)
            }
            return await withTaskGroup(of: CloseReport?.self) { tasks in
                tasks.addTask { await self.pace(state, writer: writer) }
                tasks.addTask { try? await self.receive(events, state: state, writer: writer) }
                var report: CloseReport?
                for await ended in tasks where ended != nil {
                    report = ended
                    tasks.cancelAll()
                }
                return report
            }
        }
        let lost = state.withLockedValue { $0.inFlightCount }
        self.shard.withLockedValue { tally in
            tally.closed += 1
            tally.closeCodes[(report ?? nil)?.code.rawValue ?? CloseCode.abnormalClosure.rawValue, default: 0] += 1
            tally.lost += lost
        }
    }

    // MARK: - What the configuration means for this connection

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

    private func isStopping(at now: UInt64) -> Bool {
        self.bench.isStopRequested || self.deadline.map { now >= $0 } ?? false
    }

    private func command(_ payload: ByteBuffer) -> SessionCommand {
        self.configuration.binary ? .binary(payload) : .text(payload)
    }

    private func payload(_ due: BenchConnectionState.Due, allocator: ByteBufferAllocator) -> ByteBuffer {
        switch self.configuration.message {
        case .echo(let size):
            BenchPayload.make(sequence: due.sequence, due: due.time, size: size, allocator: allocator)
        case .fixed(let payload):
            payload
        case .jsonField(let field):
            field.message(sequence: due.sequence, allocator: allocator)
        }
    }

    private func sequence(in reply: ByteBuffer) -> UInt64? {
        switch self.configuration.message {
        case .echo: BenchPayload.read(reply)?.sequence
        case .fixed: nil
        case .jsonField(let field): field.sequence(in: reply)
        }
    }

    /// The commands for `due`, counted in `counts` when they fall after the warm-up.
    private func commands(_ due: [BenchConnectionState.Due], counts: inout BenchCounts) -> [SessionCommand] {
        let allocator = ByteBufferAllocator()
        return due.map { message in
            let payload = self.payload(message, allocator: allocator)
            if message.time >= self.warmupEnd {
                counts.sent += 1
                counts.sentBytes += payload.readableBytes
            }
            return self.command(payload)
        }
    }

    // MARK: - The two tasks

    /// Matches replies; in a closed loop, sends the next messages after each read. Returns the close report.
    private func receive(
        _ events: SessionEvents,
        state: NIOLockedValueBox<BenchConnectionState>,
        writer: SessionWriter
    ) async throws -> CloseReport? {
        var counts = BenchCounts()
        counts.latencies.reserveCapacity(1024)
        var flushed = LoadBench.now()
        let closedLoop = if case .closedLoop = self.configuration.pacing { true } else { false }
        if closedLoop {
            let due = state.withLockedValue { $0.due(at: LoadBench.now()) }
            writer.post(contentsOf: self.commands(due, counts: &counts))
        }
        for try await event in events {
            switch event {
            case .text(let payload), .binary(let payload):
                let now = LoadBench.now()
                let sequence = self.sequence(in: payload)
                switch state.withLockedValue({ $0.reply(sequence: sequence, at: now) }) {
                case .matched(let due, let latency):
                    if due >= self.warmupEnd {
                        counts.received += 1
                        counts.receivedBytes += payload.readableBytes
                        counts.lastReply = now
                        counts.latencies.append(latency)
                    }
                case .unmatched:
                    counts.unmatched += 1
                }
            case .idle:
                let now = LoadBench.now()
                let stopping = self.isStopping(at: now)
                let (due, closes) = state.withLockedValue { state in
                    if stopping { state.stop() }
                    let due = closedLoop ? state.due(at: now) : []
                    return (due, state.closesNow())
                }
                if !due.isEmpty {
                    writer.post(contentsOf: self.commands(due, counts: &counts))
                }
                if closes {
                    writer.post(.close(.normalClosure, reason: ""))
                }
                if counts.latencies.count >= 512 || now - flushed >= LoadBench.flushInterval {
                    self.shard.withLockedValue { $0.flush(&counts) }
                    flushed = now
                }
            case .closed(let report):
                self.shard.withLockedValue { $0.flush(&counts) }
                return report
            case .ping, .pong:
                break
            }
        }
        self.shard.withLockedValue { $0.flush(&counts) }
        return nil
    }

    /// Sends the messages of a constant rate when they fall due; once sending is over, waits for the replies
    /// in flight (at most the drain timeout), then closes. Returns `nil`: the receiver has the report.
    private func pace(_ state: NIOLockedValueBox<BenchConnectionState>, writer: SessionWriter) async -> CloseReport? {
        var counts = BenchCounts()
        defer { self.shard.withLockedValue { $0.flush(&counts) } }
        while true {
            let now = LoadBench.now()
            let stopping = self.isStopping(at: now)
            let (due, next, done) = state.withLockedValue { state in
                if stopping { state.stop() }
                let due: [BenchConnectionState.Due] =
                    if case .constantRate = state.schedule { state.due(at: now) } else { [] }
                return (due, state.nextDueTime, state.isDoneSending)
            }
            if !due.isEmpty {
                let commands = self.commands(due, counts: &counts)
                guard (try? await writer.send(contentsOf: commands)) != nil else { return nil }
                continue
            }
            if done { break }
            var wake = min(next ?? now + LoadBench.tick, now + LoadBench.tick)
            if let deadline = self.deadline { wake = min(wake, deadline) }
            guard await Self.sleep(until: wake) else { return nil }
        }
        let giveUp = LoadBench.now() + self.configuration.drainTimeout.nanoseconds
        while LoadBench.now() < giveUp {
            if state.withLockedValue({ $0.closesNow() }) {
                writer.post(.close(.normalClosure, reason: ""))
                return nil
            }
            guard await Self.sleep(until: min(giveUp, LoadBench.now() + LoadBench.tick)) else { return nil }
        }
        if state.withLockedValue({ $0.givesUp() }) {
            writer.post(.close(.normalClosure, reason: ""))
        }
        return nil
    }

    /// Sleeps until `time` on the test's clock; `false` when cancelled.
    private static func sleep(until time: UInt64) async -> Bool {
        let now = LoadBench.now()
        guard time > now else { return !Task.isCancelled }
        return (try? await Task.sleep(nanoseconds: time - now)) != nil
    }
}
