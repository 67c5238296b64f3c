import XCTest

@testable import WSEngine

/// Where a redirect's `Location` leads from a URL (RFC 9110 section 10.2.2, RFC 3986 section 5 for the
/// common forms), and which credentials go along.
final class RedirectResolutionTests: XCTestCase {
    func testLocationsResolveAgainstTheCurrentURL() throws {
        let base = try WebSocketURL(parsing: "wss://example.com:8443/api/v1/chat?room=1")
        let cases = [
            ("http://other.example/x", "ws://other.example/x"),
            ("HTTPS://other.example/x", "wss://other.example/x"),
            ("ws://[::1]:9000/", "ws://[::1]:9000/"),
            ("wss://other.example", "wss://other.example/"),
            ("//other.example:1/y", "wss://other.example:1/y"),
            ("/root?q=2", "wss://example.com:8443/root?q=2"),
            ("v2/chat", "wss://example.com:8443/api/v1/v2/chat"),
            ("?room=2", "wss://example.com:8443/api/v1/chat?room=2"),
            ("../v2/chat?a=../b", "wss://example.com:8443/api/v2/chat?a=../b"),
            ("./", "wss://example.com:8443/api/v1/"),
            ("/a/./b/../c/..", "wss://example.com:8443/a/"),
            ("../../../..", "wss://example.com:8443/"),
            ("/moved#section", "wss://example.com:8443/moved"),
            ("ws://other.example/x#top", "ws://other.example/x"),
        ]
        for (location, expected) in cases {
            XCTAssertEqual(try base.resolvingRedirect(to: location).description, expected, location)
        }
        for bad in ["ftp://example.com/", "mailto://x", "ws://host name/"] {
            XCTAssertThrowsError(try base.resolvingRedirect(to: bad), bad)
        }
    }

    func testOriginIsSchemeHostAndPort() throws {
        let base = try WebSocketURL(parsing: "ws://Example.com/a")
        XCTAssertTrue(base.isSameOrigin(as: try WebSocketURL(parsing: "ws://example.com:80/b")))
        for other in ["wss://example.com/a", "ws://example.com:81/a", "ws://www.example.com/a"] {
            XCTAssertFalse(base.isSameOrigin(as: try WebSocketURL(parsing: other)), other)
        }
    }

    func testCredentialsStayBehindWhenTheOriginChanges() throws {
        let configuration = ClientConfiguration(
            url: try WebSocketURL(parsing: "ws://u:p@h/a"),
            headers: [HeaderField(name: "authorization", value: "Bearer t"), HeaderField(name: "X-A", value: "1")],
            basicAuth: BasicCredentials(user: "alice", password: "s3cret")
        )
        let same = try configuration.redirected(to: try WebSocketURL(parsing: "ws://h/b"))
        XCTAssertEqual(same.url.requestTarget, "/b")
        XCTAssertEqual(same.basicAuth, configuration.basicAuth)
        XCTAssertEqual(same.url.credentials, BasicCredentials(user: "u", password: "p"))
        XCTAssertEqual(same.headers.count, 2)

        for elsewhere in ["ws://elsewhere/b", "ws://h:81/b", "wss://h/b"] {
            let other = try configuration.redirected(to: try WebSocketURL(parsing: elsewhere))
            XCTAssertNil(other.basicAuth, elsewhere)
            XCTAssertNil(other.url.credentials, elsewhere)
            XCTAssertEqual(other.headers, [], "no -H header follows to \(elsewhere)")
        }
    }

    func testARedirectFromWSSToWSIsRefused() throws {
        let configuration = ClientConfiguration(url: try WebSocketURL(parsing: "wss://h/a"))
        for target in ["ws://h/a", "ws://h:443/a", "ws://other/"] {
            XCTAssertThrowsError(try configuration.redirected(to: try WebSocketURL(parsing: target)), target) {
                XCTAssertEqual($0 as? RedirectRefusal, .tlsDowngrade)
            }
        }
        XCTAssertNoThrow(try configuration.redirected(to: try WebSocketURL(parsing: "wss://other/")))
    }
}
