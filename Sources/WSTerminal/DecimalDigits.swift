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
