/// One element of a `Sec-WebSocket-Extensions` list: an extension token and its parameters in the order sent
/// (RFC 6455 section 9.1).
///
/// Kept as plain strings so that each extension can judge its own parameters; permessage-deflate does so in
/// ``PerMessageDeflateOffer``.
struct WebSocketExtensionElement: Hashable, Sendable {
    /// The extension token, as sent (compare it case-insensitively).
    var name: String
    /// The parameters, duplicates included, so that the extension can reject them.
    var parameters: [WebSocketExtensionParameter]
}
