#if canImport(Glibc)
    import Glibc
#endif

/// The character set libedit decodes keystrokes with, chosen for the REPL and put back after it.
///
/// libedit reads multibyte characters with the C library's `mbrtowc`, which follows `LC_CTYPE`. A process
/// starts in the "C" locale, where libedit silently drops every non-ASCII byte, so the user's locale is
/// selected; if that is not UTF-8 either (no `LANG` at all, as in many containers), `C.UTF-8` is: WebSocket
/// text is UTF-8, and a line typed in another encoding would be refused anyway.
struct KeyboardLocale {
    private let previous: String?

    private init(previous: String?) {
        self.previous = previous
    }

    /// Selects the user's locale, or C.UTF-8 when that is not UTF-8.
    static func select() -> KeyboardLocale {
        let previous = setlocale(LC_CTYPE, nil).map { String(cString: $0) }
        setlocale(LC_CTYPE, "")
        if !Self.isUTF8 {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        return KeyboardLocale(previous: previous)
    }

    /// Puts back the locale that was selected before.
    func restore() {
        if let previous = self.previous {
            setlocale(LC_CTYPE, previous)
        }
    }

    private static var isUTF8: Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else {
            return false
        }
        let name = String(cString: codeset).lowercased()
        return name == "utf-8" || name == "utf8"
    }
}
