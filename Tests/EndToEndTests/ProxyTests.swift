import Foundation
import XCTest

/// `--proxy` through real proxies started by the tests (`Peers/proxy.py`): Debian's tinyproxy for HTTP
/// `CONNECT`, microsocks for SOCKS5.
final class ProxyTests: EndToEndTestCase {
    private func startProxy(_ kind: String, _ arguments: [String] = []) throws -> PeerServer {
        try self.startPeer("proxy.py", [kind] + arguments)
    }

    /// Exit code 3, a failed connection, with one error line containing `fragment`.
    private func assertConnectionFailed(
        _ result: WSCResult,
        contains fragment: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(result.status, 3, result.stderr, file: file, line: line)
        self.assertOneErrorLine(result, contains: fragment, file: file, line: line)
    }

    private func echo(through proxy: String, to url: String, extra: [String] = []) throws -> WSCResult {
        try WSCProcess.run(["--proxy", proxy] + extra + [url], input: Data("through the tunnel\nsecond\n".utf8))
    }

    func testHTTPConnectTunnelCarriesTheSession() throws {
        let proxy = try self.startProxy("tinyproxy")
        let server = try self.startServer()
        let result = try self.echo(through: "http://127.0.0.1:\(proxy.port)", to: server.url(), extra: ["-v"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "through the tunnel\nsecond\n")
        XCTAssertTrue(
            result.stderr.hasPrefix("* proxy: http://127.0.0.1:\(proxy.port), tunnel to 127.0.0.1:\(server.port)\n"),
            "-v names the proxy first: \(result.stderr)"
        )
    }

    func testWSSThroughTheTunnelVerifiesTheServerNotTheProxy() throws {
        let certificates = try TestCertificateFolder.make()
        defer { certificates.remove() }
        let proxy = try self.startProxy("tinyproxy")
        let server = try self.startServer(
            "echo",
            ["--tls-cert", certificates.certificate("localhost"), "--tls-key", certificates.key("localhost")]
        )
        let url = "wss://localhost:\(server.port)/"
        let result = try self.echo(
            through: "127.0.0.1:\(proxy.port)",
            to: url,
            extra: ["--cacert", certificates.caFile]
        )
        XCTAssertEqual(result.status, 0, "a proxy URL without a scheme is HTTP: \(result.stderr)")
        XCTAssertEqual(result.output, "through the tunnel\nsecond\n")
        let untrusted = try self.echo(through: "http://127.0.0.1:\(proxy.port)", to: url)
        XCTAssertEqual(untrusted.status, 5, "TLS runs end to end, so the server's certificate is still checked")
    }

    func testProxyCredentialsAreSentAndA407SaysHowToGiveThem() throws {
        let proxy = try self.startProxy("tinyproxy", ["--auth", "alice:s3cret"])
        let server = try self.startServer()
        let refused = try self.echo(through: "http://127.0.0.1:\(proxy.port)", to: server.url())
        self.assertConnectionFailed(refused, contains: "refused a tunnel to 127.0.0.1:\(server.port): 407")
        XCTAssertTrue(refused.stderr.contains("http://user:password@host:port"), refused.stderr)
        let result = try self.echo(through: "http://alice:s3cret@127.0.0.1:\(proxy.port)", to: server.url())
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "through the tunnel\nsecond\n")
    }

    func testTunnelForbiddenByTheProxysRulesIsAConnectionFailure() throws {
        let proxy = try self.startProxy("tinyproxy", ["--connect-port", "443"])
        let server = try self.startServer()
        let result = try self.echo(through: "http://127.0.0.1:\(proxy.port)", to: server.url())
        self.assertConnectionFailed(
            result,
            contains: "the proxy http://127.0.0.1:\(proxy.port) refused a tunnel to 127.0.0.1:\(server.port): 403"
        )
        XCTAssertEqual(result.output, "")
        let secure = try self.echo(through: "http://127.0.0.1:\(proxy.port)", to: "wss://localhost:\(server.port)/")
        // The refusal, not the TLS handshake it cut short, is what is reported.
        self.assertConnectionFailed(secure, contains: "refused a tunnel to localhost:\(server.port): 403")
    }

    func testSOCKS5hLetsTheProxyResolveTheServersName() throws {
        let proxy = try self.startProxy("microsocks")
        let server = try self.startServer()
        let result = try self.echo(through: "socks5h://127.0.0.1:\(proxy.port)", to: "ws://localhost:\(server.port)/")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "through the tunnel\nsecond\n")
    }

    func testSOCKSReplyIsNamedWhenTheServerRefuses() throws {
        let proxy = try self.startProxy("microsocks")
        let closedPort = try ClosedPort.find()
        let result = try self.echo(
            through: "socks5://127.0.0.1:\(proxy.port)",
            to: "ws://127.0.0.1:\(closedPort)/"
        )
        self.assertConnectionFailed(result, contains: "could not connect to 127.0.0.1:\(closedPort)")
    }

    func testSOCKSLoginWithTheCredentialsInTheProxyURL() throws {
        let proxy = try self.startProxy("microsocks", ["--auth", "alice:s3cret"])
        let server = try self.startServer()
        let result = try self.echo(through: "socks5h://alice:s3cret@127.0.0.1:\(proxy.port)", to: server.url())
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "through the tunnel\nsecond\n")
    }

    func testSOCKSLoginMissingOrRefusedIsExplained() throws {
        let proxy = try self.startProxy("microsocks", ["--auth", "alice:s3cret"])
        let server = try self.startServer()
        let missing = try self.echo(through: "socks5h://127.0.0.1:\(proxy.port)", to: server.url())
        self.assertConnectionFailed(missing, contains: "requires a user name and password: give them in its URL")
        let wrong = try self.echo(through: "socks5h://alice:guess@127.0.0.1:\(proxy.port)", to: server.url())
        self.assertConnectionFailed(wrong, contains: "refused the user name and password in its URL")
        XCTAssertFalse(wrong.stderr.contains("guess"), "the password is never shown: \(wrong.stderr)")
    }

    func testProxyThatNeverAnswersTimesOutNamingIt() throws {
        let silent = try self.startRawServer(["--silent"])
        let result = try WSCProcess.run(
            ["--proxy", "socks5h://127.0.0.1:\(silent.port)", "--connect-timeout", "0.5", "ws://127.0.0.1:1/"]
        )
        self.assertConnectionFailed(result, contains: "through the proxy socks5h://127.0.0.1:\(silent.port)")
    }

    func testProxyThatIsNotRunningIsNamed() throws {
        let closedPort = try ClosedPort.find()
        let result = try self.echo(through: "http://127.0.0.1:\(closedPort)", to: "ws://127.0.0.1:1/")
        self.assertConnectionFailed(
            result,
            contains: "connection refused by the proxy http://127.0.0.1:\(closedPort): is the proxy running?"
        )
    }

    func testUnusableProxyURLsAreUsageErrors() throws {
        for (proxy, message) in [
            ("ftp://127.0.0.1:21", "unsupported proxy scheme 'ftp'"),
            ("http://127.0.0.1:3128/path", "has a path"),
            ("socks5h://\(String(repeating: "u", count: 256)):p@127.0.0.1:1080", "1 to 255 bytes each"),
            ("http://127.0.0.1:99999", "invalid port"),
        ] {
            let result = try WSCProcess.run(["--proxy", proxy, "ws://127.0.0.1:1/"])
            XCTAssertEqual(result.status, 2, proxy)
            self.assertOneErrorLine(result, contains: message)
        }
        let listen = try WSCProcess.run(["--proxy", "http://127.0.0.1:3128", "--listen", "0"])
        XCTAssertEqual(listen.status, 2)
        self.assertOneErrorLine(listen, contains: "--proxy applies to a client connection")
    }
}
