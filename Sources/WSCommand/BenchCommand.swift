import ArgumentParser
import WSEngine

/// `wsc bench`: a load test of a WebSocket server, resolved into a ``BenchPlan`` and run by the ``Runner``.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load-test a WebSocket server: many connections, round-trip percentiles, rates.",
        discussion: """
            Opens the connections (-c), sends messages on each as fast as the server answers (--pipeline in \
            flight) or at a constant total --rate, and reports connections by outcome, the connect, TLS and \
            upgrade times, round-trip percentiles (p50, p90, p99, p99.9, max) and rates each way. Generated \
            messages carry a sequence number and their send time, which an echo server returns; with -m or \
            --message-file replies are matched in order, or by --match-json-field. With --rate a round trip \
            counts from when its message was due, so a slow server cannot hide its delays (no coordinated \
            omission). On a terminal a status line on stderr shows the progress; Ctrl-C stops sending and \
            reports what was measured.

            EXAMPLES:
              64 connections against an echo server for 30 s, 4 messages in flight on each:
                wsc bench -c 64 --pipeline 4 -d 30 ws://localhost:8080/echo
              A JSON-RPC server at 1,000 requests a second, matched by id:
                wsc bench -c 10 -r 1000 -m '{"jsonrpc":"2.0","id":0,"method":"ping"}' --match-json-field id ws://localhost:8080/rpc
              In CI: fail (exit 11) when p99 passes 50 ms or more than 5 errors happen:
                wsc bench -c 100 -d 20 --warmup 5 --max-p99 50 --max-errors 5 --format json wss://staging.example/ws

            EXIT CODES:
              0    every connection opened and closed normally, no message lost, thresholds met
              3, 4, 5  a connection failed (more than --max-errors allow, without it any): connect, HTTP status, TLS
              7    a connection was dropped or closed with an error code, or a message was lost
              11   a --max-p99 or --max-errors threshold was broken
              130  interrupted by a signal (the report is still written)
            """
    )

    @OptionGroup(title: "Load")
    var bench: BenchOptions

    @OptionGroup(title: "Connection")
    var connection: ConnectionOptions

    @OptionGroup(title: "TLS")
    var tls: TLSOptions

    /// The connection options that make no sense for a load test.
    func validate() throws {
        let unused = [
            ("-L", self.connection.followRedirects), ("--reconnect", self.connection.reconnect),
            ("--reconnect-max", self.connection.reconnectMax != nil),
        ]
        if let (name, _) = unused.first(where: { $0.1 }) {
            throw ValidationError("\(name) does not apply to wsc bench")
        }
    }

    func run() async throws {
        let plan = try self.plan(environment: ProcessEnvironment.current)
        try await Runner.execute(diagnostics: plan.diagnostics) { await BenchRunner(plan: plan, signals: $0).run() }
    }
}
