import ArgumentParser

/// The values every number option accepts, written once: the options' `validate()` checks against them and
/// their help texts show them.
///
/// Every range is bounded: a value past the top (`1e19` seconds, `1e308`) would overflow the conversion to a
/// `Duration` or the event loop's nanoseconds and stop wsc with a trap instead of a message, and a ping every
/// nanosecond is a flood, not a keepalive.
enum OptionRanges {
    /// The longest any time option may be: a year (365 days), in seconds.
    static let longestSeconds: Double = 365 * 24 * 60 * 60

    /// `--connect-timeout`, `--close-timeout` and `--ping-timeout`: a millisecond to a year.
    static let timeout = SecondsRange(0.001...longestSeconds)
    /// `--ping-interval`: no more than 20 pings a second.
    static let pingInterval = SecondsRange(0.05...longestSeconds)
    /// `-w`: from 0 (close at once) to a year; -1, waiting for the server to close, is checked on its own.
    static let wait = SecondsRange(0...longestSeconds)
    /// `--max-message-size`: the decoder's frame limit is a 32-bit count (NIO's `WebSocketFrameDecoder`).
    static let messageSize = 1...Int(UInt32.max)
    /// `--max-clients`: each takes a descriptor, and a million is past any system's hard limit.
    static let clients = 1...1_000_000
    /// `--max-redirs`.
    static let redirects = 0...1000
    /// `--count`.
    static let count = 1...Int(Int32.max)
    /// `--reconnect-max`.
    static let attempts = 1...1_000_000
    /// `wsc bench --connections`.
    static let connections = 1...1_000_000
    /// `wsc bench --pipeline`.
    static let pipeline = 1...1_000_000

    /// A range of seconds and its words for help texts and errors.
    struct SecondsRange {
        /// The accepted values; `nan` is in none.
        let range: ClosedRange<Double>

        init(_ range: ClosedRange<Double>) {
            self.range = range
        }

        /// `0.05 to 31536000 seconds (a year)`.
        var text: String {
            let upper =
                self.range.upperBound == OptionRanges.longestSeconds
                ? "\(Int(self.range.upperBound)) seconds (a year)" : "\(Self.format(self.range.upperBound)) seconds"
            return "\(Self.format(self.range.lowerBound)) to \(upper)"
        }

        /// Throws the usage error for `option` unless `value` is in the range.
        func check(_ value: Double, option: String) throws {
            guard self.range.contains(value) else {
                throw ValidationError("\(option) takes \(self.text); got \(Self.format(value))")
            }
        }

        /// A number as typed: `30`, not `30.0`; `1e+19` for the huge.
        private static func format(_ value: Double) -> String {
            value.rounded() == value && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
        }
    }

    /// Throws the usage error for `option` unless `value` is in `range`; `unit` names what is counted.
    static func check(_ value: Int, in range: ClosedRange<Int>, option: String, unit: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) takes \(range.lowerBound) to \(range.upperBound) \(unit); got \(value)")
        }
    }
}
