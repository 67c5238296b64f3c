import ArgumentParser

/// A size in bytes written as a number with an optional binary suffix: `65536`, `64K`, `16M`, `1G`. A product too
/// large for an `Int` (`9000000000000G`) becomes the largest one, which no range accepts.
struct ByteCount: ExpressibleByArgument, Sendable {
    /// The size in bytes.
    var bytes: Int

    init(bytes: Int) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(argument)
        var multiplier = 1
        if let last = digits.last?.uppercased().first, let found = multipliers[last] {
            multiplier = found
            digits = digits.dropLast()
        }
        // Only the syntax: the range (``OptionRanges/messageSize``) is checked with a message naming it.
        guard let value = Int(digits) else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        self.bytes = overflow ? (value < 0 ? Int.min : Int.max) : bytes
    }

    var defaultValueDescription: String {
        self.bytes % (1 << 20) == 0 ? "\(self.bytes >> 20)M" : "\(self.bytes)"
    }
}
