import ArgumentParser

/// Where `--listen` binds: `PORT`, `HOST:PORT` or `[IPv6]:PORT`.
///
/// A bare port binds 127.0.0.1 only: a tool started to try something out should not be reachable from the
/// network unless asked, so every interface takes an explicit `0.0.0.0:PORT` (or `[::]:PORT`).
struct ListenAddress: ExpressibleByArgument, Sendable, Equatable {
    /// The host bound when only a port is given.
    static let defaultHost = "127.0.0.1"

    /// An IP address or host name, without brackets.
    var host: String
    /// The TCP port; 0 lets the system choose.
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        let hostPart: Substring
        let portPart: Substring
        if argument.first == "[" {
            guard let close = argument.firstIndex(of: "]"),
                argument[argument.index(after: close)...].first == ":"
            else { return nil }
            hostPart = argument[argument.index(after: argument.startIndex)..<close]
            portPart = argument[argument.index(close, offsetBy: 2)...]
        } else if let colon = argument.lastIndex(of: ":") {
            hostPart = argument[..<colon]
            portPart = argument[argument.index(after: colon)...]
            guard !hostPart.contains(":") else { return nil }
        } else {
            hostPart = Substring(Self.defaultHost)
            portPart = Substring(argument)
        }
        guard !hostPart.isEmpty, portPart.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(portPart),
            (0...65535).contains(port)
        else { return nil }
        self.init(host: String(hostPart), port: port)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
