import Foundation
import XCTest

/// `wsc --listen` as a server: Python `websockets` and raw clients against it, and wsc against wsc.
final class ListenTests: EndToEndTestCase {
    func testEchoServerWithCompressionForPythonClients() throws {
        let listener = try self.startListener(["--echo"])
        let (lines, status) = try self.runPeerClient(
            "ws_client.py",
            [
                listener.url, "--text", "hello ✓", "--text", String(repeating: "compressible ", count: 5000),
                "--binary", "3", "--binary", "\(2 << 20)",
            ]
        )
        XCTAssertEqual(status, 0, "\(lines)")
        XCTAssertEqual(lines, ["SUBPROTOCOL -", "EXTENSIONS permessage-deflate", "ECHO OK 4"])
        try listener.waitForStatus("connected (compressed)")
        try listener.waitForStatus("client closed the connection: 1000 (normal closure)")
        XCTAssertEqual(listener.stop().status, 0)
    }

    func testEchoServerWithoutCompression() throws {
        for (serverArguments, clientArguments) in [(["--no-compression"], [String]()), ([], ["--no-compression"])] {
            let listener = try self.startListener(["--echo"] + serverArguments)
            let (lines, status) = try self.runPeerClient(
                "ws_client.py",
                [listener.url, "--text", String(repeating: "plain ", count: 100), "--binary", "100000"]
                    + clientArguments
            )
            XCTAssertEqual(status, 0, "\(lines)")
            XCTAssertEqual(lines, ["SUBPROTOCOL -", "EXTENSIONS -", "ECHO OK 2"], "\(serverArguments)")
            XCTAssertEqual(listener.stop().status, 0)
        }
    }

    func testSubprotocolIsTheFirstTheClientListsThatWeSpeak() throws {
        let listener = try self.startListener(["--echo", "-s", "b", "-s", "c"])
        let (lines, _) = try self.runPeerClient(
            "ws_client.py",
            [listener.url, "--subprotocol", "a", "--subprotocol", "c", "--subprotocol", "b", "--text", "x"]
        )
        XCTAssertEqual(lines.first, "SUBPROTOCOL c")
        try listener.waitForStatus("connected (subprotocol c, compressed)")
        let (none, _) = try self.runPeerClient("ws_client.py", [listener.url, "--subprotocol", "z", "--text", "x"])
        XCTAssertEqual(none.first, "SUBPROTOCOL -", "no protocol in common: none selected")
    }

    func testUnmaskedClientFrameIsAProtocolError() throws {
        let listener = try self.startListener(["--echo"])
        let (lines, _) = try self.runPeerClient("raw_client.py", ["\(listener.port)", "--send", "81026869"])
        XCTAssertEqual(lines, ["HTTP/1.1 101 Switching Protocols", "CLOSE 1002"])
        try listener.waitForStatus(
            "protocol error: client sent an unmasked frame; wsc closed the connection with 1002 (protocol error)"
        )
        XCTAssertEqual(listener.stop().status, 0, "a bad client ends its own session, not the server")
    }

    func testPlainHTTPRequestGets426() throws {
        let listener = try self.startListener([])
        let (lines, _) = try self.runPeerClient("raw_client.py", ["\(listener.port)", "--plain-http"])
        XCTAssertEqual(lines, ["HTTP/1.1 426 Upgrade Required"])
        try listener.waitForStatus("not a WebSocket upgrade request")
    }

    func testWscClientAgainstWscListenPipingBothWays() throws {
        let listener = try self.startListener(
            ["--timestamps"],
            input: Data("from the server 1\nfrom the server 2\n".utf8)
        )
        let client = try WSCProcess.run(
            [listener.url],
            input: Data("from the client 1\nfrom the client 2\n".utf8),
            inputKind: .pipe
        )
        XCTAssertEqual(client.status, 0, client.stderr)
        XCTAssertEqual(client.output, "from the server 1\nfrom the server 2\n")
        try listener.waitForStatus("client closed the connection: 1000 (normal closure)")
        let server = listener.stop()
        XCTAssertEqual(server.status, 0, server.stderr)
        let printed = server.output.split(separator: "\n")
        XCTAssertEqual(printed.count, 2, server.output)
        for (line, expected) in zip(printed, ["from the client 1", "from the client 2"]) {
            XCTAssertNotNil(line.wholeMatch(of: /\d\d:\d\d:\d\d\.\d{3} (.*)/), String(line))
            XCTAssertTrue(line.hasSuffix(" " + expected), String(line))
        }
    }

    func testStdinLineThatIsNotUTF8StopsTheServerWithExit8() throws {
        var input = Data("good line\n".utf8)
        input.append(contentsOf: [0xFF, 0xFE, 0x0A])
        let listener = try self.startListener([], input: input)
        let client = try WSCProcess.run(["-w", "-1", listener.url])
        XCTAssertEqual(client.output, "good line\n")
        XCTAssertEqual(client.status, 0, "the server closed with 1001: \(client.stderr)")
        let server = listener.waitForExit()
        XCTAssertEqual(server.status, 8)
        XCTAssertTrue(
            server.stderr.contains("wsc: error: stdin line 2 is not valid UTF-8; use --binary"),
            server.stderr
        )
    }

    func testClientsThatNeverSendTheirRequestAreDroppedAndDoNotHoldTheServer() throws {
        let listener = try self.startListener(["--connect-timeout", "0.5"])
        let (lines, _) = try self.runPeerClient("raw_client.py", ["\(listener.port)", "--silent"])
        XCTAssertEqual(lines, ["CONNECTED", "EOF"], "dropped after --connect-timeout")
        try listener.waitForStatus("sent no complete upgrade request within 0.5 s")

        let patient = try self.startListener([])
        let client = Process()
        client.executableURL = TestPaths.python
        client.arguments = [TestPaths.peer("raw_client.py").path, "\(patient.port)", "--silent"]
        let output = Pipe()
        client.standardOutput = output
        try client.run()
        defer { _ = WSCProcess.wait(for: client, timeout: 0) }
        var connected = Data()
        while connected.count < 9 {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            connected += chunk
        }
        XCTAssertTrue(connected.starts(with: Data("CONNECTED".utf8)), "the silent client connected")
        // The silent client's handshake timeout is the default 30 s; stop() allows 20 s before it reports -1.
        let result = patient.stop()
        XCTAssertEqual(result.status, 0, "a signal does not wait for silent clients: \(result.stderr)")
    }

    func testAddressInUseExits3() throws {
        let first = try self.startListener([])
        let second = try WSCProcess.run(["--listen", "127.0.0.1:\(first.port)"])
        XCTAssertEqual(second.status, 3)
        self.assertOneErrorLine(second, contains: "could not listen on 127.0.0.1:\(first.port): Address already in use")
    }

    func testUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--listen", "8080", "ws://host/"], "--listen accepts connections and takes no URL"),
            (["--listen", "no port"], "--listen"),
            (["--listen", "70000"], "--listen"),
            (["--listen", "8080", "-x", "hi"], "-x applies to a client connection"),
            (["--listen", "8080", "-H", "A: b"], "-H applies to a client connection"),
            (["--echo", "-x", "hi", "ws://host/"], "--echo sends back what it receives"),
        ]
        for (arguments, fragment) in cases {
            let result = try WSCProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            self.assertOneErrorLine(result, contains: fragment)
        }
    }
}
