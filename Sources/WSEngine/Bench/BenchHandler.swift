import NIOConcurrencyHelpers
import NIOCore

/// Runs one connection of a load test on its event loop, behind the session handler: matches each reply,
/// sends what ``BenchConnectionState`` says is due (after each read in a closed loop, by a timer at a
/// constant rate), closes when it says so, and hands its counts to the event loop's shard in batches.
/// Nothing crosses threads per message; only the session's end goes on to the connection's task.
final class BenchHandler: ChannelInboundHandler {
    typealias InboundIn = [SessionEvent]
    typealias InboundOut = [SessionEvent]
    typealias OutboundOut = OutboundBatch

    /// What the handler needs of its load test, decided before it is added.
    struct Setup: Sendable {
        var configuration: BenchConfiguration
        var state: BenchConnectionState
        var shard: NIOLockedValueBox<BenchTally>
        var budget: InboundBudget
        /// When messages start to count.
        var warmupEnd: UInt64
        /// When sending stops, for a test that runs for a time; `nil` for one that sends a number of messages.
        var deadline: UInt64?
        /// Whether the whole test was asked to stop (a signal).
        var stopRequested: @Sendable () -> Bool
    }

    /// How often a connection hands its figures to its shard, at the least.
    private static let flushInterval: UInt64 = 100_000_000
    /// How often the timer looks whether the test was stopped (a signal), when nothing falls due sooner: a
    /// thousand connections' timers then fire ten thousand times a second, a small share of their work.
    private static let tick: UInt64 = 100_000_000

    private let setup: Setup
    private var state: BenchConnectionState
    private var counts = BenchCounts()
    private var flushed: UInt64
    private var timer: Scheduled<Void>?
    /// Once sending is over: when to stop waiting for the replies in flight.
    private var giveUpAt: UInt64?
    private var ended = false

    /// A handler that starts sending once it is added.
    init(_ setup: Setup) {
        self.setup = setup
        self.state = setup.state
        self.flushed = LoadBench.now()
        self.counts.latencies.reserveCapacity(1024)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let login = self.setup.configuration.login.map { self.command($0) }
        if !login.isEmpty {
            context.write(self.wrapOutboundOut(OutboundBatch(commands: login)), promise: nil)
        }
        self.sendDue(context: context, now: LoadBench.now())
        self.scheduleTimer(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = 0
        for event in self.unwrapInboundIn(data) {
            switch event {
            case .text(let payload), .binary(let payload):
                bytes += payload.readableBytes
                self.take(payload, at: LoadBench.now())
            case .idle:
                let now = LoadBench.now()
                if case .closedLoop = self.state.schedule {
                    self.sendDue(context: context, now: now)
                }
                self.closeIfDone(context: context)
                if self.counts.latencies.count >= 512 || now - self.flushed >= Self.flushInterval {
                    self.flush(now: now)
                }
            case .closed:
                self.end()
                context.fireChannelRead(self.wrapInboundOut([event]))
            case .ping, .pong:
                break
            }
        }
        // Done with these messages: the session may read on.
        if self.setup.budget.consumed(bytes) {
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.end()
        context.fireChannelInactive()
    }

    // MARK: - Replies

    private func take(_ payload: ByteBuffer, at now: UInt64) {
        let sequence: UInt64? =
            switch self.setup.configuration.message {
            case .echo: BenchPayload.read(payload)?.sequence
            case .fixed: nil
            case .jsonField(let field): field.sequence(in: payload)
            }
        switch self.state.reply(sequence: sequence, at: now) {
        case .matched(let due, let latency):
            guard due >= self.setup.warmupEnd else { return }
            self.counts.received += 1
            self.counts.receivedBytes += payload.readableBytes
            self.counts.lastReply = now
            self.counts.latencies.append(latency)
        case .unmatched:
            self.counts.unmatched += 1
        }
    }

    // MARK: - Sending and closing

    /// Sends the messages due now, in one write.
    private func sendDue(context: ChannelHandlerContext, now: UInt64) {
        if self.isStopping(at: now) {
            self.state.stop()
        }
        let due = self.state.due(at: now)
        guard !due.isEmpty else { return }
        let allocator = context.channel.allocator
        var payloads = self.payloads(due, allocator: allocator)
        let commands = due.map { message in
            let payload = self.payload(message, from: &payloads, allocator: allocator)
            if message.time >= self.setup.warmupEnd {
                self.counts.sent += 1
                self.counts.sentBytes += payload.readableBytes
            }
            return self.command(payload)
        }
        context.writeAndFlush(self.wrapOutboundOut(OutboundBatch(commands: commands)), promise: nil)
    }

    /// Sends Close once everything is sent and answered, or once the wait for the answers is over.
    private func closeIfDone(context: ChannelHandlerContext) {
        let giveUp = self.giveUpAt.map { LoadBench.now() >= $0 } ?? false
        if self.state.closesNow() || (giveUp && self.state.givesUp()) {
            context.writeAndFlush(
                self.wrapOutboundOut(OutboundBatch(commands: [.close(.normalClosure, reason: "")])),
                promise: nil
            )
        }
    }

    /// The timer: sends a constant rate's messages when they fall due, notices the end of sending, and closes.
    private func scheduleTimer(context: ChannelHandlerContext) {
        guard !self.ended else { return }
        let now = LoadBench.now()
        var wake = now + Self.tick
        if let next = self.state.nextDueTime { wake = min(wake, next) }
        if let deadline = self.setup.deadline, deadline > now { wake = min(wake, deadline) }
        if let giveUpAt = self.giveUpAt { wake = min(wake, max(giveUpAt, now)) }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(wake)) {
            let (handler, context) = loopBound.value
            handler.fire(context: context)
        }
    }

    private func fire(context: ChannelHandlerContext) {
        let now = LoadBench.now()
        self.sendDue(context: context, now: now)
        if self.state.isDoneSending && self.giveUpAt == nil {
            self.giveUpAt = now + self.setup.configuration.drainTimeout.nanoseconds
        }
        self.closeIfDone(context: context)
        self.scheduleTimer(context: context)
    }

    private func isStopping(at now: UInt64) -> Bool {
        self.setup.stopRequested() || self.setup.deadline.map { now >= $0 } ?? false
    }

    // MARK: - Figures

    private func flush(now: UInt64) {
        self.setup.shard.withLockedValue { $0.flush(&self.counts) }
        self.flushed = now
    }

    /// The session ended: hands over the last figures and the messages it leaves unanswered.
    private func end() {
        guard !self.ended else { return }
        self.ended = true
        self.timer?.cancel()
        let lost = self.state.inFlightCount
        self.setup.shard.withLockedValue { tally in
            tally.flush(&self.counts)
            tally.lost += lost
        }
    }

    // MARK: - Messages

    private func command(_ payload: ByteBuffer) -> SessionCommand {
        self.setup.configuration.binary ? .binary(payload) : .text(payload)
    }

    /// The generated payloads of `due`, one after the other in one buffer; empty for other messages.
    private func payloads(_ due: [BenchConnectionState.Due], allocator: ByteBufferAllocator) -> ByteBuffer {
        guard case .echo(let size) = self.setup.configuration.message else { return allocator.buffer(capacity: 0) }
        var buffer = allocator.buffer(capacity: size * due.count)
        for message in due {
            BenchPayload.write(sequence: message.sequence, due: message.time, size: size, to: &buffer)
        }
        return buffer
    }

    /// The payload of `due`: the next slice of `payloads`, or the message as configured.
    private func payload(
        _ due: BenchConnectionState.Due,
        from payloads: inout ByteBuffer,
        allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        switch self.setup.configuration.message {
        case .echo(let size):
            payloads.readSlice(length: size) ?? ByteBuffer()
        case .fixed(let payload):
            payload
        case .jsonField(let field):
            field.message(sequence: due.sequence, allocator: allocator)
        }
    }
}
