import ArgumentParser
import WSEngine
import XCTest

@testable import WSCommand

/// Which proxy each URL gets from `--proxy`, `--noproxy`, `--unix-socket` and the environment's variables,
/// read as curl reads them.
final class ProxyRouteTests: XCTestCase {
    /// `--proxy` and `--noproxy` as given, and the variables, for `url`: the proxy's URL and its source
    /// (`--proxy` or the variable), or `direct`.
    private func route(
        _ url: String,
        proxy: String? = nil,
        noProxy: String? = nil,
        unixSocket: Bool = false,
        _ variables: [String: String] = [:]
    ) throws -> String {
        let route = try ProxyRoute(proxy: proxy, noProxy: noProxy, unixSocket: unixSocket, variables: variables)
        guard let choice = try route.choice(for: WebSocketURL(parsing: url)) else { return "direct" }
        return "\(choice.proxy) from \(choice.variable ?? "--proxy")"
    }

    func testEachSchemeReadsItsVariablesLowerCaseFirst() throws {
        let http = "http://p:1"
        let every = [
            "http_proxy": "http://h:1", "HTTP_PROXY": "http://H:1", "https_proxy": "http://s:1",
            "HTTPS_PROXY": "http://S:1", "all_proxy": "socks5h://a:1", "ALL_PROXY": "socks5h://A:1",
        ]
        XCTAssertEqual(try self.route("ws://e.test/", every), "http://h:1 from http_proxy")
        XCTAssertEqual(try self.route("wss://e.test/", every), "http://s:1 from https_proxy")
        XCTAssertEqual(try self.route("wss://e.test/", ["HTTPS_PROXY": http]), "\(http) from HTTPS_PROXY")
        XCTAssertEqual(
            try self.route("ws://e.test/", ["all_proxy": http, "ALL_PROXY": "x:1"]),
            "\(http) from all_proxy"
        )
        XCTAssertEqual(try self.route("wss://e.test/", ["ALL_PROXY": "socks5://a"]), "socks5h://a:1080 from ALL_PROXY")
        XCTAssertEqual(try self.route("ws://e.test/", ["https_proxy": http]), "direct", "https_proxy is for wss://")
        XCTAssertEqual(try self.route("wss://e.test/", ["http_proxy": http]), "direct", "http_proxy is for ws://")
    }

    func testUpperCaseHTTPProxyIsIgnoredAndEmptyVariablesAreUnset() throws {
        XCTAssertEqual(try self.route("ws://e.test/", ["HTTP_PROXY": "http://p:1"]), "direct")
        XCTAssertEqual(
            try self.route("ws://e.test/", ["HTTP_PROXY": "http://p:1", "ALL_PROXY": "http://a:1"]),
            "http://a:1 from ALL_PROXY"
        )
        XCTAssertEqual(
            try self.route(
                "wss://e.test/",
                ["https_proxy": "", "HTTPS_PROXY": "http://S:1", "all_proxy": "http://a:1"]
            ),
            "http://S:1 from HTTPS_PROXY"
        )
        XCTAssertEqual(try self.route("ws://e.test/", ["http_proxy": "", "all_proxy": ""]), "direct")
    }

    func testLoopbackGoesDirectUnlessAListIsGiven() throws {
        let variables = ["http_proxy": "http://p:1", "https_proxy": "http://p:1"]
        for url in [
            "ws://localhost:8080/", "ws://127.0.0.1/", "wss://127.3.2.1/", "ws://[::1]:9/", "ws://a.localhost/",
        ] {
            XCTAssertEqual(try self.route(url, variables), "direct", url)
            XCTAssertEqual(
                try self.route(url, noProxy: "", variables),
                "http://p:1 from \(url.hasPrefix("wss") ? "https_proxy" : "http_proxy")",
                url
            )
        }
        XCTAssertEqual(
            try self.route("ws://127.0.0.1/", ["no_proxy": ""].merging(variables) { $1 }),
            "http://p:1 from http_proxy"
        )
        XCTAssertEqual(
            try self.route("ws://127.0.0.1/", ["NO_PROXY": "other.test"].merging(variables) { $1 }),
            "http://p:1 from http_proxy"
        )
        XCTAssertEqual(try self.route("ws://e.test/", variables), "http://p:1 from http_proxy")
    }

    func testNoProxyListsInTheirOrderOfPrecedence() throws {
        let proxy = ["http_proxy": "http://p:1"]
        let both = proxy.merging(["no_proxy": "a.test", "NO_PROXY": "b.test"]) { $1 }
        XCTAssertEqual(try self.route("ws://a.test/", both), "direct")
        XCTAssertEqual(try self.route("ws://b.test/", both), "http://p:1 from http_proxy", "no_proxy comes first")
        XCTAssertEqual(try self.route("ws://b.test/", proxy.merging(["NO_PROXY": "b.test"]) { $1 }), "direct")
        XCTAssertEqual(try self.route("ws://a.test/", noProxy: "c.test", both), "http://p:1 from http_proxy")
        XCTAssertEqual(try self.route("ws://c.test/", noProxy: "c.test", both), "direct", "--noproxy replaces them")
        XCTAssertEqual(try self.route("ws://c.test:8080/", noProxy: "c.test:8080", proxy), "direct")
        XCTAssertEqual(try self.route("ws://c.test/", noProxy: "c.test:8080", proxy), "http://p:1 from http_proxy")
        XCTAssertEqual(try self.route("ws://c.test/", noProxy: "*", proxy), "direct")
    }

    func testProxyOptionWinsAndAListAppliesToItToo() throws {
        let variables = ["http_proxy": "http://env:1", "ALL_PROXY": "http://all:1"]
        XCTAssertEqual(try self.route("ws://e.test/", proxy: "http://o:2", variables), "http://o:2 from --proxy")
        XCTAssertEqual(try self.route("ws://127.0.0.1/", proxy: "o:2"), "http://o:2 from --proxy", "no loopback rule")
        XCTAssertEqual(try self.route("ws://e.test/", proxy: "http://o:2", noProxy: "e.test"), "direct")
        XCTAssertEqual(try self.route("ws://e.test/", proxy: "http://o:2", ["no_proxy": "*"]), "direct")
        XCTAssertEqual(try self.route("ws://e.test/", proxy: "", variables), "direct", "--proxy '' turns all off")
        XCTAssertEqual(try self.route("ws://e.test/", unixSocket: true, variables), "direct")
    }

    func testMalformedProxiesAreUsageErrorsNamingTheirSource() throws {
        for (variables, name) in [
            (["http_proxy": "ftp://p"], "http_proxy"), (["ALL_PROXY": "http://p:99999"], "ALL_PROXY"),
            (["all_proxy": "socks5h://\(String(repeating: "u", count: 256)):p@h"], "all_proxy"),
            (["http_proxy": "http://u%01:p@h"], "http_proxy"),
        ] {
            XCTAssertThrowsError(try self.route("ws://e.test/", variables), "\(variables)") { error in
                XCTAssertTrue((error as? ValidationError)?.message.hasPrefix("\(name): ") == true, "\(error)")
            }
            XCTAssertEqual(try self.route("ws://127.0.0.1/", variables), "direct", "a variable not used is not read")
        }
        XCTAssertThrowsError(try self.route("ws://e.test/", proxy: "gopher://p")) { error in
            XCTAssertTrue((error as? ValidationError)?.message.hasPrefix("--proxy: ") == true, "\(error)")
        }
    }

    func testThePlanCarriesTheRouteAndTheChoice() throws {
        let environment = ProcessEnvironment(
            variables: ["https_proxy": "socks5h://u:secret@p:1080", "no_proxy": ""],
            stdinIsTerminal: false,
            stdoutIsTerminal: false
        )
        let plan = try PlanFixture.client(["wss://127.0.0.1/"], environment: environment)
        XCTAssertEqual(plan.configuration.proxy?.host, "p")
        XCTAssertEqual(plan.proxy?.variable, "https_proxy")
        XCTAssertEqual(try plan.proxyRoute.choice(for: WebSocketURL(parsing: "ws://127.0.0.1/")), nil)
        XCTAssertThrowsError(try PlanFixture.plan(["-l", "0", "--noproxy", "*"]))
    }
}
