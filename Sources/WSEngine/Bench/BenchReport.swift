import Histogram

/// The figures of a load test, for a front end to render: connections by outcome, the steps of opening
/// them, messages each way and their round trips.
public struct BenchReport: Sendable, Equatable {
    /// The connections asked for.
    public var connections: Int
    /// The connections that opened.
    public var opened: Int
    /// The connections that could not be opened, by cause.
    public var failures: [BenchFailure: Int]
    /// How the opened connections ended, by close code (1006 for a drop without a Close).
    public var closeCodes: [UInt16: Int]
    /// The opened connections' TCP connect times, name resolution included.
    public var connect: LatencySummary?
    /// Their TLS handshakes, for `wss://`.
    public var tls: LatencySummary?
    /// Their HTTP upgrades.
    public var upgrade: LatencySummary?
    /// Round trips of the messages matched after the warm-up.
    public var roundTrip: LatencySummary?
    /// Messages sent after the warm-up.
    public var sent: Int
    /// Their payload bytes.
    public var sentBytes: Int
    /// Replies matched to messages sent after the warm-up.
    public var received: Int
    /// Their payload bytes.
    public var receivedBytes: Int
    /// Replies that matched no message in flight (the replies to login messages among them).
    public var unmatched: Int
    /// Messages still unanswered when their connection ended.
    public var lost: Int
    /// The time the rates are measured over: from the end of the warm-up to the last reply.
    public var measured: Duration

    /// Creates a report; tests build their own.
    public init(
        connections: Int,
        opened: Int,
        failures: [BenchFailure: Int] = [:],
        closeCodes: [UInt16: Int] = [:],
        connect: LatencySummary? = nil,
        tls: LatencySummary? = nil,
        upgrade: LatencySummary? = nil,
        roundTrip: LatencySummary? = nil,
        sent: Int = 0,
        sentBytes: Int = 0,
        received: Int = 0,
        receivedBytes: Int = 0,
        unmatched: Int = 0,
        lost: Int = 0,
        measured: Duration = .zero
    ) {
        self.connections = connections
        self.opened = opened
        self.failures = failures
        self.closeCodes = closeCodes
        self.connect = connect
        self.tls = tls
        self.upgrade = upgrade
        self.roundTrip = roundTrip
        self.sent = sent
        self.sentBytes = sentBytes
        self.received = received
        self.receivedBytes = receivedBytes
        self.unmatched = unmatched
        self.lost = lost
        self.measured = measured
    }

    /// Connections that failed to open.
    public var failed: Int {
        self.failures.values.reduce(0, +)
    }

    /// Opened connections that ended with a code other than 1000 or 1001.
    public var dropped: Int {
        self.closeCodes.filter { $0.key != 1000 && $0.key != 1001 }.values.reduce(0, +)
    }

    /// Everything that went wrong: failed and dropped connections, and lost messages.
    public var errors: Int {
        self.failed + self.dropped + self.lost
    }

    /// Matched messages per second.
    public var messagesPerSecond: Double {
        self.perSecond(self.received)
    }

    /// `count` per second of the measured time; 0 without one.
    public func perSecond(_ count: Int) -> Double {
        let seconds = Double(self.measured.nanoseconds) / 1e9
        return seconds > 0 ? Double(count) / seconds : 0
    }
}

/// Percentiles and a coarse distribution of recorded durations.
public struct LatencySummary: Sendable, Equatable {
    /// One bar of the distribution: the values up to `upTo` (above the previous bar's).
    public struct Bar: Sendable, Equatable {
        /// The largest value the bar counts.
        public var upTo: Duration
        /// How many values it counts.
        public var count: Int

        /// Creates a bar.
        public init(upTo: Duration, count: Int) {
            self.upTo = upTo
            self.count = count
        }
    }

    /// How many values were recorded.
    public var count: Int
    /// The smallest.
    public var min: Duration
    /// Their mean.
    public var mean: Duration
    /// The median.
    public var p50: Duration
    /// The 90th percentile.
    public var p90: Duration
    /// The 99th percentile.
    public var p99: Duration
    /// The 99.9th percentile.
    public var p999: Duration
    /// The largest.
    public var max: Duration
    /// Counts in doubling ranges from the smallest value to the largest.
    public var bars: [Bar]

    /// Creates a summary; tests build their own.
    public init(
        count: Int,
        min: Duration,
        mean: Duration,
        p50: Duration,
        p90: Duration,
        p99: Duration,
        p999: Duration,
        max: Duration,
        bars: [Bar] = []
    ) {
        self.count = count
        self.min = min
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
        self.max = max
        self.bars = bars
    }

    /// The summary of a histogram of nanoseconds; `nil` when it is empty.
    init?(_ histogram: Histogram<UInt64>) {
        guard histogram.totalCount > 0 else { return nil }
        let duration = { (value: UInt64) in Duration.nanoseconds(Int64(clamping: value)) }
        var bars: [Bar] = []
        // Doubling ranges from the largest power of two at or below the smallest value.
        let first = UInt64(1) << UInt64(63 - histogram.min.leadingZeroBitCount)
        for bucket in histogram.logarithmicBucketValues(valueUnitsInFirstBucket: first, logBase: 2) {
            bars.append(Bar(upTo: duration(bucket.value), count: Int(bucket.countAddedInThisIterationStep)))
        }
        self.init(
            count: Int(histogram.totalCount),
            min: duration(histogram.min),
            mean: duration(UInt64(histogram.mean)),
            p50: duration(histogram.valueAtPercentile(50)),
            p90: duration(histogram.valueAtPercentile(90)),
            p99: duration(histogram.valueAtPercentile(99)),
            p999: duration(histogram.valueAtPercentile(99.9)),
            max: duration(histogram.max),
            bars: Array(bars.drop { $0.count == 0 })
        )
    }
}

/// A load test while it runs, for a live status line.
public struct BenchProgress: Sendable, Equatable {
    /// Since the test started.
    public var elapsed: Duration
    /// Connections open now.
    public var open: Int
    /// Messages matched so far (after the warm-up).
    public var received: Int
    /// The 99th percentile of the round trips so far.
    public var p99: Duration?

    /// Creates a snapshot.
    public init(elapsed: Duration, open: Int, received: Int, p99: Duration?) {
        self.elapsed = elapsed
        self.open = open
        self.received = received
        self.p99 = p99
    }
}
