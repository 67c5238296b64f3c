import ArgumentParser
import WSEngine

/// `wsc`: parses the command line, resolves it into a ``RunPlan`` and hands that to the ``Runner``.
public struct RootCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wsc",
        abstract: "A WebSocket client (and, with --listen, server) for the terminal, pipelines and scripts.",
        usage: """
            wsc [<options>] [<url>]
              wsc bench [<options>] <url>
            """,
        discussion: """
            With a terminal on stdin, wsc opens an interactive session: type a line to send it; received \
            messages are printed with a timestamp. With stdin a pipe or a file, each line is sent as one \
            message and each received message is written to stdout.

            With --echo, wsc sends every received message back instead of reading stdin. With --listen, wsc \
            is the server: it prints what its clients send and sends stdin lines to all of them; Ctrl-C, \
            SIGTERM or SIGHUP closes them with 1001 and exits 0.

            SIGNALS: SIGINT closes with 1000, SIGTERM, SIGHUP and SIGQUIT with 1001; wsc waits for the answer \
            (at most --close-timeout), then exits 130. A second signal exits at once.

            EXAMPLES:
              Interactive session:
                wsc ws://localhost:8080/chat
              Send one line, print the replies, exit:
                echo '{"op":"ping"}' | wsc ws://localhost:8080/
              Send a message, close once the server is quiet for 2 s:
                wsc -x hello -w 2 ws://localhost:8080/
              Send a file as one binary message between two text ones; all of stdin as one text message:
                wsc -x start --send-file photo.jpg -x done ws://localhost:8080/
                jq -c . big.json | wsc --text --send-file - ws://localhost:8080/
              Each NUL-separated record one message (it may hold newlines):
                find incoming -type f -print0 | wsc -0 ws://localhost:8080/paths
              Headers and a subprotocol:
                wsc -H 'Authorization: Bearer TOKEN' -s chat.v1 ws://localhost:8080/
              Follow a feed until the server closes:
                wsc -w -1 ws://localhost:8080/feed | grep alert
              Follow a feed for good: ping it, connect again when it drops:
                wsc --reconnect --ping-interval 30 --ping-timeout 10 -w -1 ws://localhost:8080/feed
              Each received message as a line of JSON, for jq and other programs:
                wsc --format jsonl -w -1 ws://localhost:8080/feed | jq -r .data
              A health check: succeed when the reply says ok, fail after 5 s:
                wsc -x '{"op":"status"}' --until '"ok":true' --max-time 5 ws://localhost:8080/health
              The next message only; fail (10) when a feed goes silent for a minute:
                wsc --once ws://localhost:8080/feed
                wsc --idle-timeout 60 -w -1 ws://localhost:8080/feed
              The handshake, messages and close as JSON objects:
                wsc --format jsonl --events -x hi ws://localhost:8080/
              TLS with a private CA; without verification (testing only):
                wsc --cacert ca.pem wss://localhost:8443/
                wsc -k wss://localhost:8443/
              Over HTTP/2 (RFC 8441): with TLS, or cleartext h2c:
                wsc --http2 wss://example.com/chat
                wsc --http2-prior-knowledge ws://localhost:8080/chat
              Through an HTTP proxy (CONNECT), or a SOCKS5 one:
                wsc --proxy http://proxy.example:3128 wss://api.example.com/
                wsc --proxy socks5h://127.0.0.1:9050 wss://api.example.com/
              Through the environment's proxy (http_proxy, https_proxy, all_proxy), except for some hosts:
                https_proxy=http://proxy:3128 wsc --noproxy .internal wss://db.internal/
              Echo for a test suite (the Autobahn fuzzing server's cases):
                wsc --echo 'ws://localhost:9001/runCase?case=1&agent=wsc'
              Serve on port 8080 of 127.0.0.1; an echo server on every interface:
                wsc -l 8080
                wsc -l 0.0.0.0:8080 --echo
              Load-test a server with 64 connections for 30 s (see 'wsc bench --help'):
                wsc bench -c 64 -d 30 ws://localhost:8080/

            EXIT CODES:
              0    closed normally (1000 or 1001)
              1    I/O failure
              2    usage error (also an unreadable --send-file file)
              3    connection failed (DNS, refused, timeout, proxy), or --listen could not bind
              4    handshake rejected
              5    TLS failure (handshake, certificate, or a --cacert/--cert/--key file)
              6    protocol error by the server
              7    closed by the server with an error code, or dropped
              8    input error (a stdin line or a --text file that is not UTF-8)
              9    --max-time passed
              10   --idle-timeout passed
              130  interrupted by a signal (closed first)
            """,
        version: WSCVersion.current,
        subcommands: [BenchCommand.self]
    )

    @OptionGroup(title: "Connection")
    var target: TargetOptions

    @OptionGroup(title: "Connection")
    var connection: ConnectionOptions

    @OptionGroup(title: "Messages")
    var messages: MessageOptions

    @OptionGroup(title: "Output")
    var output: OutputOptions

    @OptionGroup(title: "TLS")
    var tls: TLSOptions

    @OptionGroup(title: "Modes")
    var modes: ModeOptions

    public init() {}

    /// Rules across option groups: a URL unless listening, and the options that make no sense together.
    public func validate() throws {
        let hasURL = self.target.text != nil
        guard self.modes.listen != nil else {
            if self.modes.maxClients != nil {
                throw ValidationError("--max-clients limits the clients of --listen; give --listen too")
            }
            if !hasURL {
                throw ValidationError("missing the server URL, for example: wsc ws://localhost:8080/")
            }
            if self.modes.echo && !self.messages.readsStandardInput {
                throw ValidationError(
                    "--echo sends back what it receives; it cannot be combined with -x or --send-file"
                )
            }
            if self.connection.reconnect && self.messages.sendFiles.contains(where: { $0.value == "-" }) {
                throw ValidationError("--send-file - reads stdin once, so it cannot be sent again by --reconnect")
            }
            if self.modes.echo && self.messages.until != nil {
                throw ValidationError("--echo prints no messages for --until to match; use --count or --idle-timeout")
            }
            try self.validateFormat()
            return
        }
        if hasURL {
            throw ValidationError("--listen accepts connections and takes no URL")
        }
        let clientOnly = [
            ("-x", !self.messages.execute.isEmpty), ("--send-file", !self.messages.sendFiles.isEmpty),
            ("-0", self.messages.null), ("-H", !self.connection.headers.isEmpty),
            ("--origin", self.connection.origin != nil), ("--auth", self.connection.auth != nil),
            ("--proxy", self.connection.proxy != nil),
            ("--noproxy", self.connection.noProxy != nil), ("-L", self.connection.followRedirects),
            ("--unix-socket", self.connection.unixSocket != nil), ("--http2", self.connection.http2),
            ("--http2-prior-knowledge", self.connection.http2PriorKnowledge),
            ("TLS options", self.tls.isUsed),
            ("--count", self.messages.messageLimit != nil), ("--until", self.messages.until != nil),
            ("--idle-timeout", self.messages.idleTimeout != nil), ("--events", self.output.events),
            ("-P", self.output.showPingPong), ("--reconnect", self.connection.reconnect),
        ]
        if let (name, _) = clientOnly.first(where: { $0.1 }) {
            throw ValidationError("\(name) applies to a client connection; it cannot be combined with --listen")
        }
        try self.validateFormat()
    }

    /// `--format` shapes printed messages, and `--echo` prints none.
    private func validateFormat() throws {
        if self.modes.echo && self.output.format != nil {
            throw ValidationError("--echo prints no messages, so --format cannot be combined with it")
        }
    }

    /// Resolves the plan (a value that cannot be used is a usage error), then runs it.
    public func run() async throws {
        let plan = try self.plan(environment: ProcessEnvironment.current)
        try await Runner.execute(diagnostics: plan.diagnostics) { await Runner(plan: plan, signals: $0).run() }
    }
}
