import NIOConcurrencyHelpers
import WSEngine
import WSTLS
import WSTerminal

#if canImport(Glibc)
    import Glibc
#endif

/// Writes wsc's own lines to stderr: `wsc: error: …` for failures, `wsc: …` for status, and the
/// handshake for `-v`. Results never go here; they go to stdout.
///
/// Much of what these lines quote was chosen by the peer (a close reason, response headers, a refusal's body,
/// a redirect's Location, a certificate's names) or typed by the user, so every line is escaped with the
/// REPL's rule (``TerminalEscaping``): no escape sequence reaches the terminal, and no line break inside a
/// message can forge a second `wsc: error:` line.
struct Diagnostics: Sendable {
    var verbose: Bool
    var quiet: Bool
    private let errors = NIOLockedValueBox<String?>(nil)

    init(verbose: Bool, quiet: Bool) {
        self.verbose = verbose
        self.quiet = quiet
    }

    /// The one line a failure prints.
    func error(_ message: String) {
        self.errors.withLockedValue { $0 = message }
        Self.write("wsc: error: \(TerminalEscaping.escaped(message))\n")
    }

    /// The message of the last error line, for `--events`.
    var lastError: String? {
        self.errors.withLockedValue { $0 }
    }

    /// A line about something risky that does not stop the run, such as `-k`. Shown even with `-q`, which
    /// silences status, not advice about security.
    func warning(_ message: String) {
        Self.write("wsc: warning: \(TerminalEscaping.escaped(message))\n")
    }

    /// A status line, unless `-q`.
    func status(_ message: String) {
        if !self.quiet {
            Self.write("wsc: \(TerminalEscaping.escaped(message))\n")
        }
    }

    /// Extra lines for `-v` only.
    func detail(_ lines: [String], prefix: String) {
        guard self.verbose, !lines.isEmpty else { return }
        Self.write(Self.detailText(lines, prefix: prefix))
    }

    /// `lines` with `prefix` before each, escaped; a line with line breaks inside (a refusal's body) becomes
    /// several, split at each LF or CR LF (one `Character` in Swift), each with the prefix.
    static func detailText(_ lines: [String], prefix: String) -> String {
        lines.flatMap { $0.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" } }.map { line in
            "\(prefix)\(TerminalEscaping.escaped(line))\n"
        }.joined()
    }

    /// The handshake, curl-style, with credentials hidden.
    func handshake(_ info: HandshakeInfo) {
        guard self.verbose else { return }
        if let tls = info.tls {
            self.detail(Self.lines(tls), prefix: "* ")
        }
        if info.handshakeProtocol == .http2 {
            let settings = info.http2Settings.map { "\($0.name) = \($0.value)" }
            self.detail(["HTTP/2 SETTINGS received: " + settings.joined(separator: ", ")], prefix: "* ")
        }
        let request = [info.requestLine] + info.requestHeaders.map(Self.redacted)
        let response = [info.statusLine] + info.responseHeaders.map { "\($0.name): \($0.value)" }
        self.detail(request, prefix: "> ")
        self.detail(response, prefix: "< ")
        let offered = info.requestHeaders.contains { $0.name.lowercased() == "sec-websocket-extensions" }
        if let compression = info.compression {
            self.detail(["compression: \(compression)"], prefix: "* ")
        } else if offered {
            self.detail(["compression: none (permessage-deflate was offered, not accepted)"], prefix: "* ")
        }
    }

    /// The TLS session, curl-style: `TLS: TLSv1.3 TLS_AES_256_GCM_SHA384`, then the server certificate.
    private static func lines(_ tls: TLSSessionInfo) -> [String] {
        var lines = ["TLS: \(tls.protocolVersion) \(tls.cipherSuite)"]
        if let alpn = tls.applicationProtocol {
            lines.append("ALPN: server accepted \(alpn)")
        }
        var certificate =
            "server certificate: subject \(tls.peerSubject ?? "(none)"); issuer \(tls.peerIssuer ?? "(none)")"
        if !tls.peerVerified {
            certificate += "; NOT verified (--insecure)"
        }
        lines.append(certificate)
        if tls.clientCertificateRequested {
            lines.append("the server asked for a client certificate; none was given (--cert)")
        }
        return lines
    }

    private static func redacted(_ field: HeaderField) -> String {
        guard Redaction.isSecret(headerName: field.name) else { return "\(field.name): \(field.value)" }
        let scheme = field.value.split(separator: " ", maxSplits: 1).first.map { "\($0) " } ?? ""
        return "\(field.name): \(field.name.lowercased() == "cookie" ? "" : scheme)\(Redaction.marker)"
    }

    /// Writes to stderr; when stderr itself fails there is nowhere left to say so.
    private static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            try? DescriptorWriter.writeAll(UnsafeRawBufferPointer(bytes), to: STDERR_FILENO)
        }
    }
}

extension Diagnostics {
    /// The error line for a connection that could not be opened: the engine's words, with what to change on
    /// wsc's command line where an option would help (a limit that passed, a certificate to trust).
    static func line(for error: WebSocketClientError) -> String {
        if let tlsError = error.tlsError {
            return Self.line(for: tlsError)
        }
        return error.description + (error.limit.map { " (\($0.optionName))" } ?? "")
    }

    /// The error line for a session's end. A server's Close 1009 (message too big) names the largest message
    /// wsc sent: the limit that passed is the server's, which `--max-message-size` (wsc's own) does not change.
    static func line(for close: CloseReport, largestSent: SentMessage?) -> String {
        guard close.initiator == .remote, close.code == .messageTooBig, let sent = largestSent else {
            return close.summary
        }
        let source = sent.file.map { " (\(FileMessage.name($0)))" } ?? ""
        return "\(close.summary); wsc sent a message of \(sent.bytes) bytes\(source), more than the server accepts"
    }

    /// A TLS failure's line, with the options that deal with it.
    static func line(for error: TLSError) -> String {
        switch error.reason {
        case .unknownIssuer:
            "\(error): use --cacert FILE to trust its CA, or -k to skip verification"
        case .selfSigned:
            "\(error): use --cacert FILE to trust it, or -k to skip verification"
        case .nameMismatch:
            "\(error): connect to one of its names, or use -k to skip verification"
        case .expired, .notYetValid, .certificateRejected:
            "\(error); -k skips verification"
        case .clientCertificateRequired:
            "\(error): give one with --cert FILE and --key FILE"
        case .closedAfterCertificateRequest:
            "\(error): if it requires one, give --cert FILE and --key FILE"
        case .unreadableFile(let file, let path, let reason):
            "TLS: cannot read the \(Self.option(for: file)) file \(path): \(reason)"
        case .invalidFile(let file, let path, let reason):
            "TLS: the \(Self.option(for: file)) file \(path) is not usable: \(reason); it must be PEM"
        case .keyMismatch:
            "\(error): give the matching --key"
        case .alertReceived, .notTLS, .handshakeFailed, .closedDuringHandshake, .connectionFailed, .encryptedKey,
            .invalidSetting:
            error.description
        }
    }

    private static func option(for file: TLSError.File) -> String {
        switch file {
        case .caCertificates: "--cacert"
        case .certificate: "--cert"
        case .privateKey: "--key"
        }
    }
}

extension Diagnostics {
    /// A load test's exit status and the error lines that explain it: any error fails the run (with the code
    /// of a connection's failure, or 7 for drops and lost messages) unless `--max-errors` allows it, and a
    /// broken threshold exits 11.
    static func benchVerdict(_ report: BenchReport, maxP99: Duration?, maxErrors: Int?) -> (
        status: ExitStatus, lines: [String]
    ) {
        var status = ExitStatus.success
        var lines: [String] = []
        if report.errors > (maxErrors ?? 0) {
            var parts: [String] = []
            if report.failed > 0 {
                let causes = report.failures.sorted { $0.key < $1.key }
                let words = causes.map { "\($0.value) \(BenchWords.cause($0.key))" }.joined(separator: ", ")
                parts.append("\(report.failed) connection\(Self.plural(report.failed)) failed (\(words))")
            }
            if report.dropped > 0 {
                parts.append("\(report.dropped) connection\(Self.plural(report.dropped)) closed abnormally")
            }
            if report.lost > 0 {
                parts.append("\(report.lost) message\(Self.plural(report.lost)) lost")
            }
            let what = parts.joined(separator: ", ")
            if let maxErrors {
                status = .thresholdBroken
                lines.append("\(report.errors) errors, more than --max-errors \(maxErrors) allows: \(what)")
            } else {
                let mostCommon = report.failures.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
                status = mostCommon.map(ExitStatus.init) ?? .abnormalClose
                lines.append(what)
            }
        }
        if let maxP99 {
            let limit = BenchWords.milliseconds(maxP99)
            if let p99 = report.roundTrip?.p99 {
                if p99 > maxP99 {
                    lines.append(
                        "the 99th percentile round trip, \(BenchWords.milliseconds(p99)), is above --max-p99 \(limit)"
                    )
                    status = status == .success ? .thresholdBroken : status
                }
            } else {
                lines.append("no round trip was measured, so --max-p99 \(limit) cannot be met")
                status = status == .success ? .thresholdBroken : status
            }
        }
        return (status, lines)
    }

    private static func plural(_ count: Int) -> String {
        count == 1 ? "" : "s"
    }
}
