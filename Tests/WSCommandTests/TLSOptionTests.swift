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

    func testNoContextWithoutOptionsOrForPlainURLs() throws {
        XCTAssertNil(try self.command(["wss://h/"]).clientConfiguration().tls, "the engine builds the default")
        // Not even read: the file does not exist, and a ws:// URL only gets a warning.
        XCTAssertNil(try self.command(["--cacert", "/nonexistent/ca.pem", "ws://h/"]).clientConfiguration().tls)
    }

    func testVersionBoundsReachTheContext() throws {
        let cases: [([String], WSTLS.TLSVersion, WSTLS.TLSVersion?)] = [
            (["-k"], .tls12, nil),
            (["--tlsv1.2"], .tls12, nil),
            (["--tlsv1.3"], .tls13, nil),
            (["--tls-max", "1.2"], .tls12, .tls12),
            (["--tlsv1.2", "--tls-max", "1.3"], .tls12, .tls13),
        ]
        for (arguments, minimum, maximum) in cases {
            let context = try XCTUnwrap(try self.command(arguments + ["wss://h/"]).clientConfiguration().tls)
            XCTAssertEqual(context.configuration.minimumVersion, minimum, "\(arguments)")
            XCTAssertEqual(context.configuration.maximumVersion, maximum, "\(arguments)")
        }
    }

    func testInsecureBuildsAContextWithoutReadingAnything() throws {
        XCTAssertNotNil(try self.command(["-k", "wss://h/"]).clientConfiguration().tls)
    }

    func testUnreadableFileIsATLSErrorNotAUsageError() throws {
        let command = try self.command(["--cacert", "/nonexistent/ca.pem", "wss://h/"])
        XCTAssertThrowsError(try command.clientConfiguration()) { error in
            let clientError = error as? WebSocketClientError
            XCTAssertEqual(clientError?.category, .tls)
            XCTAssertEqual(
                clientError?.description,
                "TLS: cannot read the --cacert file /nonexistent/ca.pem: No such file or directory"
            )
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
