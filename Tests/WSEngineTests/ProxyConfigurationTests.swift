import XCTest

@testable import WSEngine

final class ProxyConfigurationTests: XCTestCase {
    func testSchemesPortsAndCredentials() throws {
        XCTAssertEqual(
            try ProxyConfiguration(parsing: "proxy.example:3128"),
            ProxyConfiguration(kind: .httpConnect, host: "proxy.example", port: 3128)
        )
        XCTAssertEqual(
            try ProxyConfiguration(parsing: "http://al%40ce:p:w@[::1]/"),
            ProxyConfiguration(
                kind: .httpConnect,
                host: "::1",
                port: 1080,
                credentials: BasicCredentials(user: "al@ce", password: "p:w")
            )
        )
        XCTAssertEqual(try ProxyConfiguration(parsing: "SOCKS5h://127.0.0.1:9050").kind, .socks5)
        XCTAssertEqual(try ProxyConfiguration(parsing: "socks5://127.0.0.1").port, 1080)
        XCTAssertEqual(
            try ProxyConfiguration(parsing: "http://u:secret@[::1]:8080").description,
            "http://[::1]:8080",
            "shown without the password"
        )
    }

    func testUnusableURLsSayWhy() {
        for (text, message) in [
            ("https://proxy:443", "unsupported proxy scheme 'https'"),
            ("http://proxy:3128/x", "has a path"),
            ("http://:3128", "names no host"),
            ("http://proxy:0", "invalid port"),
        ] {
            XCTAssertThrowsError(try ProxyConfiguration(parsing: text)) { error in
                XCTAssertTrue("\(error)".contains(message), "\(text): \(error)")
            }
        }
    }
}
