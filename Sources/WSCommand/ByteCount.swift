import ArgumentParser

/// A size in bytes written as a number with an optional binary suffix: `65536`, `64K`, `16M`, `1G`.
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
        guard let value = Int(digits), value > 0, value <= Int(UInt32.max) / multiplier else { return nil }
        self.bytes = value * multiplier
    }

    var defaultValueDescription: String {
        self.bytes % (1 << 20) == 0 ? "\(self.bytes >> 20)M" : "\(self.bytes)"
    }
}
