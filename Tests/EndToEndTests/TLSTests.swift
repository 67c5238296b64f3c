import Foundation
import XCTest

/// wss:// against real TLS servers started by the tests: Python `websockets` behind Python's `ssl` (which is
/// OpenSSL, configured independently of wsc), and a memory-BIO peer that sees how the client ends TLS.
final class TLSTests: TLSTestCase {
    /// An echo server (or another `ws_server.py` mode) serving wss:// with the certificate `name`.
    private func startTLSServer(
        _ name: String = "localhost",
        mode: String = "echo",
        _ arguments: [String] = []
    ) throws -> PeerServer {
        let certificates = try self.certificates
        return try self.startServer(
            mode,
            ["--tls-cert", certificates.certificate(name), "--tls-key", certificates.key(name)] + arguments
        )
    }

    private func wss(_ server: PeerServer, host: String = "localhost") -> String {
        "wss://\(host):\(server.port)/"
    }

    // MARK: - Verification

    func testCACertTrustsTheServerAndMessagesRoundTrip() throws {
        let server = try self.startTLSServer()
        let result = try WSCProcess.run(
            ["--cacert", try self.certificates.caFile, self.wss(server)],
            input: Data("hello over TLS\nsecond ✓\n".utf8)
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "hello over TLS\nsecond ✓\n")
        XCTAssertEqual(result.stderr, "wsc: closed: 1000 (normal closure)\n")
    }

    func testWithoutCACertTheTestCAIsNotTrusted() throws {
        let server = try self.startTLSServer()
        let result = try WSCProcess.run([self.wss(server)])
        XCTAssertEqual(result.status, 5)
        self.assertOneErrorLine(result, contains: "is not signed by a trusted CA")
        XCTAssertTrue(result.stderr.contains("--cacert FILE"), result.stderr)
        XCTAssertTrue(result.stderr.contains("-k"), result.stderr)
    }

    func testInsecureConnectsWithOneWarningLine() throws {
        let server = try self.startTLSServer("selfsigned")
        let result = try WSCProcess.run(["-k", self.wss(server, host: "127.0.0.1")], input: Data("unverified\n".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "unverified\n")
        let warnings = result.errorLines.filter { $0.hasPrefix("wsc: warning: ") }
        XCTAssertEqual(warnings.count, 1, result.stderr)
        XCTAssertTrue(warnings.first?.contains("--insecure") ?? false, result.stderr)
        XCTAssertFalse(result.stderr.contains("wsc: error:"), result.stderr)
    }

    func testIPv4AddressIsVerifiedAgainstTheIPAddressEntry() throws {
        let server = try self.startTLSServer()
        let result = try WSCProcess.run(
            ["--cacert", try self.certificates.caFile, self.wss(server, host: "127.0.0.1")],
            input: Data("by address\n".utf8)
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "by address\n")
    }

    func testIPv6AddressIsVerifiedAgainstTheIPAddressEntry() throws {
        try XCTSkipUnless(Self.loopbackIPv6Works(), "no IPv6 loopback here")
        let server = try self.startTLSServer("localhost", mode: "echo", ["--host", "::1"])
        let result = try WSCProcess.run(
            ["--cacert", try self.certificates.caFile, self.wss(server, host: "[::1]")],
            input: Data("by IPv6 address\n".utf8)
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "by IPv6 address\n")
    }

    func testNameMismatchNamesTheCertificatesNames() throws {
        let server = try self.startTLSServer("other")
        for host in ["127.0.0.1", "localhost"] {
            let result = try WSCProcess.run(["--cacert", try self.certificates.caFile, self.wss(server, host: host)])
            XCTAssertEqual(result.status, 5, "\(host): \(result.stderr)")
            self.assertOneErrorLine(result, contains: "not valid for \(host); it is for other.example")
        }
    }

    func testServerNameOptionVerifiesTheNameGiven() throws {
        let server = try self.startTLSServer("other")
        let result = try WSCProcess.run(
            [
                "--cacert", try self.certificates.caFile, "--tls-servername", "other.example",
                self.wss(server, host: "127.0.0.1"),
            ],
            input: Data("via SNI name\n".utf8)
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "via SNI name\n")
    }

    func testCertificatesOutsideTheirValidityOrSelfSignedAreRefused() throws {
        let cases = [
            ("expired", "expired on 2021-01-01"),
            ("notyet", "is not valid before 2099-01-01"),
            ("selfsigned", "is self-signed"),
        ]
        for (name, fragment) in cases {
            let server = try self.startTLSServer(name)
            let result = try WSCProcess.run(["--cacert", try self.certificates.caFile, self.wss(server)])
            XCTAssertEqual(result.status, 5, "\(name): \(result.stderr)")
            self.assertOneErrorLine(result, contains: fragment)
            server.stop()
        }
    }

    func testARedirectFromWSSToWSIsRefusedAndNamed() throws {
        let plain = try self.startServer("headers")
        let server = try self.startTLSServer(mode: "redirect", ["--location", plain.url("/clear")])
        let result = try WSCProcess.run(
            ["-L", "-H", "Cookie: s=1", "-x", "hi", "--cacert", try self.certificates.caFile, self.wss(server)]
        )
        XCTAssertEqual(result.status, 4, result.stderr)
        self.assertOneErrorLine(
            result,
            contains: "refused to follow the redirect from wss://localhost:\(server.port)/ to "
                + "ws://127.0.0.1:\(plain.port)/clear: it leaves TLS (wss:// to ws://)"
        )
    }

    // MARK: - Client certificates

    func testMutualTLSFailsWithoutACertificateAndWorksWithOne() throws {
        let certificates = try self.certificates
        for version in ["1.3", "1.2"] {
            let server = try self.startTLSServer(
                "localhost",
                mode: "echo",
                ["--tls-client-ca", certificates.caFile, "--tls-max-version", version]
            )
            let refused = try WSCProcess.run(["--cacert", certificates.caFile, self.wss(server)])
            XCTAssertEqual(refused.status, 5, "TLS \(version): \(refused.stderr)")
            // Python's asyncio hangs up without its alert, so wsc cannot tell a required certificate from an
            // optional one; either way the line says how to send one. (With the alert, TLSClientCertificateTests.)
            self.assertOneErrorLine(refused, contains: "give --cert FILE and --key FILE")

            let accepted = try WSCProcess.run(
                [
                    "--cacert", certificates.caFile, "--cert", certificates.certificate("client"),
                    "--key", certificates.key("client"), self.wss(server),
                ],
                input: Data("mutual\n".utf8)
            )
            XCTAssertEqual(accepted.status, 0, "TLS \(version): \(accepted.stderr)")
            XCTAssertEqual(accepted.output, "mutual\n")
            XCTAssertEqual(try server.waitForLine(prefix: "CLIENT"), "CLIENT wsc test client")
            server.stop()
        }
    }

    func testUnusableFilesFailBeforeConnectingWithOneLine() throws {
        let certificates = try self.certificates
        // Nothing listens on this port: a connection attempt would end with exit code 3, not 5.
        let url = "wss://127.0.0.1:\(try ClosedPort.find())/"
        let missing = certificates.directory.appendingPathComponent("missing.pem").path
        let cases: [([String], String)] = [
            (["--cacert", missing], "cannot read the --cacert file \(missing)"),
            (["--cacert", certificates.key("ca")], "the --cacert file \(certificates.key("ca")) is not usable"),
            (["--cert", missing, "--key", certificates.key("client")], "cannot read the --cert file"),
            (["--cert", certificates.key("client")], "the --cert file \(certificates.key("client")) is not usable"),
            (["--cert", certificates.certificate("client"), "--key", missing], "cannot read the --key file"),
            (
                ["--cert", certificates.certificate("client"), "--key", certificates.key("localhost")],
                "does not belong to the certificate"
            ),
            (
                ["--cert", certificates.certificate("client"), "--key", certificates.key("encrypted")],
                "is protected by a passphrase"
            ),
        ]
        for (arguments, fragment) in cases {
            let result = try WSCProcess.run(arguments + [url])
            XCTAssertEqual(result.status, 5, "\(arguments): \(result.stderr)")
            self.assertOneErrorLine(result, contains: fragment)
        }
    }

    func testContradictoryTLSOptionsAreUsageErrors() throws {
        let certificates = try self.certificates
        let cases: [([String], String)] = [
            (["-k", "--cacert", certificates.caFile], "--insecure skips verification"),
            (["--key", certificates.key("client")], "--key needs its certificate"),
            (["--tls-servername", ""], "--tls-servername takes a host name"),
        ]
        for (arguments, fragment) in cases {
            let result = try WSCProcess.run(arguments + ["wss://localhost/"])
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            self.assertOneErrorLine(result, contains: fragment)
        }
    }

    func testTLSOptionsWithAPlainURLWarnAndAreIgnored() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(
            ["--cacert", "no-such-file.pem", server.url()],
            input: Data("plain\n".utf8)
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "plain\n")
        XCTAssertTrue(
            result.stderr.hasPrefix("wsc: warning: TLS options have no effect on a ws:// URL"),
            result.stderr
        )
    }

    // MARK: - Transport

    func testSixteenMebibyteMessageRoundTripsIntact() throws {
        let server = try self.startTLSServer("localhost", mode: "echo", ["--max-size", "\(32 << 20)"])
        // 4096 numbered blocks of 4 KiB, so that a lost, repeated or reordered record would show.
        var text = ""
        text.reserveCapacity((16 << 20) + 1)
        for block in 0..<4096 {
            let label = "block \(block) "
            text += label + String(repeating: block % 2 == 0 ? "x" : "y", count: 4096 - label.utf8.count)
        }
        let line = Data((text + "\n").utf8)
        let result = try WSCProcess.run(
            ["--cacert", try self.certificates.caFile, self.wss(server)],
            input: line,
            inputKind: .pipe,
            timeout: 180
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.count, line.count)
        XCTAssertTrue(result.stdout == line, "the echoed 16 MiB message differs from the one sent")
        XCTAssertEqual(result.stderr, "wsc: closed: 1000 (normal closure)\n")
    }

    func testClientCloseEndsTLSWithCloseNotify() throws {
        let certificates = try self.certificates
        let server = try self.startPeer(
            "tls_close_server.py",
            ["--tls-cert", certificates.certificate("localhost"), "--tls-key", certificates.key("localhost")]
        )
        let result = try WSCProcess.run(
            ["-w", "0", "--cacert", certificates.caFile, self.wss(server)],
            input: Data("bye\n".utf8)
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "bye\n")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1000")
        XCTAssertEqual(try server.waitForLine(prefix: "TLS"), "TLS CLOSE_NOTIFY")
    }

    func testServersCloseNotifyIsAnsweredWithOurs() throws {
        let (server, result) = try self.runAgainstServerThatCloses(ending: "close-notify")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "wsc: server closed the connection: 1000 (normal closure) \"bye\"\n")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1000")
        XCTAssertEqual(try server.waitForLine(prefix: "TLS"), "TLS CLOSE_NOTIFY")
    }

    func testUncleanTLSEndAfterTheCloseHandshakeIsNotAnError() throws {
        let (_, result) = try self.runAgainstServerThatCloses(ending: "abort")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "wsc: server closed the connection: 1000 (normal closure) \"bye\"\n")
    }

    func testTamperedRecordMidSessionIsATLSFailureNotAHangUp() throws {
        let (server, result) = try self.runAgainstServerThatCloses(ending: "corrupt")
        XCTAssertEqual(result.status, 7, "the session was up: it ended abnormally, like any other lost connection")
        XCTAssertEqual(
            result.stderr,
            "wsc: error: connection to the server failed without a Close frame: 1006 (abnormal closure); "
                + "TLS: the connection failed: decryption failed or bad record mac\n"
        )
        XCTAssertEqual(result.output, "", "nothing of the tampered record reaches stdout")
        let serverSaw = try server.waitForLine(prefix: "TLS")
        XCTAssertTrue(
            serverSaw.contains("ALERT_BAD_RECORD_MAC"),
            "wsc tells the server why with an alert: \(serverSaw)"
        )
    }

    /// Runs wsc against `tls_close_server.py` closing the WebSocket first, then ending TLS as `ending` says.
    private func runAgainstServerThatCloses(ending: String) throws -> (PeerServer, WSCResult) {
        let certificates = try self.certificates
        let server = try self.startPeer(
            "tls_close_server.py",
            [
                "--tls-cert", certificates.certificate("localhost"), "--tls-key", certificates.key("localhost"),
                "--close-by", "server", "--end", ending,
            ]
        )
        let result = try WSCProcess.run(
            ["-w", "-1", "--cacert", certificates.caFile, self.wss(server)],
            input: Data("first\n".utf8)
        )
        return (server, result)
    }

    func testConnectTimeoutCoversTheTLSHandshake() throws {
        let server = try self.startRawServer(["--silent"])
        let result = try WSCProcess.run(["--connect-timeout", "0.5", self.wss(server, host: "127.0.0.1")])
        XCTAssertEqual(result.status, 3)
        self.assertOneErrorLine(result, contains: "to complete the TLS handshake (--connect-timeout)")
    }

    func testPlainServerOnAWSSURLIsATLSFailure() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run([self.wss(server, host: "127.0.0.1")])
        XCTAssertEqual(result.status, 5, result.stderr)
        self.assertOneErrorLine(result, contains: "TLS: ")
    }

    func testVersionBoundsAreCurlsOptions() throws {
        let certificates = try self.certificates
        let modern = try self.startTLSServer()
        let capped = try WSCProcess.run(
            ["-v", "--tls-max", "1.2", "-x", "hi", "-w", "0", "--cacert", certificates.caFile, self.wss(modern)]
        )
        XCTAssertEqual(capped.status, 0, capped.stderr)
        XCTAssertTrue(capped.errorLines.first?.hasPrefix("* TLS: TLSv1.2 ") ?? false, capped.stderr)

        let old = try self.startTLSServer("localhost", mode: "echo", ["--tls-max-version", "1.2"])
        let refused = try WSCProcess.run(
            ["--tlsv1.3", "-x", "hi", "--cacert", certificates.caFile, self.wss(old)]
        )
        XCTAssertEqual(refused.status, 5, refused.stderr)
        // Python's server hangs up without the protocol_version alert that openssl s_server sends; wsc names
        // whichever it gets.
        self.assertOneErrorLine(refused, contains: "TLS: the server ")
        XCTAssertTrue(
            ["during the handshake", "alert 'protocol version'"].contains { refused.stderr.contains($0) },
            refused.stderr
        )
    }

    // MARK: - Reporting and linking

    func testVerboseShowsVersionCipherAndCertificate() throws {
        let certificates = try self.certificates
        for (version, cipherPrefix) in [("1.3", "TLS_"), ("1.2", "ECDHE-")] {
            let server = try self.startTLSServer("localhost", mode: "echo", ["--tls-max-version", version])
            let result = try WSCProcess.run(["-v", "--cacert", certificates.caFile, self.wss(server)])
            XCTAssertEqual(result.status, 0, result.stderr)
            let lines = result.errorLines
            XCTAssertTrue(
                lines.first?.hasPrefix("* TLS: TLSv\(version) \(cipherPrefix)") ?? false,
                "TLS \(version): \(result.stderr)"
            )
            XCTAssertTrue(lines.contains("* ALPN: server accepted http/1.1"), result.stderr)
            XCTAssertTrue(
                lines.contains("* server certificate: subject CN = localhost; issuer CN = wsc test CA"),
                result.stderr
            )
            // TLS comes first because it happened first.
            let tlsLine = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("* TLS:") })
            let requestLine = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("> GET") })
            XCTAssertLessThan(tlsLine, requestLine)
            server.stop()
        }
    }

    func testVerboseSaysWhenTheCertificateWasNotVerified() throws {
        let server = try self.startTLSServer()
        let result = try WSCProcess.run(["-v", "-k", self.wss(server)])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(
            result.stderr.contains(
                "* server certificate: subject CN = localhost; issuer CN = wsc test CA; NOT verified"
            ),
            result.stderr
        )
    }

    func testBinaryLinksTheSystemLibSSL() throws {
        let (text, status) = try Program.run("/usr/bin/ldd", [TestPaths.wsc.path])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(text.contains("libssl.so.3 => "), text)
        XCTAssertTrue(text.contains("libcrypto.so.3 => "), text)
    }

    // MARK: - Helpers

    /// Whether a socket can be bound to `::1`, which the IPv6 test's server needs.
    private static func loopbackIPv6Works() -> Bool {
        let socket = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0
            }
        }
    }
}
