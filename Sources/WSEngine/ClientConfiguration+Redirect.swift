/// Why a redirect is not followed.
public enum RedirectRefusal: Error, Sendable, Equatable {
    /// From `wss://` to `ws://`: the session, and whatever it carries, would continue unencrypted.
    case tlsDowngrade
}

extension ClientConfiguration {
    /// This configuration for the URL a redirect leads to. Credentials and the user's own headers go along
    /// only to the same origin (scheme, host and port): `--auth`, the first URL's own credentials and every
    /// `-H` header (`Authorization`, `Cookie`, a `Host` or anything else the user chose for that server) stay
    /// behind when the origin changes, so a server cannot send wsc elsewhere to collect them. Throws for a
    /// redirect from `wss://` to `ws://`, which is never followed.
    public func redirected(to url: WebSocketURL) throws(RedirectRefusal) -> ClientConfiguration {
        if self.url.isSecure && !url.isSecure {
            throw .tlsDowngrade
        }
        var next = self
        next.url = url
        if !self.url.isSameOrigin(as: url) {
            next.basicAuth = nil
            next.headers = []
        } else if next.url.credentials == nil {
            next.url.credentials = self.url.credentials
        }
        return next
    }
}
