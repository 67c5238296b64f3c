import ArgumentParser
import NIOCore
import WSEngine
import WSTLS
import WSTerminal

#if canImport(Glibc)
    import Glibc
#endif

/// A load test's run (`wsc bench`), the second kind of plan beside ``RunPlan``: the engine's configuration,
/// how the report is shown, and the thresholds that decide the exit status. The ``BenchRunner`` executes it.
struct BenchPlan: Sendable {
    /// How the report is written to stdout.
    enum Format: Sendable {
        case table
        case json
    }

    var configuration: BenchConfiguration
    var format: Format
    /// Redraw a status line on stderr while the test runs (stderr is a terminal, and no `-q`).
    var showsProgress: Bool
    /// `--max-p99`: the longest 99th percentile round trip that passes.
    var maxP99: Duration?
    /// `--max-errors`: the most errors that pass; `nil` lets none pass.
    var maxErrors: Int?
    /// The TLS settings from the command line, for the context built before connecting.
    var tls: TLSConfiguration?
    /// What the report's title says was tested.
    var title: String
    /// How wsc's own lines on stderr are shown.
    var diagnostics: Diagnostics
    /// Lines of `wsc: warning:` to print before anything runs (`-k`, TLS options with a `ws://` URL).
    var warnings: [String]
}

extension BenchCommand {
    /// The plan for this command line, resolved once; a value that cannot be used is a `ValidationError`.
    func plan(environment: ProcessEnvironment) throws -> BenchPlan {
        let session = self.connection.sessionConfiguration(role: .client, reportsPongs: false)
        var client = try self.connection.clientConfiguration(url: self.bench.url, session: session)
        client.proxy = try self.connection.proxyRoute(environment: environment).choice(for: client.url)?.proxy
        let options = self.bench
        let pacing: BenchConfiguration.Pacing =
            options.rate.map { .constantRate(perSecond: $0) } ?? .closedLoop(pipeline: options.pipeline ?? 1)
        let end: BenchConfiguration.End =
            options.messages.map { .messages($0) } ?? .duration(.seconds(options.duration ?? 10))
        let configuration = BenchConfiguration(
            client: client,
            connections: options.connections,
            connectRate: options.connectRate,
            end: end,
            warmup: .seconds(options.warmup),
            pacing: pacing,
            message: try self.message(),
            binary: options.binary,
            login: options.execute.map { ByteBuffer(string: $0) },
            threads: System.coreCount
        )
        return BenchPlan(
            configuration: configuration,
            format: options.format == .json ? .json : .table,
            showsProgress: environment.stderrIsTerminal && !options.quiet,
            maxP99: options.maxP99.map { .microseconds($0 * 1000) },
            maxErrors: options.maxErrors,
            tls: self.tls.configuration,
            title: "wsc bench \(client.url.description): \(options.connections) connection"
                + (options.connections == 1 ? "" : "s") + ", " + Self.describe(pacing),
            diagnostics: Diagnostics(verbose: false, quiet: options.quiet),
            warnings: self.tls.warnings(for: client.url)
        )
    }

    private static func describe(_ pacing: BenchConfiguration.Pacing) -> String {
        switch pacing {
        case .closedLoop(let pipeline): "\(pipeline) in flight on each"
        case .constantRate(let rate): "\(rate) msg/s in all"
        }
    }

    /// What each message is: generated for an echo server, or the user's, matched in order or by a field.
    private func message() throws -> BenchMessage {
        let options = self.bench
        let bytes: [UInt8]
        if let text = options.message {
            bytes = Array(text.utf8)
        } else if let path = options.messageFile {
            guard let contents = Self.contents(of: path) else {
                throw ValidationError("--message-file: cannot read '\(path)'")
            }
            if !options.binary, String(validating: contents, as: UTF8.self) == nil {
                throw ValidationError("--message-file: '\(path)' is not UTF-8; add --binary to send it as binary")
            }
            bytes = contents
        } else {
            return .echo(size: options.size?.bytes ?? BenchPayload.minimumSize)
        }
        guard let name = options.matchJSONField else {
            return .fixed(ByteBuffer(bytes: bytes))
        }
        guard let field = JSONField(name: name, template: bytes) else {
            throw ValidationError("--match-json-field: the message is not a JSON object with a top-level \"\(name)\"")
        }
        return .jsonField(field)
    }

    /// A file's bytes, or `nil` when it cannot be read.
    private static func contents(of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }
}
