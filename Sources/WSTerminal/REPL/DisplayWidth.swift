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
        let layout = Self.layOut(scalars, from: column, width: width)
        return (layout.rows.count, layout.column)
    }

    /// The cursor's row after a terminal now `width` columns wide re-wrapped what libedit drew `drawnWidth` wide
    /// (`scalars` from `column`, every row ending in a line break, as wsc has libedit draw them): a row longer than
    /// the new width is split (as tmux, VTE, kitty and others reflow), a shorter one stays, rows are never joined.
    static func rowAfterRewrap<Scalars: Sequence<Unicode.Scalar>>(
        after scalars: Scalars,
        from column: Int,
        drawnWidth: Int,
        width: Int
    ) -> Int {
        let width = max(1, width)
        let layout = Self.layOut(scalars, from: column, width: drawnWidth)
        return layout.rows.reduce(0) { $0 + max(1, ($1 + width - 1) / width) } + layout.column / width
    }

    /// The rows libedit ends drawing `scalars` from `column`, `width` wide (the columns each takes: a row ended
    /// by a character that does not fit is padded to the last column), and the cursor's column on the next row.
    private static func layOut<Scalars: Sequence<Unicode.Scalar>>(
        _ scalars: Scalars,
        from start: Int,
        width: Int
    ) -> (rows: [Int], column: Int) {
        let width = max(1, width)
        var rows = Array(repeating: width, count: start / width)
        var column = start % width
        func endRow(_ length: Int) {
            rows.append(length)
            column = 0
        }
        func advance(_ columns: Int) {
            if column + columns > width {
                endRow(width)
            }
            column += columns
            if column >= width {
                endRow(width)
            }
        }
        for scalar in scalars {
            switch scalar {
            case "\n":
                endRow(column)
            case "\t":
                repeat {
                    advance(1)
                } while column % 8 != 0
            default:
                advance(Self.columns(of: scalar))
            }
        }
        return (rows, column)
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
