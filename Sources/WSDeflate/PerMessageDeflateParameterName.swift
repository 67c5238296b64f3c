/// The four extension parameters RFC 7692 section 7.1 defines for permessage-deflate.
///
/// An enum rather than strings so that offer and response validation switch over every parameter, and a new
/// one cannot be forgotten.
enum PerMessageDeflateParameterName: String, CaseIterable, Sendable {
    /// RFC 7692 section 7.1.1.1: the server resets its compression context for every message.
    case serverNoContextTakeover = "server_no_context_takeover"
    /// RFC 7692 section 7.1.1.2: the client resets its compression context for every message.
    case clientNoContextTakeover = "client_no_context_takeover"
    /// RFC 7692 section 7.1.2.1: the largest LZ77 window the server may compress with.
    case serverMaxWindowBits = "server_max_window_bits"
    /// RFC 7692 section 7.1.2.2: the largest LZ77 window the client may compress with.
    case clientMaxWindowBits = "client_max_window_bits"

    /// Matches a parameter token from the wire, ignoring ASCII case as HTTP tokens usually are.
    init?(wireName: String) {
        self.init(rawValue: wireName.lowercased())
    }

    /// Reads a window size value: "1*DIGIT" without leading zeros, 8 to 15 (RFC 7692 sections 7.1.2.1, 7.1.2.2).
    static func windowBits(from value: String) -> Int? {
        guard let first = value.utf8.first, first != UInt8(ascii: "0"),
            value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let bits = Int(value), PerMessageDeflateOffer.windowBitsRange.contains(bits)
        else {
            return nil
        }
        return bits
    }
}
