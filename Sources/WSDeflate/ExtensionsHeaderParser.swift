/// Splits a `Sec-WebSocket-Extensions` value into elements.
///
/// The grammar is RFC 6455 section 9.1 with the list rules of RFC 7230 sections 3.2.3 and 7:
///
///     extension-list  = 1#extension
///     extension       = extension-token *( OWS ";" OWS extension-param )
///     extension-param = token [ OWS "=" OWS (token / quoted-string) ]
///
/// Empty list elements (`a, , b`) are skipped as RFC 7230 section 7 asks of recipients, and a quoted value must
/// still be a token once unescaped (RFC 6455 section 9.1). Several header lines can be joined with "," first.
struct ExtensionsHeaderParser {
    private let bytes: [UInt8]
    private var index = 0

    private init(_ headerValue: String) {
        self.bytes = Array(headerValue.utf8)
    }

    /// The elements of `headerValue` in order; an empty or blank value has none.
    static func parse(_ headerValue: String) throws(PerMessageDeflateError) -> [WebSocketExtensionElement] {
        var parser = ExtensionsHeaderParser(headerValue)
        return try parser.parseList()
    }

    private mutating func parseList() throws(PerMessageDeflateError) -> [WebSocketExtensionElement] {
        var elements: [WebSocketExtensionElement] = []
        while true {
            self.skipWhitespace()
            guard let byte = self.peek() else {
                return elements
            }
            if byte == UInt8(ascii: ",") {
                self.index += 1
                continue
            }
            elements.append(try self.parseElement())
            self.skipWhitespace()
            guard let separator = self.peek() else {
                return elements
            }
            guard separator == UInt8(ascii: ",") else {
                throw self.unexpected("',' or ';'")
            }
            self.index += 1
        }
    }

    private mutating func parseElement() throws(PerMessageDeflateError) -> WebSocketExtensionElement {
        let name = try self.parseToken(expecting: "an extension name")
        var parameters: [WebSocketExtensionParameter] = []
        while true {
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: ";") else {
                return WebSocketExtensionElement(name: name, parameters: parameters)
            }
            self.index += 1
            self.skipWhitespace()
            let parameterName = try self.parseToken(expecting: "a parameter name")
            self.skipWhitespace()
            var value: String? = nil
            if self.peek() == UInt8(ascii: "=") {
                self.index += 1
                self.skipWhitespace()
                if self.peek() == UInt8(ascii: "\"") {
                    value = try self.parseQuotedToken()
                } else {
                    value = try self.parseToken(expecting: "a parameter value")
                }
            }
            parameters.append(WebSocketExtensionParameter(name: parameterName, value: value))
        }
    }

    private mutating func parseToken(expecting what: String) throws(PerMessageDeflateError) -> String {
        let start = self.index
        while let byte = self.peek(), Self.isTokenCharacter(byte) {
            self.index += 1
        }
        guard self.index > start else {
            throw self.unexpected(what)
        }
        return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
    }

    /// A quoted-string (RFC 7230 section 3.2.6) whose unescaped content must be a token (RFC 6455 section 9.1).
    private mutating func parseQuotedToken() throws(PerMessageDeflateError) -> String {
        let start = self.index
        self.index += 1
        var content: [UInt8] = []
        while true {
            guard let byte = self.peek() else {
                throw .malformedExtensionsHeader("unterminated quoted value at character \(start + 1)")
            }
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard !content.isEmpty, content.allSatisfy(Self.isTokenCharacter) else {
                    let text = String(decoding: content, as: UTF8.self)
                    throw .malformedExtensionsHeader("quoted value \"\(text)\" is not a token")
                }
                return String(decoding: content, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = self.peek() else {
                    throw .malformedExtensionsHeader("unterminated quoted value at character \(start + 1)")
                }
                self.index += 1
                content.append(escaped)
            default:
                content.append(byte)
            }
        }
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
            self.index += 1
        }
    }

    private func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private func unexpected(_ what: String) -> PerMessageDeflateError {
        guard let byte = self.peek() else {
            return .malformedExtensionsHeader("expected \(what) at the end")
        }
        let found = byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
        return .malformedExtensionsHeader("expected \(what) at character \(self.index + 1), found \(found)")
    }

    /// tchar of RFC 7230 section 3.2.6: visible ASCII except the separators.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
