import ArgumentParser

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

    /// Whether any option of this group was given, which only matters for a `wss://` URL.
    var isUsed: Bool {
        self.insecure || self.cacert != nil || self.cert != nil || self.key != nil || self.serverName != nil
    }

    mutating func validate() throws {
        if self.insecure && self.cacert != nil {
            throw ValidationError("--insecure skips verification, so --cacert would not be used; pick one")
        }
        if self.key != nil && self.cert == nil {
            throw ValidationError("--key needs its certificate: add --cert FILE")
        }
        if let serverName, serverName.isEmpty || serverName.contains(where: { $0 == "/" || $0.isWhitespace }) {
            throw ValidationError("--tls-servername takes a host name or an IP address, not '\(serverName)'")
        }
    }
}
