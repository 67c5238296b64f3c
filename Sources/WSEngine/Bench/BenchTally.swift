import Histogram

/// Why a connection of a load test could not be opened, as counted in its report.
public enum BenchFailure: Sendable, Hashable, Comparable {
    /// The host name could not be resolved.
    case nameResolution
    /// The TCP connection was refused.
    case refused
    /// The connect timeout passed (connecting, TLS or the upgrade).
    case timeout
    /// TLS could not be established or verified.
    case tls
    /// The server answered the upgrade with this HTTP status instead of 101.
    case status(Int)
    /// Anything else: another socket error, a bad 101 answer, a proxy's refusal.
    case other

    /// The cause of `error`; a timeout first, since every step can time out.
    public init(_ error: WebSocketClientError) {
        if error.limit == .connectTimeout {
            self = .timeout
        } else if error.category == .tls {
            self = .tls
        } else if let status = error.status {
            self = .status(status)
        } else {
            switch error.socketFailure {
            case .nameNotResolved?: self = .nameResolution
            case .refused?: self = .refused
            case .other?, nil: self = .other
            }
        }
    }
}

/// What one part of a load test counted: a shard's share (one per event loop), or all of them merged.
/// Times are nanoseconds.
struct BenchTally: Sendable {
    /// The largest time a histogram tells apart: an hour; longer ones count as an hour.
    static let longest: UInt64 = 3_600_000_000_000

    /// Round trips, and the steps of opening connections, in nanoseconds.
    var roundTrip = Self.histogram()
    var connect = Self.histogram()
    var tls = Self.histogram()
    var upgrade = Self.histogram()
    /// Messages each way.
    var counts = BenchCounts()
    /// Connections opened, and those of them that have ended.
    var opened = 0
    var closed = 0
    /// Connections that could not be opened, by cause.
    var failures: [BenchFailure: Int] = [:]
    /// How the connections ended, by close code.
    var closeCodes: [UInt16: Int] = [:]
    /// Messages unanswered when their connection ended.
    var lost = 0

    private static func histogram() -> Histogram<UInt64> {
        Histogram(
            lowestDiscernibleValue: 1,
            highestTrackableValue: Self.longest,
            numberOfSignificantValueDigits: .three
        )
    }

    /// Records a value, an hour at most.
    static func record(_ value: UInt64, in histogram: inout Histogram<UInt64>) {
        _ = histogram.record(min(max(value, 1), Self.longest))
    }

    /// A connection that opened, and how long its steps took.
    mutating func opened(_ timing: ConnectTiming?) {
        self.opened += 1
        guard let timing else { return }
        Self.record(timing.connect.nanoseconds, in: &self.connect)
        if let tls = timing.tls {
            Self.record(tls.nanoseconds, in: &self.tls)
        }
        Self.record(timing.upgrade.nanoseconds, in: &self.upgrade)
    }

    /// A connection's latencies and counts since its last flush.
    mutating func flush(_ counts: inout BenchCounts) {
        for latency in counts.latencies {
            Self.record(latency, in: &self.roundTrip)
        }
        counts.latencies.removeAll(keepingCapacity: true)
        self.counts.add(counts)
        counts.clear()
    }

    /// Adds another tally's figures to this one's.
    mutating func add(_ other: BenchTally) {
        self.roundTrip.add(other.roundTrip)
        self.connect.add(other.connect)
        self.tls.add(other.tls)
        self.upgrade.add(other.upgrade)
        self.counts.add(other.counts)
        self.opened += other.opened
        self.closed += other.closed
        self.failures.merge(other.failures, uniquingKeysWith: +)
        self.closeCodes.merge(other.closeCodes, uniquingKeysWith: +)
        self.lost += other.lost
    }
}

/// The messages one task of a connection counted since it last handed them to its shard.
struct BenchCounts: Sendable {
    /// Messages sent after the warm-up, and their payload bytes.
    var sent = 0
    var sentBytes = 0
    /// Replies matched after the warm-up, and their payload bytes.
    var received = 0
    var receivedBytes = 0
    /// Replies that matched no message in flight.
    var unmatched = 0
    /// When the last counted reply arrived.
    var lastReply: UInt64 = 0
    /// Round trips not yet in a histogram.
    var latencies: [UInt64] = []

    /// Adds another task's counts (not its latencies) to these.
    mutating func add(_ other: BenchCounts) {
        self.sent += other.sent
        self.sentBytes += other.sentBytes
        self.received += other.received
        self.receivedBytes += other.receivedBytes
        self.unmatched += other.unmatched
        self.lastReply = max(self.lastReply, other.lastReply)
    }

    /// Zeroes the counts, keeping the latencies' storage.
    mutating func clear() {
        let latencies = self.latencies
        self = BenchCounts()
        self.latencies = latencies
    }
}

extension Duration {
    /// The duration in whole nanoseconds (0 for a negative one).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = self.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
