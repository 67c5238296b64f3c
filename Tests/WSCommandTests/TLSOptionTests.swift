import ArgumentParser
import Foundation
import WSEngine
import WSTLS
import XCTest

@testable import WSCommand

/// The TLS option group: what it refuses as usage errors, when it builds a context, and what it warns about.
final class TLSOptionTests: XCTestCase {
    private func command(_ arguments: [String]) throws -> RootCommand {
        try XCTUnwrap(try RootCommand.parseAsRoot(arguments) as? RootCommand)
    }

    func testCurlsNamesParse() throws {
        let options = try self.command([
            "-k", "--cert", "c.pem", "--key", "k.pem", "--tls-servername", "example.com", "wss://h/",
        ]).tls
        XCTAssertTrue(options.insecure)
        XCTAssertEqual(options.cert, "c.pem")
        XCTAssertEqual(options.key, "k.pem")
        XCTAssertEqual(options.serverName, "example.com")
        XCTAssertEqual(try self.command(["--cacert", "ca.pem", "wss://h/"]).tls.cacert, "ca.pem")
    }

    func testContradictionsAreUsageErrors() {
        for arguments in [
            ["-k", "--cacert", "ca.pem", "wss://h/"],
            ["--key", "k.pem", "wss://h/"],
            ["--tls-servername", "", "wss://h/"],
            ["--tls-servername", "a b", "wss://h/"],
            ["--tlsv1.3", "--tls-max", "1.2", "wss://h/"],
            ["--tls-max", "1.1", "wss://h/"],
        ] {
            XCTAssertThrowsError(try RootCommand.parseAsRoot(arguments), "\(arguments)") { error in
                XCTAssertEqual(RootCommand.exitCode(for: error), .validationFailure, "\(arguments)")
            }
        }
    }

    func testWarnings() throws {
        let secure = try WebSocketURL(parsing: "wss://h/")
        let plain = try WebSocketURL(parsing: "ws://h/")
        XCTAssertEqual(try self.command(["wss://h/"]).tls.warnings(for: secure), [])
        XCTAssertEqual(try self.command(["ws://h/"]).tls.warnings(for: plain), [])
        let insecure = try self.command(["-k", "wss://h/"]).tls.warnings(for: secure)
        XCTAssertEqual(insecure.count, 1)
        XCTAssertTrue(insecure[0].hasPrefix("--insecure: "), insecure[0])
        let ignored = try self.command(["--cert", "c.pem", "ws://h/"]).tls.warnings(for: plain)
        XCTAssertEqual(
            ignored,
            ["TLS options have no effect on a ws:// URL, which is not encrypted: did you mean wss:// ?"]
        )
    }
}
