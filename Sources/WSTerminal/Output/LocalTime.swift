#if canImport(Glibc)
    import Glibc
#endif

/// A wall-clock time of day to the millisecond: in the local time zone, what the REPL prints at the start of
/// each line; in UTC, the time part of a ``UTCTimestamp``.
struct LocalTime: Equatable, Sendable {
    /// 0-23.
    var hour: Int
    /// 0-59.
    var minute: Int
    /// 0-60 (a leap second is 60).
    var second: Int
    /// 0-999.
    var millisecond: Int

    /// The width of ``text`` in columns.
    static let width = 12

    /// Creates a time from its parts.
    init(hour: Int, minute: Int, second: Int, millisecond: Int) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// The time now, in the local time zone (`localtime_r`, so `TZ` is honoured).
    static func now() -> LocalTime {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        return LocalTime(
            hour: Int(parts.tm_hour),
            minute: Int(parts.tm_min),
            second: Int(parts.tm_sec),
            millisecond: Int(now.tv_nsec / 1_000_000)
        )
    }

    /// `HH:MM:SS.mmm`.
    var text: String {
        var bytes: [UInt8] = []
        self.write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `HH:MM:SS.mmm` as ASCII.
    func write(to bytes: inout [UInt8]) {
        DecimalDigits.write(self.hour, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        DecimalDigits.write(self.minute, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        DecimalDigits.write(self.second, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        DecimalDigits.write(self.millisecond, count: 3, to: &bytes)
    }
}

/// Zero-padded decimal numbers as ASCII, for the times printed before messages; no `String` formatting on
/// the way to stdout.
enum DecimalDigits {
    /// Appends the last `count` decimal digits of `value` (0 if negative), zero-padded.
    static func write(_ value: Int, count: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count {
            divisor *= 10
        }
        var rest = max(0, value)
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
