import COpenSSL

/// A TLS protocol version, as the oldest one `wsc` accepts or the newest it offers.
///
/// Only versions without known protocol weaknesses are offered: TLS 1.0 and 1.1 are deprecated by RFC 8996.
public struct TLSVersion: Sendable, Hashable, CustomStringConvertible {
    /// The version's wire value (RFC 8446 section 4.2.1), which is also OpenSSL's constant.
    let wireValue: Int32

    private init(wireValue: Int32) {
        self.wireValue = wireValue
    }

    /// TLS 1.2, RFC 5246.
    public static let tls12 = TLSVersion(wireValue: TLS1_2_VERSION)
    /// TLS 1.3, RFC 8446.
    public static let tls13 = TLSVersion(wireValue: TLS1_3_VERSION)

    /// `TLS 1.2` or `TLS 1.3`.
    public var description: String {
        self == .tls13 ? "TLS 1.3" : "TLS 1.2"
    }
}
