import CLibEdit

/// How many terminal columns text takes in the line being edited, the way libedit itself counts them (its
/// `ct_visual_width`), so that the REPL finds the rows of a wrapped line exactly where libedit drew them:
/// printable characters take what the C library's `wcwidth` says for the selected UTF-8 locale (two for East
/// Asian wide characters and emoji, none for combining marks), control characters two (libedit shows them as
/// `^X`), and other characters libedit cannot print the width of their `\U+XXXX` escape. A tab reaches the next
/// multiple of eight columns, and a line break (Alt-Enter, or a pasted one) starts a new row, as libedit draws them.
enum DisplayWidth {
    /// Where the cursor is after libedit drew `scalars` from `column` on the first row of a terminal `width`
    /// columns wide: a character that does not fit on a row goes to the next one, and a row filled to the last
    /// column puts the cursor at the start of the next.
    static func position<Scalars: Sequence<Unicode.Scalar>>(
        after scalars: Scalars,
        from column: Int,
        width: Int
    ) -> (row: Int, column: Int) {
        let width = max(1, width)
        var row = column / width
        var column = column % width
        func advance(_ columns: Int) {
            if column + columns > width {
                row += 1
                column = 0
            }
            column += columns
            if column >= width {
                row += 1
                column = 0
            }
        }
        for scalar in scalars {
            switch scalar {
            case "\n":
                row += 1
                column = 0
            case "\t":
                repeat {
                    advance(1)
                } while column % 8 != 0
            default:
                advance(Self.columns(of: scalar))
            }
        }
        return (row, column)
    }

    /// The columns `scalars` take.
    static func columns<Scalars: Sequence<Unicode.Scalar>>(of scalars: Scalars) -> Int {
        scalars.reduce(0) { $0 + Self.columns(of: $1) }
    }

    /// The columns one scalar takes.
    static func columns(of scalar: Unicode.Scalar) -> Int {
        let character = wchar_t(bitPattern: scalar.value)
        switch scalar.value {
        case 0x09:
            return 1
        case 0x0A:
            return 0
        case 0x00..<0x100 where wsc_iswcntrl(character) != 0:
            return 2
        default:
            guard wsc_iswprint(character) != 0 else {
                return scalar.value > 0xFFFF ? 8 : 7
            }
            return max(Int(wsc_wcwidth(character)), 0)
        }
    }
}
