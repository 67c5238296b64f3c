extension TLSError {
    /// A coarse class of `TLSError`, for code that reacts to one kind of failure (the tests, or a CLI hint).
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case untrustedCertificate
            case nameMismatch
            case certificateExpired
            case certificateNotYetValid
            case certificateRejected
            case alertReceived
            case clientCertificateRequired
            case handshakeFailed
            case connectionFailed
            case invalidConfiguration
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The chain ends at a CA we do not trust, or the certificate is self-signed.
        public static let untrustedCertificate = Kind(.untrustedCertificate)
        /// The certificate does not name the host we connected to.
        public static let nameMismatch = Kind(.nameMismatch)
        /// A certificate of the chain has expired.
        public static let certificateExpired = Kind(.certificateExpired)
        /// A certificate of the chain is not valid yet.
        public static let certificateNotYetValid = Kind(.certificateNotYetValid)
        /// Another certificate verification failure.
        public static let certificateRejected = Kind(.certificateRejected)
        /// The server sent a fatal alert.
        public static let alertReceived = Kind(.alertReceived)
        /// The server asked for a client certificate that we did not send.
        public static let clientCertificateRequired = Kind(.clientCertificateRequired)
        /// The handshake failed otherwise, including a server that does not speak TLS or hangs up.
        public static let handshakeFailed = Kind(.handshakeFailed)
        /// An established connection broke at the TLS layer.
        public static let connectionFailed = Kind(.connectionFailed)
        /// A CA, certificate or key file, or another setting, is unusable.
        public static let invalidConfiguration = Kind(.invalidConfiguration)

        /// The kind's name, for logs and test failures.
        public var description: String {
            switch self.base {
            case .untrustedCertificate: "untrustedCertificate"
            case .nameMismatch: "nameMismatch"
            case .certificateExpired: "certificateExpired"
            case .certificateNotYetValid: "certificateNotYetValid"
            case .certificateRejected: "certificateRejected"
            case .alertReceived: "alertReceived"
            case .clientCertificateRequired: "clientCertificateRequired"
            case .handshakeFailed: "handshakeFailed"
            case .connectionFailed: "connectionFailed"
            case .invalidConfiguration: "invalidConfiguration"
            }
        }
    }
}
