import Foundation
import XCTest

/// Proxies from the environment, as curl reads them, through real proxies (`Peers/proxy.py`: tinyproxy for
/// HTTP `CONNECT`, microsocks for SOCKS5). The servers are local, which the environment's proxies skip by
/// default, so each test that wants the proxy used says so with an empty `no_proxy` or `--noproxy ''`.
final class EnvironmentProxyTests: EndToEndTestCase {
    private let input = Data("through the tunnel\nsecond\n".utf8)

    private func run(_ arguments: [String], environment: [String: String]) throws -> WSCResult {
        try WSCProcess.run(arguments, input: self.input, environment: environment)
    }

    private func assertEchoed(_ result: WSCResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        XCTAssertEqual(result.output, "through the tunnel\nsecond\n", file: file, line: line)
    }

    func testHTTPProxyCarriesWSWithItsCredentialsHidden() throws {
        let proxy = try self.startPeer("proxy.py", ["tinyproxy", "--auth", "alice:s3cret"])
        let server = try self.startServer()
        let result = try self.run(
            ["-v", server.url()],
            environment: ["http_proxy": "http://alice:s3cret@127.0.0.1:\(proxy.port)", "no_proxy": ""]
        )
        self.assertEchoed(result)
        XCTAssertTrue(
            result.stderr.hasPrefix(
                "* proxy: http://127.0.0.1:\(proxy.port) (from http_proxy), tunnel to 127.0.0.1:\(server.port)\n"
            ),
            result.stderr
        )
        XCTAssertFalse(result.stderr.contains("s3cret"), "the password is never shown: \(result.stderr)")
    }

    func testHTTPSProxyVariablesCarryWSS() throws {
        let certificates = try TestCertificateFolder.make()
        defer { certificates.remove() }
        let proxy = try self.startPeer("proxy.py", ["tinyproxy"])
        let server = try self.startServer(
            "echo",
            ["--tls-cert", certificates.certificate("localhost"), "--tls-key", certificates.key("localhost")]
        )
        for variable in ["https_proxy", "HTTPS_PROXY"] {
            let result = try self.run(
                ["-v", "--noproxy", "", "--cacert", certificates.caFile, "wss://localhost:\(server.port)/"],
                environment: [variable: "127.0.0.1:\(proxy.port)", "http_proxy": "http://127.0.0.1:1"]
            )
            self.assertEchoed(result)
            XCTAssertTrue(result.stderr.contains("(from \(variable)), tunnel to localhost:\(server.port)\n"))
        }
    }

    func testAllProxyVariablesCarryBothSchemesThroughSOCKS() throws {
        let proxy = try self.startPeer("proxy.py", ["microsocks"])
        let server = try self.startServer()
        for variable in ["all_proxy", "ALL_PROXY"] {
            let result = try self.run(
                ["-v", "ws://localhost:\(server.port)/"],
                environment: [variable: "socks5h://127.0.0.1:\(proxy.port)", "NO_PROXY": ""]
            )
            self.assertEchoed(result)
            XCTAssertTrue(
                result.stderr.hasPrefix("* proxy: socks5h://127.0.0.1:\(proxy.port) (from \(variable)), tunnel to "),
                result.stderr
            )
        }
    }

    func testLoopbackServersGoDirectWhateverProxyIsSet() throws {
        let closedPort = try ClosedPort.find()
        let dead = "http://127.0.0.1:\(closedPort)"
        let server = try self.startServer()
        for url in [server.url(), "ws://localhost:\(server.port)/"] {
            let result = try self.run(["-v", url], environment: ["http_proxy": dead, "ALL_PROXY": dead])
            self.assertEchoed(result)
            XCTAssertFalse(result.stderr.contains("proxy"), result.stderr)
        }
        let upperCase = try self.run([server.url()], environment: ["HTTP_PROXY": dead, "no_proxy": ""])
        self.assertEchoed(upperCase)
    }

    func testNoProxyOptionAndAnEmptyProxyGoDirect() throws {
        let closedPort = try ClosedPort.find()
        let environment = ["http_proxy": "http://127.0.0.1:\(closedPort)", "no_proxy": ""]
        let server = try self.startServer()
        self.assertEchoed(try self.run(["--noproxy", "127.0.0.0/8", server.url()], environment: environment))
        self.assertEchoed(
            try self.run(["--noproxy", "127.0.0.1:\(server.port)", server.url()], environment: environment)
        )
        self.assertEchoed(try self.run(["--proxy", "", server.url()], environment: environment))
        let otherPort = try self.run(["--noproxy", "127.0.0.1:1", server.url()], environment: environment)
        XCTAssertEqual(otherPort.status, 3, "an entry with another port does not match: \(otherPort.stderr)")
    }

    func testUnreachableProxyIsAConnectionFailureNamingTheVariable() throws {
        let closedPort = try ClosedPort.find()
        let server = try self.startServer()
        let result = try self.run(
            [server.url()],
            environment: ["http_proxy": "http://127.0.0.1:\(closedPort)", "no_proxy": ""]
        )
        XCTAssertEqual(result.status, 3, result.stderr)
        self.assertOneErrorLine(
            result,
            contains: "connection refused by the proxy http://127.0.0.1:\(closedPort): is the proxy running? "
                + "(the proxy is set by http_proxy)"
        )
        XCTAssertEqual(result.output, "", "never a silent direct connection")
    }

    func testMalformedProxyInTheEnvironmentIsAUsageErrorNamingIt() throws {
        let result = try self.run(["ws://example.test/"], environment: ["ALL_PROXY": "ftp://127.0.0.1:21"])
        XCTAssertEqual(result.status, 2, result.stderr)
        self.assertOneErrorLine(result, contains: "ALL_PROXY: unsupported proxy scheme 'ftp'")
    }

    func testRedirectDecidesTheProxyAgainForTheNewHost() throws {
        let proxy = try self.startPeer("proxy.py", ["tinyproxy"])
        let target = try self.startServer()
        let redirecting = try self.startServer("redirect", ["--location", "ws://localhost:\(target.port)/"])
        let result = try self.run(
            ["-v", "-L", redirecting.url()],
            environment: ["http_proxy": "http://127.0.0.1:\(proxy.port)", "no_proxy": "127.0.0.1"]
        )
        self.assertEchoed(result)
        let lines = result.errorLines.filter { $0.hasPrefix("* ") }
        XCTAssertEqual(
            Array(lines.prefix(2)),
            [
                "* redirected to ws://localhost:\(target.port)/",
                "* proxy: http://127.0.0.1:\(proxy.port) (from http_proxy), tunnel to localhost:\(target.port)",
            ],
            "127.0.0.1 is in no_proxy, localhost is not: \(result.stderr)"
        )
    }
}
