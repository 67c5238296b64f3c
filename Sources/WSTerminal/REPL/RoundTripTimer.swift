/// Times `/ping`: when each ping went out, so that the pong answering it (RFC 6455 section 5.5.3: a pong carries
/// the ping's application data) shows how long the round trip took.
///
/// Pings are matched by payload, oldest first; in `--listen` a ping to several clients waits for a pong from
/// each. A pong nobody asked for (unsolicited, or from a ping already answered) has no time.
struct RoundTripTimer {
    private var pending: [(payload: [UInt8], sent: ContinuousClock.Instant, awaiting: Int)] = []

    /// The most pings remembered: the oldest unanswered ones are forgotten.
    static let capacity = 64

    /// Remembers a ping with `payload` sent at `time` to `recipients` peers.
    mutating func sent(_ payload: [UInt8], at time: ContinuousClock.Instant, recipients: Int = 1) {
        guard recipients > 0 else {
            return
        }
        self.pending.append((payload, time, recipients))
        if self.pending.count > Self.capacity {
            self.pending.removeFirst()
        }
    }

    /// How long the ping this pong (with `payload`, arrived at `time`) answers took; `nil` if none waits for it.
    mutating func pong(_ payload: [UInt8], at time: ContinuousClock.Instant) -> Duration? {
        guard let index = self.pending.firstIndex(where: { $0.payload == payload }) else {
            return nil
        }
        let sent = self.pending[index].sent
        self.pending[index].awaiting -= 1
        if self.pending[index].awaiting == 0 {
            self.pending.remove(at: index)
        }
        return time - sent
    }
}
