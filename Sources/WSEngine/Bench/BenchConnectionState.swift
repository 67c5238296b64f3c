/// One connection of a load test as a value: which messages fall due, which are in flight, what a reply
/// means, and when to close. The connection's tasks send, time and close as it says. Times are nanoseconds
/// on the test's monotonic clock.
struct BenchConnectionState {
    /// When messages fall due.
    enum Schedule: Equatable {
        /// Whenever fewer than `pipeline` are in flight: a reply lets the next one go.
        case closedLoop(pipeline: Int)
        /// Message `n` falls due at `first + n * interval`, whatever the replies do.
        case constantRate(first: UInt64, interval: UInt64)
    }

    /// A message to send now.
    struct Due: Equatable {
        var sequence: UInt64
        /// When it fell due: the start of its round trip.
        var time: UInt64
    }

    /// What a reply turned out to be.
    enum Reply: Equatable {
        /// The reply to a message in flight, which fell due at `due`; its round trip took `latency`.
        case matched(due: UInt64, latency: UInt64)
        /// Not the reply to any message in flight: unknown, or a second reply to the same one.
        case unmatched
    }

    /// The most messages one call of ``due(at:)`` hands out, so that a late sender catches up in batches.
    static let batchLimit = 256

    let schedule: Schedule
    /// The messages this connection sends in all; `nil` sends until ``stop()``.
    let quota: Int?
    /// Replies carry no sequence number and come in the order of the messages.
    let matchesInOrder: Bool
    private(set) var nextSequence: UInt64 = 0
    private var inFlight = InFlightTable()
    private var nextInOrder: UInt64 = 0
    private var stopped = false
    private var closing = false

    /// A connection that has sent nothing yet.
    init(schedule: Schedule, quota: Int?, matchesInOrder: Bool) {
        self.schedule = schedule
        self.quota = quota
        self.matchesInOrder = matchesInOrder
    }

    /// The messages in flight, which are lost if the connection ends now.
    var inFlightCount: Int {
        self.inFlight.count
    }

    /// Whether every message has been sent: the quota is reached, or the test stopped.
    var isDoneSending: Bool {
        self.stopped || self.quota.map { self.nextSequence >= UInt64($0) } ?? false
    }

    /// When the next message falls due on a constant-rate schedule; `nil` for a closed loop or when done.
    var nextDueTime: UInt64? {
        guard !self.isDoneSending, case .constantRate(let first, let interval) = self.schedule else { return nil }
        return first + self.nextSequence * interval
    }

    /// The messages due at `now`, counted in flight from here on.
    mutating func due(at now: UInt64) -> [Due] {
        guard !self.isDoneSending else { return [] }
        let left = self.quota.map { $0 - Int(self.nextSequence) } ?? Int.max
        var count: Int
        switch self.schedule {
        case .closedLoop(let pipeline):
            count = pipeline - self.inFlight.count
        case .constantRate(let first, let interval):
            count = now < first ? 0 : Int((now - first) / interval + 1) - Int(self.nextSequence)
        }
        count = max(0, min(count, left, Self.batchLimit))
        var due: [Due] = []
        due.reserveCapacity(count)
        for _ in 0..<count {
            let time: UInt64 =
                switch self.schedule {
                case .closedLoop: now
                case .constantRate(let first, let interval): first + self.nextSequence * interval
                }
            due.append(Due(sequence: self.nextSequence, time: time))
            self.inFlight.insert(self.nextSequence, due: time)
            self.nextSequence += 1
        }
        return due
    }

    /// A reply received at `now`, carrying `sequence` (or none, when replies are matched in order).
    mutating func reply(sequence: UInt64?, at now: UInt64) -> Reply {
        let key: UInt64
        if self.matchesInOrder {
            key = self.nextInOrder
            self.nextInOrder += 1
        } else if let sequence {
            key = sequence
        } else {
            return .unmatched
        }
        guard let due = self.inFlight.remove(key) else { return .unmatched }
        return .matched(due: due, latency: now > due ? now - due : 0)
    }

    /// Sends no more messages; the ones in flight may still be answered.
    mutating func stop() {
        self.stopped = true
    }

    /// Whether to send Close now: everything sent and answered. Says so once.
    mutating func closesNow() -> Bool {
        guard !self.closing, self.isDoneSending, self.inFlight.count == 0 else { return false }
        self.closing = true
        return true
    }

    /// Whether to send Close now even with replies outstanding (the wait for them is over). Says so once.
    mutating func givesUp() -> Bool {
        guard !self.closing else { return false }
        self.stopped = true
        self.closing = true
        return true
    }
}

/// The due times of the messages in flight, by sequence number. Numbers are handed out in order and most
/// replies come in order, so the messages in flight lie in a window from the oldest unanswered one: a ring of
/// slots (a power of two, doubled when the window outgrows it) finds one without hashing.
struct InFlightTable {
    private static let empty = UInt64.max
    private var slots = [UInt64](repeating: Self.empty, count: 16)
    /// The oldest sequence number that may be in flight.
    private var oldest: UInt64 = 0
    /// One past the newest sequence number inserted.
    private var next: UInt64 = 0
    /// The messages in flight.
    private(set) var count = 0

    /// Message `sequence`, the next number after the last one inserted, falls due at `due`.
    mutating func insert(_ sequence: UInt64, due: UInt64) {
        precondition(sequence == self.next, "sequence numbers are inserted in order")
        if self.next - self.oldest == UInt64(self.slots.count) {
            self.grow()
        }
        self.slots[self.slot(sequence)] = due
        self.next += 1
        self.count += 1
    }

    /// Takes message `sequence` out and returns its due time; `nil` when it is not in flight.
    mutating func remove(_ sequence: UInt64) -> UInt64? {
        guard sequence >= self.oldest, sequence < self.next else { return nil }
        let slot = self.slot(sequence)
        let due = self.slots[slot]
        guard due != Self.empty else { return nil }
        self.slots[slot] = Self.empty
        self.count -= 1
        while self.oldest < self.next, self.slots[self.slot(self.oldest)] == Self.empty {
            self.oldest += 1
        }
        return due
    }

    private func slot(_ sequence: UInt64) -> Int {
        Int(truncatingIfNeeded: sequence) & (self.slots.count - 1)
    }

    private mutating func grow() {
        var slots = [UInt64](repeating: Self.empty, count: self.slots.count * 2)
        for sequence in self.oldest..<self.next {
            slots[Int(truncatingIfNeeded: sequence) & (slots.count - 1)] = self.slots[self.slot(sequence)]
        }
        self.slots = slots
    }
}
