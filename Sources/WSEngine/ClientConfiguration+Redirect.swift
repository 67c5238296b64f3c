extension ClientConfiguration {
    /// This configuration for the URL a redirect leads to. Credentials go along only to the same origin, as
    /// curl does: `--auth`, the first URL's own, and an `Authorization` header from `-H` all stay behind when
    /// the scheme, host or port change, so a server cannot send wsc elsewhere to collect them.
    public func redirected(to url: WebSocketURL) -> ClientConfiguration {
        var next = self
        next.url = url
        if !self.url.isSameOrigin(as: url) {
            next.basicAuth = nil
            next.headers.removeAll { $0.name.lowercased() == "authorization" }
        } else if next.url.credentials == nil {
            next.url.credentials = self.url.credentials
        }
        return next
    }
}
