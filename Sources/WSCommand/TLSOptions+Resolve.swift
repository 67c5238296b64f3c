import WSEngine
import WSTLS

extension TLSOptions {
    /// The TLS context for `url`: built here, before connecting, so that a missing or unusable `--cacert`,
    /// `--cert` or `--key` file is reported at once, as a TLS failure (exit code 5) rather than as a usage
    /// error: the command line was well formed, but TLS cannot be set up with what it names.
    ///
    /// `nil` for a `ws://` URL, where no file is read (see ``warnings(for:)``), and when no option was given:
    /// the engine then uses the system trust store.
    func clientContext(for url: WebSocketURL) throws(WebSocketClientError) -> TLSClientContext? {
        guard url.isSecure, self.isUsed else {
            return nil
        }
        let configuration = TLSConfiguration(
            verifyPeer: !self.insecure,
            caFile: self.cacert,
            certificateFile: self.cert,
            privateKeyFile: self.key,
            serverName: self.serverName,
            minimumVersion: self.minimumVersion,
            maximumVersion: self.maximumVersion?.version
        )
        do {
            return try TLSClientContext(configuration: configuration)
        } catch {
            throw .tls(error)
        }
    }

    /// The `wsc: warning:` lines these options call for with `url`.
    ///
    /// TLS options with a `ws://` URL are a warning, not an error: the likely mistake is the scheme, and
    /// refusing to run would stop a script that passes the same options to every URL it is given (as curl
    /// accepts `-k` for `http://`).
    func warnings(for url: WebSocketURL) -> [String] {
        guard url.isSecure else {
            return self.isUsed
                ? ["TLS options have no effect on a ws:// URL, which is not encrypted: did you mean wss:// ?"] : []
        }
        return self.insecure
            ? ["--insecure: the server's certificate is not verified, so this connection can be intercepted"] : []
    }
}
