extension PerMessageDeflateOffer {
    /// How an offer carries `client_max_window_bits` (RFC 7692 section 7.1.2.2).
    ///
    /// Unlike the other parameters it has three states: without it the server may not limit the client's
    /// window; without a value it invites the server to choose a limit; with a value it is also a promise that
    /// the client compresses with at most that window.
    public enum ClientMaxWindowBits: Sendable, Hashable {
        /// Not offered: the server must not send `client_max_window_bits`.
        case omitted
        /// Offered without a value, as browsers do: the server may pick any limit from 8 to 15.
        case withoutValue
        /// Offered with a value from 8 to 15: the client will not use a larger window, and the server may
        /// only lower it.
        case value(Int)
    }
}
