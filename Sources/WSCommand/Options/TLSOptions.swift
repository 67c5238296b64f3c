import ArgumentParser
import WSEngine
import WSTLS

/// How `wss://` connections are verified and authenticated, with curl's option names so that a command line
/// that works with `curl` works here.
struct TLSOptions: ParsableArguments {
    @Flag(
        name: [.customShort("k"), .long],
        help: "Do not verify the server's certificate or name (for testing; prints a warning)."
    )
    var insecure = false

    @Option(
        help: ArgumentHelp(
            "Trust the CA certificates in this PEM file instead of the system store (wsc --cacert ca.pem wss://localhost:8443/).",
            valueName: "file"
        ),
        completion: .file()
    )
    var cacert: String?

    @Option(
        help: ArgumentHelp(
            "Present this PEM client certificate (and chain) to servers that ask for one (--cert me.pem --key me.key).",
            valueName: "file"
        ),
        completion: .file()
    )
    var cert: String?

    @Option(
        help: ArgumentHelp(
            "The unencrypted PEM private key of --cert; without it the key is read from the --cert file.",
            valueName: "file"
        ),
        completion: .file()
    )
    var key: String?

    @Option(
        name: .customLong("tls-servername"),
        help: ArgumentHelp(
            "Send this name in SNI and verify the certificate against it instead of the URL's host (wss://127.0.0.1:8443/ --tls-servername example.com).",
            valueName: "name"
        )
    )
    var serverName: String?

    @Flag(name: .customLong("tlsv1.2"), help: "Use TLS 1.2 or newer (the default; curl's spelling).")
    var tls12OrNewer = false

    @Flag(name: .customLong("tlsv1.3"), help: "Use TLS 1.3 only: refuse servers that offer no more than TLS 1.2.")
    var tls13OrNewer = false

    /// A TLS version that `--tls-max` names, as curl spells it.
    enum VersionChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
        case tls12 = "1.2"
        case tls13 = "1.3"

        var version: TLSVersion {
            switch self {
            case .tls12: .tls12
            case .tls13: .tls13
            }
        }
    }

    @Option(
        name: .customLong("tls-max"),
        help: ArgumentHelp(
            "Offer no TLS version newer than this: 1.2 or 1.3 (to test a server's TLS 1.2).",
            valueName: "version"
        )
    )
    var maximumVersion: VersionChoice?

    /// Whether any option of this group was given, which only matters for a `wss://` URL.
    var isUsed: Bool {
        self.insecure || self.cacert != nil || self.cert != nil || self.key != nil || self.serverName != nil
            || self.tls12OrNewer || self.tls13OrNewer || self.maximumVersion != nil
    }

    /// The oldest version `--tlsv1.2` and `--tlsv1.3` allow: TLS 1.2 unless 1.3 is asked for.
    var minimumVersion: TLSVersion {
        self.tls13OrNewer ? .tls13 : .tls12
    }

    mutating func validate() throws {
        if self.insecure && self.cacert != nil {
            throw ValidationError("--insecure skips verification, so --cacert would not be used; pick one")
        }
        if self.key != nil && self.cert == nil {
            throw ValidationError("--key needs its certificate: add --cert FILE")
        }
        if self.tls13OrNewer && self.maximumVersion == .tls12 {
            throw ValidationError("--tlsv1.3 with --tls-max 1.2 leaves no TLS version to use; drop one")
        }
        if let serverName, serverName.isEmpty || serverName.contains(where: { $0 == "/" || $0.isWhitespace }) {
            throw ValidationError("--tls-servername takes a host name or an IP address, not '\(serverName)'")
        }
        if let serverName, let problem = HostName.problem(in: serverName) {
            throw ValidationError("--tls-servername takes a host name or an IP address: \(problem)")
        }
    }
}
