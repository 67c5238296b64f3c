import Foundation
import XCTest

/// wss:// against servers that do what an attacker or a badly configured server would: renegotiate in the
/// middle of a session, present certificates that name the host only in their subject, hang up after an
/// optional certificate request.
final class TLSHardeningTests: TLSTestCase {
    // MARK: - Renegotiation

    func testAPongWrittenDuringARenegotiationArrivesAndTheSessionGoesOn() throws {
        let certificates = try self.certificates
        let server = try self.startPeer(
            "renegotiating_server.py",
            ["--tls-cert", certificates.certificate("localhost"), "--tls-key", certificates.key("localhost")]
        )
        let result = try WSCProcess.run(
            ["-w", "-1", "--cacert", certificates.caFile, "wss://localhost:\(server.port)/"],
            input: Data("first\n".utf8)
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try server.waitForLine(prefix: "MESSAGE"), "MESSAGE first")
        XCTAssertEqual(try server.waitForLine(prefix: "PONG"), "PONG during renegotiation", "\(server.output)")
        XCTAssertEqual(try server.waitForLine(prefix: "CLOSE"), "CLOSE 1000")
        XCTAssertEqual(result.stderr, "wsc: server closed the connection: 1000 (normal closure)\n")
    }

    // MARK: - Names

    func testACertificateNamingTheHostOnlyInItsSubjectIsRefused() throws {
        let certificates = try self.certificates
        for (name, names) in [("cnonly", "it names no host in its subjectAltName"), ("cnip", "it is for 127.0.0.1")] {
            let server = try self.startServer(
                "echo",
                ["--tls-cert", certificates.certificate(name), "--tls-key", certificates.key(name)]
            )
            let result = try WSCProcess.run(["--cacert", certificates.caFile, "wss://localhost:\(server.port)/"])
            XCTAssertEqual(result.status, 5, "\(name): \(result.stderr)")
            self.assertOneErrorLine(result, contains: "not valid for localhost; \(names)")
            server.stop()
        }
    }

    /// The names of a certificate that does not match are the server's to choose: shown escaped, never able
    /// to drive the terminal.
    func testTheNamesOfAMismatchedCertificateAreEscaped() throws {
        let certificates = try self.certificates
        let server = try self.startServer(
            "echo",
            ["--tls-cert", certificates.certificate("evilnames"), "--tls-key", certificates.key("evilnames")]
        )
        let result = try WSCProcess.run(["--cacert", certificates.caFile, "wss://localhost:\(server.port)/"])
        XCTAssertEqual(result.status, 5, result.stderr)
        self.assertOneErrorLine(result, contains: "evil\\x1b[31m.test")
        XCTAssertTrue(result.stderr.contains("bell\\x07.test"), result.stderr)
        XCTAssertFalse(result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, result.stderr)
    }

    func testAHostNameWithALeadingDotOrAnEmptyLabelIsAUsageError() throws {
        let cases: [([String], String)] = [
            (["wss://.test/"], "'wss://.test/' has an invalid host name: '.test' starts with a dot"),
            (["wss://a..test/"], "'a..test' has an empty label"),
            (["--tls-servername", ".test", "wss://127.0.0.1/"], "--tls-servername takes a host name or an IP address"),
            (["--tls-servername", "test..", "wss://127.0.0.1/"], "'test..' has an empty label"),
        ]
        for (arguments, fragment) in cases {
            let result = try WSCProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            self.assertOneErrorLine(result, contains: fragment)
        }
    }

    // MARK: - Client certificates

    func testAServerThatAskedForAnOptionalCertificateAndHungUpIsNotSaidToRequireOne() throws {
        let certificates = try self.certificates
        for version in ["1.3", "1.2"] {
            let server = try self.startPeer(
                "tls_hangup_server.py",
                [
                    "--tls-cert", certificates.certificate("localhost"), "--tls-key", certificates.key("localhost"),
                    "--tls-client-ca", certificates.caFile, "--tls-max-version", version,
                ]
            )
            let result = try WSCProcess.run(["--cacert", certificates.caFile, "wss://localhost:\(server.port)/"])
            XCTAssertEqual(try server.waitForLine(prefix: "HANDSHAKE"), "HANDSHAKE none", "TLS \(version)")
            XCTAssertEqual(result.status, 5, "TLS \(version): \(result.stderr)")
            self.assertOneErrorLine(result, contains: "the server closed the connection during the handshake")
            XCTAssertTrue(result.stderr.contains("if it requires one, give --cert FILE"), result.stderr)
            XCTAssertFalse(result.stderr.contains("requires a client certificate"), result.stderr)
            server.stop()
        }
    }
}
