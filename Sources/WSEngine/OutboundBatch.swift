/// Commands a front end sends together: the session handler encodes them into one buffer, and the write's
/// completion is the signal that the next batch may be produced.
struct OutboundBatch: Sendable {
    var commands: [SessionCommand]
}
