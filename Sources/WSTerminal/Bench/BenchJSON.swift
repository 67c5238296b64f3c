import NIOCore
import WSEngine

/// A load test's report as one JSON document, for CI and for plotting: times in milliseconds, rates per
/// second, byte rates in megabytes (10^6 bytes) per second. A pure function of the report.
public enum BenchJSON {
    /// The document, with a line break at its end.
    public static func render(_ report: BenchReport, url: String) -> String {
        var urlText = ByteBuffer()
        JSONLine.writeString(ByteBuffer(string: url), to: &urlText)
        let failures = report.failures.sorted { $0.key < $1.key }.map { "\"\(BenchWords.key($0.key))\":\($0.value)" }
        let closes = report.closeCodes.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
        let perConnection = Double(max(1, report.opened))
        let rates = { (count: Int, bytes: Int) -> String in
            let rate = report.perSecond(count)
            let megabytes = report.perSecond(bytes) / 1e6
            return "{\"messages_per_second\":\(Self.number(rate)),\"mb_per_second\":\(Self.number(megabytes)),"
                + "\"messages_per_second_per_connection\":\(Self.number(rate / perConnection)),"
                + "\"mb_per_second_per_connection\":\(Self.number(megabytes / perConnection))}"
        }
        let fields = [
            "\"url\":\(String(buffer: urlText))",
            "\"connections\":{\"requested\":\(report.connections),\"opened\":\(report.opened),"
                + "\"failed\":\(report.failed),\"failures\":{\(failures.joined(separator: ","))},"
                + "\"close_codes\":{\(closes.joined(separator: ","))}}",
            "\"connect_ms\":\(Self.summary(report.connect))",
            "\"tls_ms\":\(Self.summary(report.tls))",
            "\"upgrade_ms\":\(Self.summary(report.upgrade))",
            "\"round_trip_ms\":\(Self.summary(report.roundTrip))",
            "\"messages\":{\"sent\":\(report.sent),\"received\":\(report.received),"
                + "\"unmatched\":\(report.unmatched),\"lost\":\(report.lost),"
                + "\"sent_bytes\":\(report.sentBytes),\"received_bytes\":\(report.receivedBytes)}",
            "\"seconds\":\(Self.number(BenchWords.ms(report.measured) / 1e3))",
            "\"sent\":\(rates(report.sent, report.sentBytes))",
            "\"received\":\(rates(report.received, report.receivedBytes))",
            "\"errors\":\(report.errors)",
        ]
        return "{" + fields.joined(separator: ",") + "}\n"
    }

    private static func summary(_ summary: LatencySummary?) -> String {
        guard let summary else { return "null" }
        let values = [
            ("min", summary.min), ("mean", summary.mean), ("p50", summary.p50), ("p90", summary.p90),
            ("p99", summary.p99), ("p99.9", summary.p999), ("max", summary.max),
        ].map { "\"\($0.0)\":\(Self.number(BenchWords.ms($0.1)))" }
        let bars = summary.bars.map { "{\"le\":\(Self.number(BenchWords.ms($0.upTo))),\"count\":\($0.count)}" }
        return
            "{\"count\":\(summary.count),\(values.joined(separator: ",")),\"histogram\":[\(bars.joined(separator: ","))]}"
    }

    /// A JSON number with up to six decimals.
    private static func number(_ value: Double) -> String {
        BenchWords.decimal(value, digits: 6).replacing(/\.?0+$/, with: "")
    }
}

/// The live status line of a running load test, redrawn in place on a terminal's stderr.
public enum BenchStatusLine {
    /// The line for `progress`, with the rate since `previous` (the last line's progress); a carriage return
    /// first and the rest of the line erased after, so that it overwrites the last one.
    public static func render(_ progress: BenchProgress, previous: BenchProgress?) -> String {
        let seconds = BenchWords.ms(progress.elapsed) / 1e3
        var rate = 0.0
        if let previous {
            let interval = (BenchWords.ms(progress.elapsed) - BenchWords.ms(previous.elapsed)) / 1e3
            rate = interval > 0 ? Double(progress.received - previous.received) / interval : 0
        }
        let p99 = progress.p99.map(BenchWords.milliseconds) ?? "-"
        return "\r\(BenchWords.decimal(seconds, digits: 1)) s  \(progress.open) connections  "
            + "\(BenchWords.decimal(rate, digits: 0)) msg/s  p99 \(p99)\u{1B}[K"
    }

    /// Erases the status line, before the report is printed.
    public static let erase = "\r\u{1B}[K"
}
