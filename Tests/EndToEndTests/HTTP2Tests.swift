import Foundation
import XCTest

/// WebSockets over HTTP/2 (RFC 8441: `--http2`, `--http2-prior-knowledge`) against real servers: nghttpx and
/// Apache httpd (mod_http2 with `H2WebSockets on`) in front of the Python `websockets` server, started by
/// `Peers/proxy.py` with TLS (ALPN h2) and without (h2c); and `Peers/h2_server.py`, which refuses extended
/// CONNECT or breaks the stream. The same server answers HTTP/1.1 upgrades, so every session is compared with
/// the same one over HTTP/1.1.
final class HTTP2Tests: TLSTestCase {
    private enum Front: String, CaseIterable {
        case nghttpx
        case apache2
    }

    /// A reverse proxy that speaks HTTP/2 in front of `backend`, with TLS when `tls`.
    private func startFront(
        _ front: Front,
        backend: PeerServer,
        tls: Bool,
        extra: [String] = []
    ) throws -> PeerServer {
        let tlsArguments = tls ? try self.servingArguments() : []
        return try self.startPeer("proxy.py", [front.rawValue, "--backend", "\(backend.port)"] + tlsArguments + extra)
    }

    /// The arguments that reach `front` over HTTP/2: the flag, the CA for TLS, and its URL.
    private func http2Arguments(_ front: PeerServer, tls: Bool, path: String = "/") throws -> [String] {
        tls
            ? ["--http2", "--cacert", try self.certificates.caFile, "wss://localhost:\(front.port)\(path)"]
            : ["--http2-prior-knowledge", "ws://127.0.0.1:\(front.port)\(path)"]
    }

    /// The same without the HTTP/2 flag: an HTTP/1.1 upgrade through the same front.
    private func http1Arguments(_ front: PeerServer, tls: Bool) throws -> [String] {
        try self.http2Arguments(front, tls: tls).filter { !$0.hasPrefix("--http2") }
    }

    private func startH2Server(_ mode: String, _ arguments: [String] = []) throws -> PeerServer {
        try self.startPeer("h2_server.py", ["--mode", mode] + arguments)
    }

    /// Through nghttpx: fragments, a ping and a binary message. (Apache's mod_http2 2.0.42 sometimes holds the
    /// backend's first frames until more follow, which makes the server's ping time out; it gets the echoes.)
    func testFragmentsPingsAndBinaryGiveTheSameTranscriptAsHTTP1() throws {
        let backend = try self.startServer("fragments", ["--compression"])
        for tls in [false, true] {
            let server = try self.startFront(.nghttpx, backend: backend, tls: tls)
            let options = ["--format", "jsonl", "-P", "-w", "-1", "--count", "4"]
            let overHTTP2 = try WSCProcess.run(options + (try self.http2Arguments(server, tls: tls)))
            let overHTTP1 = try WSCProcess.run(options + (try self.http1Arguments(server, tls: tls)))
            XCTAssertEqual(overHTTP2.status, 0, overHTTP2.stderr)
            XCTAssertEqual(overHTTP2.output, overHTTP1.output)
            XCTAssertEqual(overHTTP2.stderr, overHTTP1.stderr)
            XCTAssertTrue(overHTTP2.output.contains(#"{"type":"text","data":"fragmented"}"#), overHTTP2.output)
            XCTAssertTrue(overHTTP2.output.contains(#"{"type":"text","data":"pong received"}"#), overHTTP2.output)
            XCTAssertTrue(overHTTP2.stderr.contains(#"wsc: ping "are you there""#), overHTTP2.stderr)
            server.stop()
        }
    }

    func testEchoesGiveTheSameTranscriptAsHTTP1ThroughEitherServer() throws {
        let backend = try self.startServer("echo", ["--compression"])
        let input = Data("text\n{\"json\": true}\nlast line\n".utf8)
        for front in Front.allCases {
            for tls in [false, true] {
                let server = try self.startFront(front, backend: backend, tls: tls)
                let options = ["--format", "jsonl", "-w", "-1", "--count", "3"]
                let overHTTP2 = try WSCProcess.run(options + (try self.http2Arguments(server, tls: tls)), input: input)
                let overHTTP1 = try WSCProcess.run(options + (try self.http1Arguments(server, tls: tls)), input: input)
                let what = "\(front) \(tls ? "h2" : "h2c")"
                XCTAssertEqual(overHTTP2.status, 0, "\(what): \(overHTTP2.stderr)")
                XCTAssertEqual(overHTTP2.output, overHTTP1.output, what)
                XCTAssertEqual(overHTTP2.stderr, overHTTP1.stderr, what)
                XCTAssertEqual(overHTTP2.output.split(separator: "\n").count, 3, "\(what): \(overHTTP2.output)")
                server.stop()
            }
        }
    }

    func testSixteenMebibyteMessagesComeBackWholeWithAndWithoutCompression() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wsc-h2-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let message = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom")).readData(ofLength: 16 << 20)
        try message.write(to: file)
        for compression in [true, false] {
            let backend = try self.startServer("echo", compression ? ["--compression"] : [])
            for front in Front.allCases {
                let server = try self.startFront(front, backend: backend, tls: true)
                let result = try WSCProcess.run(
                    ["--send-file", file.path] + (try self.http2Arguments(server, tls: true))
                )
                XCTAssertEqual(result.status, 0, "\(front), compression \(compression): \(result.stderr)")
                XCTAssertEqual(result.stdout.count, message.count, "\(front), compression \(compression)")
                XCTAssertTrue(result.stdout == message, "\(front), compression \(compression)")
                server.stop()
            }
        }
    }

    func testVerboseShowsTheSettingsAndTheExtendedConnectAndEventsNameTheProtocol() throws {
        let backend = try self.startServer("echo", ["--compression", "--subprotocol", "chat"])
        let server = try self.startFront(.nghttpx, backend: backend, tls: true)
        let arguments = ["-s", "chat", "-H", "X-Trace: 7", "--origin", "https://app.example", "--auth", "ann:pw"]
        let verbose = try WSCProcess.run(["-v", "-x", "hi"] + arguments + (try self.http2Arguments(server, tls: true)))
        XCTAssertEqual(verbose.status, 0, verbose.stderr)
        for line in [
            "* ALPN: server accepted h2", "SETTINGS_ENABLE_CONNECT_PROTOCOL = 1", "> CONNECT / HTTP/2",
            "> :method: CONNECT", "> :protocol: websocket", "> :scheme: https", "> :path: /",
            "> :authority: localhost:\(server.port)", "> sec-websocket-version: 13", "> sec-websocket-protocol: chat",
            "> x-trace: 7", "> origin: https://app.example", "> authorization: Basic [redacted]", "< HTTP/2 200",
            "< sec-websocket-protocol: chat", "* compression: permessage-deflate",
        ] {
            XCTAssertTrue(verbose.stderr.contains(line), "'\(line)' not in: \(verbose.stderr)")
        }
        let events = try WSCProcess.run(
            ["--format", "jsonl", "--events", "-s", "chat", "-x", "hi"] + (try self.http2Arguments(server, tls: true))
        )
        XCTAssertEqual(events.status, 0, events.stderr)
        XCTAssertTrue(events.output.hasPrefix(#"{"type":"open","url":"wss://localhost:"#), events.output)
        XCTAssertTrue(events.output.contains(#""http":"HTTP/2","status":200,"#), events.output)
        let overHTTP1 = try WSCProcess.run(
            ["--format", "jsonl", "--events", "-s", "chat", "-x", "hi"] + (try self.http1Arguments(server, tls: true))
        )
        XCTAssertTrue(overHTTP1.output.contains(#""http":"HTTP/1.1","status":101,"#), overHTTP1.output)
    }

    func testEitherSideClosesCleanly() throws {
        let echo = try self.startServer()
        let closer = try self.startServer("close", ["--code", "1000", "--reason", "bye"])
        for tls in [false, true] {
            let toEcho = try self.startFront(.nghttpx, backend: echo, tls: tls)
            let ours = try WSCProcess.run(["-x", "hi"] + (try self.http2Arguments(toEcho, tls: tls)))
            XCTAssertEqual(ours.status, 0, ours.stderr)
            XCTAssertEqual(ours.output, "hi\n")
            XCTAssertEqual(ours.stderr, "wsc: closed: 1000 (normal closure)\n")
            let toCloser = try self.startFront(.nghttpx, backend: closer, tls: tls)
            let theirs = try WSCProcess.run(["-w", "-1"] + (try self.http2Arguments(toCloser, tls: tls)))
            let overHTTP1 = try WSCProcess.run(["-w", "-1"] + (try self.http1Arguments(toCloser, tls: tls)))
            XCTAssertEqual(theirs.status, 0, theirs.stderr)
            XCTAssertEqual(theirs.stderr, overHTTP1.stderr)
        }
    }

    func testAServerWithoutTheSettingRefusesTheHandshake() throws {
        let server = try self.startH2Server("no-setting")
        let result = try WSCProcess.run(["--http2-prior-knowledge", "-x", "hi", server.url()])
        XCTAssertEqual(result.status, 4, result.stderr)
        self.assertOneErrorLine(result, contains: "do not include SETTINGS_ENABLE_CONNECT_PROTOCOL = 1")
        XCTAssertEqual(server.output.filter { $0.hasPrefix("CONNECT") }, [], "no CONNECT was sent")
    }

    func testARefusalIsAHandshakeFailureWithItsStatus() throws {
        let server = try self.startH2Server("refuse", ["--status", "403"])
        let result = try WSCProcess.run(["--http2-prior-knowledge", "-x", "hi", server.url("/private?x=1")])
        XCTAssertEqual(result.status, 4, result.stderr)
        self.assertOneErrorLine(result, contains: "server refused the upgrade: HTTP/2 403")
        try server.waitForLine(prefix: "CONNECT websocket /private?x=1 127.0.0.1:\(server.port)")
    }

    func testAResetMidMessageIsADropNamingTheCode() throws {
        let server = try self.startH2Server("reset", ["--code", "2"])
        let result = try WSCProcess.run(["--http2-prior-knowledge", "-w", "-1", server.url()])
        XCTAssertEqual(result.status, 7, result.stderr)
        XCTAssertEqual(result.output, "", "the three bytes of the message are not a message")
        self.assertOneErrorLine(result, contains: "1006 (abnormal closure); server reset the HTTP/2 stream: RST_STREAM")
        XCTAssertTrue(result.stderr.contains("INTERNAL_ERROR (0x2)"), result.stderr)
    }

    func testAGoAwayAfterAMessageIsADropNamingTheCode() throws {
        let server = try self.startH2Server("goaway", ["--code", "11"])
        let result = try WSCProcess.run(["--http2-prior-knowledge", "-w", "-1", server.url()])
        XCTAssertEqual(result.status, 7, result.stderr)
        XCTAssertEqual(result.output, "bye\n")
        self.assertOneErrorLine(result, contains: "GOAWAY ENHANCE_YOUR_CALM (0xb)")
    }

    func testAServerThatDoesNotSpeakHTTP2IsAHandshakeFailure() throws {
        let tlsServer = try self.startServer("echo", try self.servingArguments())
        let alpn = try WSCProcess.run(
            ["--http2", "--cacert", try self.certificates.caFile, "-x", "hi", "wss://localhost:\(tlsServer.port)/"]
        )
        XCTAssertEqual(alpn.status, 4, alpn.stderr)
        self.assertOneErrorLine(alpn, contains: "(ALPN selected no protocol, not h2)")
        let http1 = try self.startServer()
        let cleartext = try WSCProcess.run(["--http2-prior-knowledge", "-x", "hi", http1.url()])
        XCTAssertEqual(cleartext.status, 4, cleartext.stderr)
        self.assertOneErrorLine(cleartext, contains: "before sending its HTTP/2 SETTINGS")
    }

    func testThroughAProxyTunnelAndOverAUnixSocket() throws {
        let backend = try self.startServer()
        let socketFolder = URL(fileURLWithPath: "/tmp/wsc-h2-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: socketFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: socketFolder) }
        let socket = socketFolder.appendingPathComponent("h2.sock").path
        let server = try self.startFront(.nghttpx, backend: backend, tls: true, extra: ["--unix", socket])
        let proxy = try self.startPeer("proxy.py", ["tinyproxy"])
        let tunnelled = try WSCProcess.run(
            ["--proxy", "http://127.0.0.1:\(proxy.port)", "-x", "through the tunnel"]
                + (try self.http2Arguments(server, tls: true))
        )
        XCTAssertEqual(tunnelled.status, 0, tunnelled.stderr)
        XCTAssertEqual(tunnelled.output, "through the tunnel\n")
        let overSocket = try WSCProcess.run(
            ["--unix-socket", socket, "-x", "over the socket"] + (try self.http2Arguments(server, tls: true))
        )
        XCTAssertEqual(overSocket.status, 0, overSocket.stderr)
        XCTAssertEqual(overSocket.output, "over the socket\n")
    }

    func testUsageErrors() throws {
        for (arguments, message) in [
            (["--http2", "ws://h/"], "for ws:// (h2c, without TLS) use --http2-prior-knowledge"),
            (["--http2-prior-knowledge", "wss://h/"], "for wss:// use --http2"),
            (["--http2", "--http2-prior-knowledge", "wss://h/"], "give one"),
            (["--http2", "-L", "wss://h/"], "-L does not apply over HTTP/2"),
            (["--http2-prior-knowledge", "--listen", "0"], "--http2-prior-knowledge applies to a client connection"),
            (["--http2-prior-knowledge", "-H", "Keep-Alive: 5", "ws://h/"], "HTTP/2 request malformed"),
        ] {
            let result = try WSCProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
