import WSEngine
import WSTLS

extension TLSOptions {
    /// The TLS settings these options ask for; `nil` when none was given, and the engine's defaults (the
    /// system trust store, full verification) apply. No file is read here: the runner builds the context
    /// before connecting, so that an unusable `--cacert`, `--cert` or `--key` file is a TLS failure (exit
    /// code 5) rather than a usage error: the command line was well formed, but TLS cannot be set up with
    /// what it names.
    var configuration: TLSConfiguration? {
        guard self.isUsed else {
            return nil
        }
        return TLSConfiguration(
            verifyPeer: !self.insecure,
            caFile: self.cacert,
            certificateFile: self.cert,
            privateKeyFile: self.key,
            serverName: self.serverName,
            minimumVersion: self.minimumVersion,
            maximumVersion: self.maximumVersion?.version
        )
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

extension TLSConfiguration {
    /// The TLS context of `tls` for `url`, built before connecting so that an unusable `--cacert`, `--cert` or
    /// `--key` file is reported without touching the network; `nil` for `ws://`, or without TLS options.
    static func context(_ tls: TLSConfiguration?, for url: WebSocketURL) throws(WebSocketClientError)
        -> TLSClientContext?
    {
        guard url.isSecure, let tls else {
            return nil
        }
        do {
            return try TLSClientContext(configuration: tls)
        } catch {
            throw .tls(error)
        }
    }
}
