/// How many terminal columns text takes, as far as the REPL needs to know to find the rows of the line being
/// edited: East Asian wide characters and most emoji take two columns, combining marks none, control characters
/// two (the line editor shows them as `^X`), everything else one.
enum DisplayWidth {
    /// The columns `scalars` take.
    static func columns<Scalars: Sequence<Unicode.Scalar>>(of scalars: Scalars) -> Int {
        scalars.reduce(0) { $0 + Self.columns(of: $1) }
    }

    /// The columns one scalar takes.
    static func columns(of scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x00...0x1F, 0x7F:
            return 2
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x200B...0x200F, 0x20D0...0x20FF, 0xFE00...0xFE0F,
            0xFE20...0xFE2F:
            return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
