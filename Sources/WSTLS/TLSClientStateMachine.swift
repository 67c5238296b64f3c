/// The life of a client TLS connection, as the steps `TLSClientHandler` must take: when the handshake starts,
/// when application data may be encrypted or read, and how the connection ends.
///
/// A value type without I/O: each event returns the action to perform, so the rules can be read in one
/// place and tested without a channel. Writes are never refused before the handshake; they wait in the
/// handler, and only this machine decides when they may be encrypted.
struct TLSClientStateMachine {
    /// Where the connection is.
    enum State: Equatable {
        /// The channel is not active yet; nothing has been sent.
        case idle
        /// The ClientHello is out; only handshake bytes may leave.
        case handshaking
        /// Application data flows both ways.
        case active
        /// OpenSSL answered an encryption with "read first": the server asked to renegotiate (TLS 1.2,
        /// RFC 5246 section 7.4.1.1), and writes wait until the peer's handshake messages have been read.
        /// Application data is still read and passed on.
        case renegotiating
        /// Our `close_notify` is on its way; the channel closes once it is written.
        case closing
        /// The channel is closed or failed; nothing more is sent.
        case closed
    }

    /// Where the connection is now.
    private(set) var state: State = .idle

    /// Whether the handler must ask for the peer's bytes even when the application has turned autoRead off:
    /// a handshake, the first or a renegotiation, cannot finish without them.
    var needsPeerBytes: Bool {
        switch self.state {
        case .handshaking, .renegotiating: true
        case .idle, .active, .closing, .closed: false
        }
    }

    /// What to do when the channel becomes active, or the handler is added to an active one.
    enum ActivationAction: Equatable {
        /// Send the ClientHello.
        case startHandshake
        /// The handshake has already started, or the connection is over.
        case none
    }

    /// The channel is active: the handshake starts exactly once.
    mutating func channelActive() -> ActivationAction {
        switch self.state {
        case .idle:
            self.state = .handshaking
            return .startHandshake
        case .handshaking, .active, .renegotiating, .closing, .closed:
            return .none
        }
    }

    /// What to do with an application write.
    enum WriteAction: Equatable {
        /// Keep it until a flush lets it be encrypted.
        case enqueue
        /// The connection is over: fail its promise.
        case fail
    }

    /// An application write arrived.
    func write() -> WriteAction {
        switch self.state {
        case .idle, .handshaking, .active, .renegotiating: .enqueue
        case .closing, .closed: .fail
        }
    }

    /// What to do with a flush.
    enum FlushAction: Equatable {
        /// Encrypt the flushed writes and send them now.
        case encrypt
        /// Keep them until the handshake completes (never send plaintext before it), or until a renegotiation
        /// lets OpenSSL encrypt again.
        case wait
        /// The connection is over; the writes were failed already.
        case none
    }

    /// An application flush arrived, or the handshake completed with flushed writes waiting.
    func flush() -> FlushAction {
        switch self.state {
        case .idle, .handshaking, .renegotiating: .wait
        case .active: .encrypt
        case .closing, .closed: .none
        }
    }

    /// What to do with bytes from the socket.
    enum InboundAction: Equatable {
        /// Feed them to the handshake.
        case continueHandshake
        /// Decrypt them and pass the application data on.
        case readApplicationData
        /// The connection is ending: drop them.
        case discard
    }

    /// Bytes arrived from the socket.
    func channelRead() -> InboundAction {
        switch self.state {
        case .handshaking: .continueHandshake
        case .active, .renegotiating: .readApplicationData
        case .idle, .closing, .closed: .discard
        }
    }

    /// The handshake completed; it can only do so while handshaking.
    mutating func handshakeCompleted() {
        switch self.state {
        case .handshaking:
            self.state = .active
        case .idle, .active, .renegotiating, .closing, .closed:
            preconditionFailure("TLS handshake completed in state \(self.state)")
        }
    }

    /// OpenSSL could not encrypt a write before reading from the peer (`SSL_ERROR_WANT_READ` from
    /// `SSL_write(3)`): the write and those after it wait for the next read. Only a connection that was
    /// encrypting can be told so.
    mutating func encryptionNeedsRead() {
        switch self.state {
        case .active, .renegotiating:
            self.state = .renegotiating
        case .idle, .handshaking, .closing, .closed:
            preconditionFailure("OpenSSL asked to read before encrypting in state \(self.state)")
        }
    }

    /// What to do once the peer's bytes have been read.
    enum ReadCompletedAction: Equatable {
        /// Writes wait for a renegotiation: try to encrypt them again, as `SSL_write(3)` asks.
        case retryWrites
        /// Nothing waits on reading.
        case none
    }

    /// The handler has read what the peer sent.
    mutating func readCompleted() -> ReadCompletedAction {
        switch self.state {
        case .renegotiating:
            // If the renegotiation is not over yet, the retried write says so and the state comes back.
            self.state = .active
            return .retryWrites
        case .idle, .handshaking, .active, .closing, .closed:
            return .none
        }
    }

    /// What to do when OpenSSL reports a failure.
    enum FailureAction: Equatable {
        /// Send OpenSSL's alert, fail the waiting writes, report the error and close.
        case reportAndClose
        /// The connection is already over: the failure changes nothing.
        case none
    }

    /// The handshake or the connection failed.
    mutating func failed() -> FailureAction {
        switch self.state {
        case .idle, .handshaking, .active, .renegotiating, .closing:
            self.state = .closed
            return .reportAndClose
        case .closed:
            return .none
        }
    }

    /// What to do when the application closes the channel.
    enum CloseAction: Equatable {
        /// No TLS session to end: fail the waiting writes and close at once.
        case closeNow
        /// Send `close_notify` (RFC 8446 section 6.1), then close.
        case sendCloseNotifyThenClose
        /// Already closing: pass the request on and let the channel answer it.
        case forward
    }

    /// The application asked to close the channel.
    mutating func closeRequested() -> CloseAction {
        switch self.state {
        case .idle, .handshaking:
            self.state = .closed
            return .closeNow
        case .active, .renegotiating:
            self.state = .closing
            return .sendCloseNotifyThenClose
        case .closing, .closed:
            return .forward
        }
    }

    /// What to do when the peer's `close_notify` arrives.
    enum PeerClosedAction: Equatable {
        /// Answer with our own `close_notify` (RFC 8446 section 6.1 asks for one), then close.
        case replyThenClose
        /// The channel is already closing.
        case none
    }

    /// The peer ended its data stream with `close_notify`.
    mutating func peerClosed() -> PeerClosedAction {
        switch self.state {
        case .active, .renegotiating:
            self.state = .closing
            return .replyThenClose
        case .idle, .handshaking, .closing, .closed:
            return .none
        }
    }

    /// What to do when the TCP connection goes away.
    enum InactiveAction: Equatable {
        /// The server hung up mid-handshake: that is a TLS failure, and the waiting writes fail with it.
        case failHandshake
        /// A plain end of stream; waiting writes fail as writes on a closed channel. Whether the data was
        /// truncated is for the protocol above to judge.
        case failWaitingWrites
    }

    /// The channel became inactive.
    mutating func channelInactive() -> InactiveAction {
        switch self.state {
        case .handshaking:
            self.state = .closed
            return .failHandshake
        case .idle, .active, .renegotiating, .closing, .closed:
            self.state = .closed
            return .failWaitingWrites
        }
    }
}
