/// One `name[=value]` parameter of a `Sec-WebSocket-Extensions` element (RFC 6455 section 9.1).
struct WebSocketExtensionParameter: Hashable, Sendable {
    /// The parameter token, as sent (compare it case-insensitively).
    var name: String
    /// The value with any quoting removed, or nil when the parameter has no `=`.
    var value: String?
}
