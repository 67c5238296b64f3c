#if DEBUG || FUZZING
    @testable import WSEngine

    /// URLs, proxy URLs and redirect locations: what parses is a ws:// or wss:// URL whose request target
    /// starts with `/`, and a redirect resolves to one as well.
    enum URLFuzzing {
        static func run(_ body: [UInt8]) {
            let text = String(decoding: body, as: UTF8.self)
            _ = try? ProxyConfiguration(parsing: text)
            if let url = try? WebSocketURL(parsing: text) {
                precondition(url.requestTarget.hasPrefix("/"), "request target \(url.requestTarget)")
                precondition(url.port > 0 && url.port < 65536)
            }
            let base = try! WebSocketURL(parsing: "wss://user:pw@example.com:8443/a/b?c")
            if let resolved = try? base.resolvingRedirect(to: text) {
                precondition(resolved.requestTarget.hasPrefix("/"), "redirect target \(resolved.requestTarget)")
            }
        }
    }
#endif
