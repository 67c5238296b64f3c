import ArgumentParser
import WSEngine
import WSTerminal

/// The one check of every value a client puts on its request line or in a header, against HTTP's grammar
/// (``HTTPSyntax``): the URL's path, query, host and credentials, `-H`, `--origin`, `-s`, `--auth` and the
/// proxy's credentials. It runs while the run plan is resolved, before anything connects, and the first
/// value that breaks a rule is a usage error naming its option and showing the character, escaped.
///
/// `-H` may replace a header wsc sends by default, but not one the handshake depends on
/// (``HandshakeRequest/rule(forUserHeader:offersCompression:over:)``), and never sends two of one field.
enum RequestFieldCheck {
    /// The `-H` lines as header fields: each `Name: value`, the name a token and the value a field value
    /// (RFC 9110 sections 5.1 and 5.5), and none that the handshake itself needs.
    static func headers(
        _ lines: [String],
        offersCompression: Bool,
        over handshakeProtocol: HandshakeProtocol
    ) throws -> [HeaderField] {
        var replaced: Set<String> = []
        return try lines.map { line in
            guard let field = HeaderField(headerLine: line) else {
                throw ValidationError("-H '\(Self.shown(line))' is not 'Name: value'")
            }
            if field.name.isEmpty {
                throw ValidationError("-H '\(Self.shown(line))' has no header name before the ':'")
            }
            if let bad = HTTPSyntax.firstNonTokenCharacter(in: field.name) {
                throw ValidationError(
                    "-H '\(Self.shown(field.name))' has \(Self.shown(bad)), which a header name may not contain "
                        + "(it is a token: RFC 9110 section 5.6.2)"
                )
            }
            try Self.value(field.value, of: "-H '\(field.name)'")
            switch HandshakeRequest.rule(
                forUserHeader: field.name,
                offersCompression: offersCompression,
                over: handshakeProtocol
            ) {
            case .added:
                break
            case .replacesDefault:
                if !replaced.insert(field.name.lowercased()).inserted {
                    throw ValidationError("-H '\(field.name)' is given twice; wsc sends one \(field.name) header")
                }
            case .refused(let refusal):
                throw ValidationError("-H '\(field.name)': \(Self.explanation(refusal))")
            }
            return field
        }
    }

    /// The `-s` subprotocols, each a token, none twice (RFC 6455 section 4.1).
    static func subprotocols(_ subprotocols: [String]) throws -> [String] {
        var offered: Set<String> = []
        for subprotocol in subprotocols {
            if subprotocol.isEmpty {
                throw ValidationError("-s takes a subprotocol name; an empty one cannot be offered")
            }
            if let bad = HTTPSyntax.firstNonTokenCharacter(in: subprotocol) {
                throw ValidationError(
                    "-s '\(Self.shown(subprotocol))' has \(Self.shown(bad)), which a subprotocol name may not "
                        + "contain (it is a token: RFC 6455 section 4.1)"
                )
            }
            if !offered.insert(subprotocol).inserted {
                throw ValidationError("-s '\(subprotocol)' is given twice; each subprotocol is offered once")
            }
        }
        return subprotocols
    }

    /// Why a header is not for `-H` to set, and what to do instead.
    private static func explanation(_ refusal: HandshakeRequest.Refusal) -> String {
        switch refusal {
        case .handshakeField:
            "wsc sends this header itself for the WebSocket handshake (RFC 6455 section 4.1); it cannot be replaced"
        case .subprotocols:
            "offer subprotocols with -s, so that the server's choice can be checked"
        case .compressionOffer:
            "this replaces wsc's permessage-deflate offer: add --no-compression to send your own"
        case .body:
            "the handshake request has no body, and the server would read the first frames as one"
        case .connectionSpecific:
            "a field of one HTTP/1.1 connection makes an HTTP/2 request malformed (RFC 9113 section 8.2.2)"
        }
    }

    /// A field value (RFC 9110 section 5.5): no control character but tab, no DEL, no surrounding white space.
    static func value(_ value: String, of option: String) throws {
        if let bad = HTTPSyntax.firstForbiddenValueCharacter(in: value) {
            throw ValidationError(
                "\(option) has the control character \(Self.shown(bad)), which a header value may not carry "
                    + "(RFC 9110 section 5.5)"
            )
        }
        if HTTPSyntax.hasSurroundingWhitespace(value) {
            throw ValidationError("\(option) starts or ends with white space, which a header value may not")
        }
    }

    /// Basic credentials (RFC 7617 section 2), named by where they came from; never shown.
    static func credentials(_ credentials: BasicCredentials?, of source: String) throws(ValidationError) {
        guard let credentials else { return }
        for (part, text) in [("user name", credentials.user), ("password", credentials.password)] {
            if let bad = HTTPSyntax.firstForbiddenCredentialCharacter(in: text) {
                throw ValidationError(
                    "\(source): the \(part) has the control character \(Self.shown(bad)), which credentials may not "
                        + "contain (RFC 7617 section 2)"
                )
            }
        }
    }

    private static func shown(_ scalar: Unicode.Scalar) -> String {
        "'\(TerminalEscaping.escaped(String(scalar)))'"
    }

    private static func shown(_ text: String) -> String {
        TerminalEscaping.escaped(text)
    }
}
