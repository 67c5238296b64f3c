#if canImport(Glibc)
    import Glibc
#endif

/// The local wall-clock time as `HH:MM:SS.mmm`, the prefix of received messages.
///
/// Built from `clock_gettime` and `localtime_r` into a fixed 12-byte buffer: it runs once per message, so
/// it avoids Foundation's date formatting.
public enum Timestamp {
    /// The current local time.
    public static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        return Self.format(
            hour: Int(parts.tm_hour),
            minute: Int(parts.tm_min),
            second: Int(parts.tm_sec),
            millisecond: spec.tv_nsec / 1_000_000
        )
    }

    /// Formats the parts with leading zeros.
    public static func format(hour: Int, minute: Int, second: Int, millisecond: Int) -> String {
        let digits = [
            hour / 10, hour % 10, -1, minute / 10, minute % 10, -1, second / 10, second % 10, -2,
            millisecond / 100, millisecond / 10 % 10, millisecond % 10,
        ]
        return String(
            decoding: digits.map { digit in
                switch digit {
                case -1: UInt8(ascii: ":")
                case -2: UInt8(ascii: ".")
                default: UInt8(ascii: "0") + UInt8(digit)
                }
            },
            as: UTF8.self
        )
    }
}
