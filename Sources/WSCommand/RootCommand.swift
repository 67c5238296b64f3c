import ArgumentParser
import WSEngine

/// `wsc`: parses the command line and hands a resolved configuration to the ``Runner``.
public struct RootCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wsc",
        abstract: "A WebSocket client for the terminal, pipelines and scripts.",
        discussion: """
            With a terminal on stdin, wsc opens an interactive session: type a line to send it; received \
            messages are printed with a timestamp. With stdin a pipe or a file, each line is sent as one \
            message and each received message is written to stdout.

            EXAMPLES:
              Interactive session:
                wsc ws://localhost:8080/chat
              Send one line, print the replies, exit:
                echo '{"op":"ping"}' | wsc ws://localhost:8080/
              Send a message, close once the server is quiet for 2 s:
                wsc -x hello -w 2 ws://localhost:8080/
              Headers and a subprotocol:
                wsc -H 'Authorization: Bearer TOKEN' -s chat.v1 ws://localhost:8080/
              Follow a feed until the server closes:
                wsc -w -1 ws://localhost:8080/feed | grep alert
              TLS with a private CA; without verification (testing only):
                wsc --cacert ca.pem wss://localhost:8443/
                wsc -k wss://localhost:8443/

            EXIT CODES:
              0    closed normally (1000 or 1001)
              1    I/O failure
              2    usage error
              3    connection failed (DNS, refused, timeout)
              4    handshake rejected
              5    TLS failure (handshake, certificate, or a --cacert/--cert/--key file)
              6    protocol error by the server
              7    closed by the server with an error code, or dropped
              8    input error (a stdin line that is not UTF-8)
              130  interrupted (SIGINT, SIGTERM)
            """,
        version: WSCVersion.current
    )

    @OptionGroup(title: "Connection")
    var connection: ConnectionOptions

    @OptionGroup(title: "Messages")
    var messages: MessageOptions

    @OptionGroup(title: "Output")
    var output: OutputOptions

    @OptionGroup(title: "TLS")
    var tls: TLSOptions

    public init() {}

    public func run() async throws {
        let runner = try Runner(options: self, environment: ProcessEnvironment.current)
        let status = await runner.run()
        if status != .success {
            throw ExitCode(status.rawValue)
        }
    }
}
