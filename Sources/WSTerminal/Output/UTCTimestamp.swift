#if canImport(Glibc)
    import Glibc
#endif

/// A date and time in UTC to the millisecond, written as RFC 3339 says (`2026-11-25T04:31:12.345Z`): the
/// `time` of a JSON line, which programs compare and sort without knowing the printing machine's time zone.
struct UTCTimestamp: Equatable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    var secondsSinceEpoch: Int
    /// 0-999.
    var millisecond: Int

    /// The time now.
    static func now() -> UTCTimestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UTCTimestamp(secondsSinceEpoch: Int(now.tv_sec), millisecond: Int(now.tv_nsec / 1_000_000))
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` as ASCII.
    func write(to bytes: inout [UInt8]) {
        var seconds = time_t(self.secondsSinceEpoch)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        DecimalDigits.write(Int(parts.tm_year) + 1900, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        DecimalDigits.write(Int(parts.tm_mon) + 1, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        DecimalDigits.write(Int(parts.tm_mday), count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        let timeOfDay = LocalTime(
            hour: Int(parts.tm_hour),
            minute: Int(parts.tm_min),
            second: Int(parts.tm_sec),
            millisecond: self.millisecond
        )
        timeOfDay.write(to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }
}
