import WSEngine

/// A load test's report for a person: a table of connections, connect steps, round trips and rates, and
/// the round trips' distribution drawn with block characters. A pure function of the report.
public enum BenchTable {
    /// The report as lines of text; `title` heads it (what was tested, and how).
    public static func render(_ report: BenchReport, title: String) -> String {
        var lines = [title, ""]
        var connections = "connections   \(report.opened) of \(report.connections) opened"
        if report.failed > 0 {
            let causes = report.failures.sorted { $0.key < $1.key }.map { "\($0.value) \(BenchWords.cause($0.key))" }
            connections += ", \(report.failed) failed (\(causes.joined(separator: ", ")))"
        }
        lines.append(connections)
        if !report.closeCodes.isEmpty {
            let codes = report.closeCodes.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }
            lines.append("closed        " + codes.joined(separator: ", "))
        }
        let steps: [(String, LatencySummary)] = [
            ("connect", report.connect), ("TLS", report.tls), ("upgrade", report.upgrade),
            ("round trip", report.roundTrip),
        ].compactMap { name, summary in summary.map { (name, $0) } }
        if !steps.isEmpty {
            lines.append("")
            lines.append(Self.row("", ["p50", "p90", "p99", "p99.9", "max"]))
        }
        for (name, summary) in steps {
            let cells = [summary.p50, summary.p90, summary.p99, summary.p999, summary.max].map(BenchWords.milliseconds)
            lines.append(Self.row(name, cells))
        }
        lines.append("")
        let perConnection = max(1, report.opened)
        lines.append(
            Self.row("", ["messages", "msg/s", "MB/s", "msg/s/conn", "MB/s/conn"], width: 12)
        )
        for (name, count, bytes) in [
            ("sent", report.sent, report.sentBytes), ("received", report.received, report.receivedBytes),
        ] {
            let rate = report.perSecond(count)
            let megabytes = report.perSecond(bytes) / 1e6
            lines.append(
                Self.row(
                    name,
                    [
                        "\(count)", BenchWords.decimal(rate, digits: 0), BenchWords.decimal(megabytes, digits: 2),
                        BenchWords.decimal(rate / Double(perConnection), digits: 1),
                        BenchWords.decimal(megabytes / Double(perConnection), digits: 3),
                    ],
                    width: 12
                )
            )
        }
        lines.append(
            "measured      \(BenchWords.decimal(BenchWords.ms(report.measured) / 1e3, digits: 2)) s; "
                + "\(report.unmatched) unmatched, \(report.lost) lost"
        )
        if let roundTrip = report.roundTrip, !roundTrip.bars.isEmpty {
            lines.append("")
            lines.append("round trips (\(roundTrip.count)):")
            lines += Self.histogram(roundTrip.bars, width: 40)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One bar a line: its upper bound, a bar of block characters scaled to the largest, and its count.
    static func histogram(_ bars: [LatencySummary.Bar], width: Int) -> [String] {
        let largest = bars.map(\.count).max() ?? 0
        guard largest > 0 else { return [] }
        let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return bars.map { bar in
            // A range with any value in it shows at least a sliver.
            let length = bar.count == 0 ? 0 : max(1, bar.count * width * 8 / largest)
            let drawn = String(repeating: "█", count: length / 8) + eighths[length % 8]
            let label = "≤ " + BenchWords.milliseconds(bar.upTo)
            let padding = String(repeating: " ", count: max(0, width - drawn.count))
            return Self.padded(label, to: 14, right: true) + " " + drawn + padding + " \(bar.count)"
        }
    }

    private static func row(_ name: String, _ cells: [String], width: Int = 11) -> String {
        Self.padded(name, to: 14) + cells.map { Self.padded($0, to: width, right: true) }.joined()
    }

    private static func padded(_ text: String, to width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}

/// The words and number formats the bench's renderings (and its error lines) share.
public enum BenchWords {
    /// A failure cause as the report names it.
    public static func cause(_ failure: BenchFailure) -> String {
        switch failure {
        case .nameResolution: "DNS"
        case .refused: "refused"
        case .timeout: "timeout"
        case .tls: "TLS"
        case .status(let code): "HTTP \(code)"
        case .other: "other"
        }
    }

    /// A failure cause as a JSON key.
    static func key(_ failure: BenchFailure) -> String {
        switch failure {
        case .nameResolution: "dns"
        case .refused: "refused"
        case .timeout: "timeout"
        case .tls: "tls"
        case .status(let code): "http_\(code)"
        case .other: "other"
        }
    }

    /// Milliseconds, with three significant digits down to a microsecond: `0.052 ms`, `20.3 ms`.
    public static func milliseconds(_ duration: Duration) -> String {
        let value = Self.ms(duration)
        let digits = value < 1 ? 3 : value < 10 ? 2 : value < 100 ? 1 : 0
        return Self.decimal(value, digits: digits) + " ms"
    }

    /// A duration in milliseconds.
    static func ms(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e3 + Double(attoseconds) / 1e15
    }

    /// `value` with `digits` decimals.
    static func decimal(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded()
        let whole = Int64(scaled / scale)
        guard digits > 0 else { return "\(whole)" }
        let fraction = Int64(abs(scaled) - abs(Double(whole)) * scale)
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
