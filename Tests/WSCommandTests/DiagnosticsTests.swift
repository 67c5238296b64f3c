import XCTest

@testable import WSCommand
@testable import WSEngine
@testable import WSTLS

/// The lines on stderr: `-v`'s details split, prefixed and escaped; error lines naming the options that help.
final class DiagnosticsTests: XCTestCase {
    func testDetailLinesAreSplitPrefixedAndEscaped() {
        XCTAssertEqual(
            Diagnostics.detailText(["X-A: \u{1B}[31m", "", "body\r\nwsc: error: forged\n\u{9B}\rend"], prefix: "< "),
            "< X-A: \\x1b[31m\n< \n< body\n< wsc: error: forged\n< \\u009b\\rend\n"
        )
    }

    /// Engine and TLS errors are data; the line a user reads names the option that deals with them.
    func testErrorLinesNameTheOptionsThatHelp() {
        let cases: [(WebSocketClientError, String)] = [
            (
                .tls(.unreadableFile(.caCertificates, path: "/x", reason: "No such file or directory")),
                "TLS: cannot read the --cacert file /x: No such file or directory"
            ),
            (
                .tls(.invalidFile(.privateKey, path: "/k", reason: "no start line")),
                "TLS: the --key file /k is not usable: no start line; it must be PEM"
            ),
            (
                .tls(.selfSigned(host: "h")),
                "TLS: the certificate of h is self-signed: use --cacert FILE to trust it, or -k to skip verification"
            ),
            (
                .tls(.expired(host: "h", notAfter: "Jan 1 2020")),
                "TLS: the certificate of h expired on Jan 1 2020: the server must renew it; -k skips verification"
            ),
            (
                .tls(.clientCertificateRequired),
                "TLS: the server requires a client certificate: give one with --cert FILE and --key FILE"
            ),
            (.tls(.closedDuringHandshake), TLSError.closedDuringHandshake.description),
            (
                .connectionFailed("timed out after 1 s connecting to h:1", limit: .connectTimeout),
                "timed out after 1 s connecting to h:1 (--connect-timeout)"
            ),
            (.connectionFailed("connection refused by h:1"), "connection refused by h:1"),
        ]
        for (error, line) in cases {
            XCTAssertEqual(Diagnostics.line(for: error), line)
        }
    }
}
