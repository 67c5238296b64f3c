import XCTest

@testable import WSEngine

/// `no_proxy` as curl reads it: every kind of entry, and the edges of each.
final class NoProxyListTests: XCTestCase {
    private func assertMatches(
        _ list: String,
        _ cases: [(host: String, port: Int, direct: Bool)],
        _ message: String = "",
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let parsed = NoProxyList(parsing: list)
        for (host, port, direct) in cases {
            XCTAssertEqual(
                parsed.matches(host: host, port: port),
                direct,
                "'\(list)' for \(host):\(port) \(message)",
                file: file,
                line: line
            )
        }
    }

    func testAsteriskMatchesEveryHost() {
        self.assertMatches("*", [("example.com", 80, true), ("10.1.2.3", 443, true), ("::1", 1, true)])
        self.assertMatches("a.test, *", [("example.com", 80, true)])
    }

    func testNamesMatchThemselvesAndTheNamesUnderThem() {
        for list in ["example.com", ".example.com", "EXAMPLE.com.", "..example.com"] {
            self.assertMatches(
                list,
                [
                    ("example.com", 80, true), ("api.example.com", 443, true), ("a.b.Example.COM", 80, true),
                    ("example.com.", 80, true), ("badexample.com", 80, false), ("example.org", 80, false),
                    ("com", 80, false),
                ]
            )
        }
    }

    func testEntriesAreSeparatedByCommasWithSpacesIgnored() {
        self.assertMatches(
            " a.test ,\tb.test,,c.test ",
            [("a.test", 80, true), ("b.test", 80, true), ("c.test", 80, true), ("d.test", 80, false)]
        )
        self.assertMatches("", [("localhost", 80, false), ("127.0.0.1", 80, false)])
    }

    func testIPAddressesMatchExactlyAndNeverAsNames() {
        self.assertMatches(
            "192.168.1.10, ::1, [fe80::2]",
            [
                ("192.168.1.10", 80, true), ("192.168.1.1", 80, false), ("::1", 80, true),
                ("0:0:0:0:0:0:0:1", 80, true), ("fe80::2", 80, true), ("fe80::3", 80, false),
            ]
        )
        self.assertMatches("1.10", [("192.168.1.10", 80, false)], "an address is not a name suffix")
        self.assertMatches("example.com", [("10.0.0.1", 80, false)])
    }

    func testCIDRRangesAndTheirEdges() {
        self.assertMatches(
            "10.0.0.0/8, 192.168.4.0/22",
            [
                ("10.0.0.0", 80, true), ("10.255.255.255", 80, true), ("11.0.0.0", 80, false),
                ("9.255.255.255", 80, false), ("192.168.4.0", 80, true), ("192.168.7.255", 80, true),
                ("192.168.8.0", 80, false), ("192.168.3.255", 80, false), ("::ffff:10.0.0.1", 80, false),
            ]
        )
        self.assertMatches("0.0.0.0/0", [("203.0.113.9", 80, true), ("::1", 80, false)])
        self.assertMatches("203.0.113.9/32", [("203.0.113.9", 80, true), ("203.0.113.8", 80, false)])
        self.assertMatches(
            "fd00::/8, 2001:db8::/127",
            [
                ("fd12:3456::1", 80, true), ("fe00::1", 80, false), ("2001:db8::1", 80, true),
                ("2001:db8::2", 80, false), ("10.0.0.1", 80, false),
            ]
        )
        self.assertMatches("::/0", [("2001:db8::1", 80, true), ("10.0.0.1", 80, false)])
        self.assertMatches(
            "10.0.0.0/33, 10.0.0.0/-1, 10.0.0.0/x, ::/129, name/8",
            [("10.0.0.1", 80, false), ("::1", 80, false), ("name", 80, false)],
            "prefixes too long, negative or not numbers, and names with one, match nothing"
        )
    }

    func testPortsLimitAnEntryToOnePort() {
        self.assertMatches(
            "example.com:8080, 10.0.0.1:443, [::1]:9000, localhost",
            [
                ("example.com", 8080, true), ("example.com", 80, false), ("api.example.com", 8080, true),
                ("10.0.0.1", 443, true), ("10.0.0.1", 80, false), ("::1", 9000, true), ("::1", 80, false),
                ("localhost", 1, true),
            ]
        )
        self.assertMatches(
            "example.com:0, example.com:65536, example.com:x, example.com:, [::1]x",
            [("example.com", 80, false), ("example.com", 0, false), ("::1", 80, false)],
            "a port that is not 1 to 65535 makes the entry match nothing"
        )
    }

    func testLoopbackMatchesLocalhostAndTheLoopbackAddressesOnly() {
        let loopback = NoProxyList.loopback
        for host in ["localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.255.255.254", "::1"] {
            XCTAssertTrue(loopback.matches(host: host, port: 8080), host)
        }
        for host in ["localhost.example.com", "128.0.0.1", "::2", "10.0.0.1", "example.com"] {
            XCTAssertFalse(loopback.matches(host: host, port: 8080), host)
        }
    }
}
