import XCTest

@testable import WSEngine

final class WebSocketURLTests: XCTestCase {
    func testFullURL() throws {
        let url = try WebSocketURL(parsing: "wss://example.com:8443/chat/room?x=1&y=2")
        XCTAssertTrue(url.isSecure)
        XCTAssertEqual(url.host, "example.com")
        XCTAssertEqual(url.port, 8443)
        XCTAssertEqual(url.requestTarget, "/chat/room?x=1&y=2")
        XCTAssertEqual(url.hostHeader, "example.com:8443")
        XCTAssertNil(url.credentials)
    }

    func testDefaultsPerScheme() throws {
        let plain = try WebSocketURL(parsing: "ws://example.com")
        XCTAssertEqual(plain.port, 80)
        XCTAssertEqual(plain.requestTarget, "/")
        XCTAssertEqual(plain.hostHeader, "example.com")
        let secure = try WebSocketURL(parsing: "WSS://example.com")
        XCTAssertEqual(secure.port, 443)
        XCTAssertEqual(secure.description, "wss://example.com/")
    }

    func testMissingSchemeMeansWS() throws {
        let url = try WebSocketURL(parsing: "localhost:8080")
        XCTAssertFalse(url.isSecure)
        XCTAssertEqual(url.host, "localhost")
        XCTAssertEqual(url.port, 8080)
    }

    func testQueryWithoutPath() throws {
        XCTAssertEqual(try WebSocketURL(parsing: "ws://h?a=b").requestTarget, "/?a=b")
    }

    func testIPv6Literal() throws {
        let url = try WebSocketURL(parsing: "ws://[::1]:9001/x")
        XCTAssertEqual(url.host, "::1")
        XCTAssertTrue(url.isIPv6Literal)
        XCTAssertEqual(url.port, 9001)
        XCTAssertEqual(url.hostHeader, "[::1]:9001")
        XCTAssertEqual(try WebSocketURL(parsing: "ws://[2001:db8::1]").hostHeader, "[2001:db8::1]")
        XCTAssertEqual(try WebSocketURL(parsing: "wss://[2001:db8::1]").hostAndPort, "[2001:db8::1]:443")
        XCTAssertEqual(try WebSocketURL(parsing: "example.com").hostAndPort, "example.com:80")
    }

    func testCredentialsArePercentDecodedAndSplitAtTheFirstColon() throws {
        let url = try WebSocketURL(parsing: "ws://al%20ice:p%3Ass:word@h:1/")
        XCTAssertEqual(url.credentials, BasicCredentials(user: "al ice", password: "p:ss:word"))
        XCTAssertEqual(url.host, "h")
        XCTAssertFalse(url.description.contains("word"), "the password is never shown")
    }

    func testRejections() {
        let cases: [(String, String)] = [
            ("http://h/", "unsupported scheme 'http'"),
            ("ws://", "names no host"),
            ("ws://:80/", "names no host"),
            ("ws://h:0/", "invalid port '0'"),
            ("ws://h:65536/", "invalid port"),
            ("ws://h:x/", "invalid port 'x'"),
            ("ws://h/#top", "fragment"),
            ("ws://[::1/", "without its closing ']'"),
            ("ws://[::1]x/", "not a port"),
            ("ws://[host]/", "not an IPv6 address"),
            ("ws://h/a b", "must be percent-encoded"),
            ("ws://a b/", "not allowed in a host name"),
            ("ws://u:%zz@h/", "broken percent escape"),
            ("wss://.test/", "invalid host name: '.test' starts with a dot"),
            ("wss://u:p@.example.com:8443/", "'.example.com' starts with a dot"),
            ("ws://a..b/", "'a..b' has an empty label"),
            ("ws://a.b../", "'a.b..' has an empty label"),
            ("ws://./", "'.' has no label"),
        ]
        for (text, fragment) in cases {
            XCTAssertThrowsError(try WebSocketURL(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(text): \(error)")
            }
        }
    }

    func testOneTrailingDotIsTheRootAndAllowed() throws {
        XCTAssertEqual(try WebSocketURL(parsing: "wss://example.com./").host, "example.com.")
        XCTAssertEqual(try WebSocketURL(parsing: "ws://127.0.0.1/").host, "127.0.0.1")
        XCTAssertNil(HostName.problem(in: "::1"))
    }

    func testPasswordsAreRedactedInURLsAsTyped() {
        let cases = [
            ("ws://user:s3cr3t@host:99999/", "ws://user:[redacted]@host:99999/"),
            ("user:pw@host/a@b", "user:[redacted]@host/a@b"),
            ("http://u:p:q@h?x@y", "http://u:[redacted]@h?x@y"),
            ("ws://token@host/", "ws://token@host/"),
            ("ws://host/p:q@r", "ws://host/p:q@r"),
            ("ws://a:b@c@d/", "ws://a:[redacted]@d/"),
        ]
        for (text, redacted) in cases {
            XCTAssertEqual(Redaction.redactingPassword(inURL: text), redacted, text)
        }
    }

    func testErrorsQuoteTheURLWithoutItsPassword() {
        for text in [
            "ws://u:s3cr3t@host:99999/", "ws://u:s3cr3t@ho\u{7F}st/", "http://u:s3cr3t@h/", "ws://u:s3cr3t@h/#",
        ] {
            XCTAssertThrowsError(try WebSocketURL(parsing: text), text) {
                let message = "\($0)"
                XCTAssertFalse(message.contains("s3cr3t"), message)
                XCTAssertTrue(message.contains("u:[redacted]@"), message)
            }
        }
        for text in ["gopher://u:s3cr3t@p", "http://u:s3cr3t@p/path", "socks5h://u:s3cr3t@p:0"] {
            XCTAssertThrowsError(try ProxyConfiguration(parsing: text), text) {
                let message = "\($0)"
                XCTAssertFalse(message.contains("s3cr3t"), message)
                XCTAssertTrue(message.contains("u:[redacted]@"), message)
            }
        }
    }
}
