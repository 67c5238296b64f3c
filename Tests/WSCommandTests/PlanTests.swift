import ArgumentParser
import WSEngine
import WSTLS
import WSTerminal
import XCTest

@testable import WSCommand

/// The run plan: every mode each command line and environment resolves to, what reaches the engine's
/// configuration, and the values refused as usage errors; and the exit status of each outcome.
final class PlanTests: XCTestCase {
    private static let pipe = ProcessEnvironment(variables: [:], stdinIsTerminal: false, stdoutIsTerminal: false)
    private static let terminal = ProcessEnvironment(variables: [:], stdinIsTerminal: true, stdoutIsTerminal: true)

    func testModes() throws {
        let cases: [([String], ProcessEnvironment, String)] = [
            (["ws://h/"], Self.pipe, "pipe"),
            (["ws://h/"], Self.terminal, "interactive"),
            (["-x", "hi", "ws://h/"], Self.terminal, "pipe"),
            (["--format", "raw", "ws://h/"], Self.terminal, "pipe"),
            (["--format", "jsonl", "ws://h/"], Self.terminal, "pipe"),
            (["--echo", "ws://h/"], Self.terminal, "echo"),
            (["--echo", "ws://h/"], Self.pipe, "echo"),
            (["-l", "0"], Self.pipe, "server"),
            (["-l", "0"], Self.terminal, "interactive server"),
            (["-l", "0", "--echo"], Self.terminal, "server"),
            (["-l", "0", "--format", "jsonl"], Self.terminal, "server"),
            (["--count", "1", "ws://h/"], Self.terminal, "pipe"),
            (["-1", "ws://h/"], Self.terminal, "pipe"),
            (["--until", "x", "ws://h/"], Self.terminal, "pipe"),
            (["--max-time", "5", "ws://h/"], Self.terminal, "pipe"),
            (["--idle-timeout", "5", "ws://h/"], Self.terminal, "pipe"),
            (["-l", "0", "--max-time", "5"], Self.terminal, "server"),
        ]
        for (arguments, environment, expected) in cases {
            let plan = try PlanFixture.plan(arguments, environment: environment)
            XCTAssertEqual(PlanFixture.mode(of: plan), expected, "\(arguments)")
        }
    }

    func testClientConfiguration() throws {
        let plan = try PlanFixture.client([
            "-H", "X-A: 1", "-o", "o", "-s", "a", "-s", "b", "--auth", "u:p:q", "--connect-timeout", "2.5",
            "--close-timeout", "1", "--max-message-size", "1K", "-L", "--max-redirs", "3", "wss://h/p",
        ])
        let configuration = plan.configuration
        XCTAssertEqual(configuration.url.description, "wss://h/p")
        XCTAssertEqual(configuration.headers, [HeaderField(name: "X-A", value: "1")])
        XCTAssertEqual(configuration.origin, "o")
        XCTAssertEqual(configuration.subprotocols, ["a", "b"])
        XCTAssertEqual(configuration.basicAuth, BasicCredentials(user: "u", password: "p:q"))
        XCTAssertEqual(configuration.connectTimeout, .milliseconds(2500))
        XCTAssertEqual(
            configuration.session,
            SessionConfiguration(role: .client, maxMessageSize: 1024, closeTimeout: .seconds(1))
        )
        XCTAssertEqual(plan.redirectLimit, 3)
        XCTAssertNil(plan.tls, "no TLS option: the engine's defaults")
    }

    func testDefaultsComeFromTheEngine() throws {
        let client = try PlanFixture.client(["ws://h/"])
        XCTAssertEqual(client.configuration.session, SessionConfiguration(role: .client))
        XCTAssertEqual(client.configuration.connectTimeout, ClientConfiguration.defaultConnectTimeout)
        XCTAssertEqual(client.configuration.session.maxMessageSize, 64 << 20)
        XCTAssertNil(client.redirectLimit)
        let server = try PlanFixture.server(["-l", "0"])
        XCTAssertEqual(server.configuration.session, SessionConfiguration(role: .server))
        XCTAssertEqual(server.configuration.session.maxMessageSize, 16 << 20)
        XCTAssertEqual(server.configuration.handshakeTimeout, ClientConfiguration.defaultConnectTimeout)
        XCTAssertEqual(server.configuration.maxClients, ServerConfiguration.defaultMaxClients)
    }

    func testServerConfiguration() throws {
        let plan = try PlanFixture.server([
            "-l", "[::1]:0", "--echo", "-s", "chat", "--no-compression", "--max-message-size", "1K",
            "--close-timeout", "2", "--ping-interval", "0.5", "--max-clients", "7", "--connect-timeout", "3",
        ])
        XCTAssertEqual(plan.configuration.host, "::1")
        XCTAssertEqual(plan.configuration.port, 0)
        XCTAssertEqual(plan.configuration.subprotocols, ["chat"])
        XCTAssertEqual(
            plan.configuration.session,
            SessionConfiguration(
                role: .server,
                maxMessageSize: 1024,
                closeTimeout: .seconds(2),
                keepalive: Keepalive(interval: .milliseconds(500)),
                compression: false
            )
        )
        XCTAssertEqual(plan.configuration.maxClients, 7)
        XCTAssertEqual(plan.configuration.handshakeTimeout, .seconds(3))
        XCTAssertTrue(plan.options.echo)
    }

    func testKeepaliveAndCompression() throws {
        let client = try PlanFixture.client(["--ping-interval", "30", "--ping-timeout", "2.5", "ws://h/"])
        XCTAssertEqual(
            client.configuration.session.keepalive,
            Keepalive(interval: .seconds(30), timeout: .milliseconds(2500))
        )
        XCTAssertTrue(client.configuration.session.compression)
        XCTAssertFalse(try PlanFixture.client(["--no-compression", "ws://h/"]).configuration.session.compression)
    }

    func testFrontEndOptions() throws {
        let pipe = try XCTUnwrap(PlanFixture.pipeOptions(try PlanFixture.client(["-w", "-1", "-x", "hi", "ws://h/"])))
        XCTAssertNil(pipe.waitAfterInput)
        XCTAssertEqual(pipe.commandLineMessages, [.text("hi")])
        XCTAssertFalse(pipe.readsStandardInput)
        let files = try XCTUnwrap(
            PlanFixture.pipeOptions(try PlanFixture.client(["--send-file", "-", "--text", "ws://h/"]))
        )
        XCTAssertEqual(files.commandLineMessages, [.file("-")])
        XCTAssertTrue(files.filesAsText)
        XCTAssertFalse(files.readsStandardInput)
        XCTAssertFalse(files.showsProgress, "stderr is not a terminal")
        var stderrTerminal = Self.pipe
        stderrTerminal.stderrIsTerminal = true
        let progress = try PlanFixture.client(["--send-file", "-", "ws://h/"], environment: stderrTerminal)
        XCTAssertEqual(PlanFixture.pipeOptions(progress)?.showsProgress, true)
        let quiet = try PlanFixture.client(["-q", "--send-file", "-", "ws://h/"], environment: stderrTerminal)
        XCTAssertEqual(PlanFixture.pipeOptions(quiet)?.showsProgress, false, "-q shows no progress")
        let records = try PlanFixture.client(["-0", "ws://h/"], environment: Self.terminal)
        XCTAssertEqual(PlanFixture.pipeOptions(records)?.splitsAtNUL, true, "-0 reads stdin even from a terminal")
        let waiting = try XCTUnwrap(PlanFixture.pipeOptions(try PlanFixture.client(["-w", "0.25", "ws://h/"])))
        XCTAssertEqual(waiting.waitAfterInput, .milliseconds(250))
        XCTAssertTrue(waiting.readsStandardInput)
        for (name, format) in [("raw", OutputFormat.raw), ("jsonl", .jsonLines)] {
            let client = try PlanFixture.client(["--format", name, "ws://h/"], environment: Self.terminal)
            XCTAssertEqual(PlanFixture.pipeOptions(client)?.format, format)
            XCTAssertEqual(try PlanFixture.server(["-l", "0", "--format", name]).options.format, format)
        }
        let interactive = try PlanFixture.client(["--no-timestamps", "ws://h/"], environment: Self.terminal)
        guard case .interactive(let options) = interactive.frontEnd else {
            return XCTFail("a terminal on stdin is the REPL")
        }
        XCTAssertFalse(options.timestamps)
    }

    func testTLSSettingsAndContexts() throws {
        XCTAssertNil(try PlanFixture.client(["wss://h/"]).tlsContext(for: WebSocketURL(parsing: "wss://h/")))
        let plain = try PlanFixture.client(["--cacert", "/nonexistent/ca.pem", "ws://h/"])
        XCTAssertNil(try plain.tlsContext(for: WebSocketURL(parsing: "ws://h/")), "a ws:// URL reads no file")
        let missing = try PlanFixture.client(["--cacert", "/nonexistent/ca.pem", "wss://h/"])
        XCTAssertThrowsError(try missing.tlsContext(for: WebSocketURL(parsing: "wss://h/"))) { error in
            XCTAssertEqual((error as? WebSocketClientError)?.category, .tls)
        }
        let cases: [([String], WSTLS.TLSVersion, WSTLS.TLSVersion?)] = [
            (["-k"], .tls12, nil),
            (["--tlsv1.2"], .tls12, nil),
            (["--tlsv1.3"], .tls13, nil),
            (["--tls-max", "1.2"], .tls12, .tls12),
            (["--tlsv1.2", "--tls-max", "1.3"], .tls12, .tls13),
        ]
        for (arguments, minimum, maximum) in cases {
            let plan = try PlanFixture.client(arguments + ["wss://h/"])
            let context = try XCTUnwrap(try plan.tlsContext(for: WebSocketURL(parsing: "wss://h/")))
            XCTAssertEqual(context.configuration.minimumVersion, minimum, "\(arguments)")
            XCTAssertEqual(context.configuration.maximumVersion, maximum, "\(arguments)")
        }
    }

    func testScriptBounds() throws {
        let start = ContinuousClock.now
        let command = try XCTUnwrap(
            try RootCommand.parseAsRoot([
                "--once", "--until", "ok", "--idle-timeout", "2.5", "--max-time", "4", "--format", "jsonl", "--events",
                "--timestamps", "-P", "--ping-interval", "1", "ws://h/",
            ]) as? RootCommand
        )
        let plan = try command.plan(environment: Self.pipe, start: start)
        XCTAssertEqual(plan.deadline, start + .seconds(4))
        XCTAssertEqual(plan.maxTime, .seconds(4))
        guard case .client(let client) = plan.mode, let options = PlanFixture.pipeOptions(client) else {
            return XCTFail("a client in pipe mode")
        }
        XCTAssertEqual(options.end.messageLimit, 1)
        XCTAssertEqual(options.end.pattern?.source, "ok")
        XCTAssertEqual(options.end.idleTimeout, .milliseconds(2500))
        XCTAssertEqual(options.events?.timestamps, true)
        XCTAssertNotNil(client.events)
        XCTAssertTrue(options.showsPingPong)
        XCTAssertEqual(
            client.configuration.session.keepalive?.reportsPongs,
            true,
            "-P lets the keepalive's pongs through"
        )
        guard case .echo(let end) = try PlanFixture.client(["--echo", "--count", "3", "ws://h/"]).frontEnd else {
            return XCTFail("--echo")
        }
        XCTAssertEqual(end.messageLimit, 3)
        XCTAssertNil(try PlanFixture.plan(["ws://h/"]).deadline)
        XCTAssertEqual(
            try PlanFixture.client(["--ping-interval", "1", "ws://h/"]).configuration.session.keepalive?.reportsPongs,
            false
        )
    }

    func testWarningsArePlanned() throws {
        XCTAssertEqual(try PlanFixture.plan(["wss://h/"]).warnings, [])
        XCTAssertEqual(try PlanFixture.plan(["-k", "wss://h/"]).warnings.count, 1)
        XCTAssertEqual(try PlanFixture.plan(["--cert", "c.pem", "ws://h/"]).warnings.count, 1)
        XCTAssertEqual(try PlanFixture.plan(["-l", "0"]).warnings, [])
    }

    func testUsageErrorsFromResolution() {
        let cases: [[String]] = [
            ["ws://h:99999/"],
            ["gopher://h/"],
            ["-H", "bad", "ws://h/"],
            ["-H", "Upgrade: x", "ws://h/"],
            ["-H", "X-A: 1", "-H", "Host: a", "-H", "host: b", "ws://h/"],
            ["-H", "X-A: \u{1B}", "ws://h/"],
            ["--origin", "http://a\r\nEvil: 1", "ws://h/"],
            ["-s", "a b", "ws://h/"],
            ["-s", "a", "-s", "a", "ws://h/"],
            ["-s", "", "ws://h/"],
            ["--auth", "u\u{1}:p", "ws://h/"],
            ["--proxy", "gopher://p/", "ws://h/"],
            ["-l", "0", "-s", "a b"],
            ["--until", "(", "ws://h/"],
        ]
        for arguments in cases {
            XCTAssertThrowsError(try PlanFixture.plan(arguments), "\(arguments)") { error in
                XCTAssertTrue(error is ValidationError, "\(arguments): \(error)")
            }
        }
    }

    func testExitStatusOfEachOutcome() {
        XCTAssertEqual(ExitStatus(CloseReport(initiator: .remote, code: .normalClosure, reason: "")), .success)
        XCTAssertEqual(ExitStatus(CloseReport(initiator: .remote, code: .goingAway, reason: "")), .success)
        XCTAssertEqual(
            ExitStatus(CloseReport(initiator: .remote, code: .internalServerError, reason: "")),
            .abnormalClose
        )
        XCTAssertEqual(ExitStatus(CloseReport(initiator: .remote, code: .abnormalClosure, reason: "")), .abnormalClose)
        let violation = ProtocolViolation(closeCode: .protocolError, "x")
        XCTAssertEqual(
            ExitStatus(CloseReport(initiator: .local, code: .protocolError, reason: "", violation: violation)),
            .protocolError
        )
        XCTAssertEqual(ExitStatus(WebSocketClientError.Category.connectionFailed), .connectionFailed)
        XCTAssertEqual(ExitStatus(WebSocketClientError.Category.handshakeRejected), .handshakeRejected)
        XCTAssertEqual(ExitStatus(WebSocketClientError.Category.tls), .tlsFailed)
        XCTAssertEqual(Set(ExitStatus.allCases.map(\.rawValue)).count, ExitStatus.allCases.count)
    }
}

/// Plans from command lines, for the tests.
enum PlanFixture {
    static func plan(
        _ arguments: [String],
        environment: ProcessEnvironment = ProcessEnvironment(
            variables: [:],
            stdinIsTerminal: false,
            stdoutIsTerminal: false
        )
    ) throws -> RunPlan {
        guard let command = try RootCommand.parseAsRoot(arguments) as? RootCommand else {
            throw ValidationError("not wsc's command: \(arguments)")
        }
        return try command.plan(environment: environment)
    }

    static func client(
        _ arguments: [String],
        environment: ProcessEnvironment = ProcessEnvironment(
            variables: [:],
            stdinIsTerminal: false,
            stdoutIsTerminal: false
        )
    ) throws -> ClientPlan {
        guard case .client(let plan) = try self.plan(arguments, environment: environment).mode else {
            throw ValidationError("not a client: \(arguments)")
        }
        return plan
    }

    static func server(_ arguments: [String]) throws -> ServerPlan {
        guard case .server(let plan) = try self.plan(arguments).mode else {
            throw ValidationError("not a server: \(arguments)")
        }
        return plan
    }

    static func pipeOptions(_ plan: ClientPlan) -> PipeOptions? {
        guard case .pipe(let options) = plan.frontEnd else { return nil }
        return options
    }

    static func mode(of plan: RunPlan) -> String {
        switch plan.mode {
        case .client(let client):
            switch client.frontEnd {
            case .interactive: "interactive"
            case .pipe: "pipe"
            case .echo: "echo"
            }
        case .server(let server):
            server.interactive == nil ? "server" : "interactive server"
        }
    }
}
