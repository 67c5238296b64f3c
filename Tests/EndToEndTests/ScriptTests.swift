import Foundation
import XCTest

/// Runs that know when they are done, as scripts use them: `--count`, `--once`, `--until`, `--max-time`,
/// `--idle-timeout`, and the JSON events of `--format jsonl --events`, against real servers: one that keeps
/// sending (`ticker`), one that never sends (`sink`), one that answers the upgrade late (`slow-accept`).
final class ScriptTests: EndToEndTestCase {
    private func ticker(every seconds: String = "0.05") throws -> PeerServer {
        try self.startServer("ticker", ["--delay", seconds])
    }

    func testCountAndOnceStopAfterThatManyMessages() throws {
        let server = try self.ticker()
        let counted = try WSCProcess.run(["--count", "3", "-w", "-1", server.url()])
        XCTAssertEqual(counted.status, 0, counted.stderr)
        XCTAssertEqual(counted.output, "#1\n#2\n#3\n", "nothing after the third")
        XCTAssertEqual(counted.stderr, "wsc: closed: 1000 (normal closure)\n")
        try server.waitForLine(prefix: "CLOSE 1000")
        for once in ["-1", "--once"] {
            let result = try WSCProcess.run([once, "-w", "-1", server.url()])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.output, "#1\n", once)
        }
    }

    func testUntilStopsAtTheFirstMatchingTextMessage() throws {
        let server = try self.ticker()
        let result = try WSCProcess.run(["--until", "^#[3-9]$", "-w", "-1", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "#1\n#2\n#3\n", "printed as usual, the match included")
        try server.waitForLine(prefix: "CLOSE 1000")
    }

    func testABinaryMessageNeverMatches() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run(["--binary", "-x", "ax", "-x", "bx", "--until", "x", "-w", "0.5", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.output, "axbx", "both echoes printed: neither ended the session")
    }

    func testCountAndUntilWhicheverComesFirst() throws {
        let server = try self.ticker()
        let result = try WSCProcess.run(["--count", "2", "--until", "^#5$", "-w", "-1", server.url()])
        XCTAssertEqual(result.output, "#1\n#2\n")
        XCTAssertEqual(result.status, 0)
    }

    func testWaitAfterInputStillEndsTheSession() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run([
            "-x", "hi", "--count", "100", "--idle-timeout", "60", "-w", "0.2", server.url(),
        ])
        XCTAssertEqual(result.status, 0, "-w was met first: a normal end")
        XCTAssertEqual(result.output, "hi\n")
    }

    func testMaxTimeDuringTheSession() throws {
        let server = try self.ticker()
        let result = try WSCProcess.run(["--max-time", "0.5", "-w", "-1", server.url()])
        XCTAssertEqual(result.status, 9)
        self.assertOneErrorLine(result, contains: "--max-time (0.5 seconds) passed; closed: 1000 (normal closure)")
        XCTAssertTrue(result.output.hasPrefix("#1\n"), result.output)
        try server.waitForLine(prefix: "CLOSE 1000")
    }

    func testMaxTimeSpansTheHandshake() throws {
        let server = try self.startServer("slow-accept", ["--delay", "30"])
        let result = try WSCProcess.run(["--max-time", "0.5", server.url()])
        XCTAssertEqual(result.status, 9)
        self.assertOneErrorLine(result, contains: "--max-time (0.5 seconds) passed while connecting to 127.0.0.1:")
        XCTAssertEqual(result.output, "")
    }

    func testMaxTimeBeatsAnUntilThatNeverMatches() throws {
        let server = try self.ticker()
        let late = try WSCProcess.run(["--until", "never", "--max-time", "0.5", "-w", "-1", server.url()])
        XCTAssertEqual(late.status, 9)
        let met = try WSCProcess.run(["--until", "^#2$", "--max-time", "30", "-w", "-1", server.url()])
        XCTAssertEqual(met.status, 0)
        XCTAssertEqual(met.output, "#1\n#2\n")
    }

    func testIdleTimeoutEndsASilentSessionWithItsOwnCode() throws {
        let server = try self.startServer("sink")
        // The server answers every ping: pongs are not messages, so they do not keep the session alive.
        let result = try WSCProcess.run(
            ["--idle-timeout", "0.5", "--ping-interval", "0.05", "-w", "-1", server.url()]
        )
        XCTAssertEqual(result.status, 10)
        self.assertOneErrorLine(result, contains: "no message received for 0.5 seconds (--idle-timeout)")
    }

    func testEchoStopsAfterCount() throws {
        let server = try self.ticker()
        let result = try WSCProcess.run(["--echo", "--count", "2", server.url()])
        XCTAssertEqual(result.status, 0, result.stderr)
        try server.waitForLine(prefix: "CLOSE 1000")
        // The ticker echoes what it receives, so the second message may be its echo of the first: two either way.
        XCTAssertEqual(server.output.filter { $0.hasPrefix("RECEIVED ") }.count, 2, "\(server.output)")
    }

    func testListenStopsAtMaxTimeAndRefusesTheClientConditions() throws {
        let result = try WSCProcess.run(["-l", "127.0.0.1:0", "--max-time", "0.3"])
        XCTAssertEqual(result.status, 9)
        XCTAssertTrue(result.stderr.contains("wsc: error: --max-time (0.3 seconds) passed"), result.stderr)
        for option in [["--count", "1"], ["--once"], ["--until", "x"], ["--idle-timeout", "1"], ["-P"]] {
            let refused = try WSCProcess.run(["-l", "0"] + option)
            XCTAssertEqual(refused.status, 2, "\(option)")
            self.assertOneErrorLine(refused, contains: "cannot be combined with --listen")
        }
    }

    func testUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--count", "0"], "--count takes 1 to"),
            (["--once", "--count", "2"], "--once is --count 1"),
            (["--until", "("], "--until takes a POSIX extended regular expression"),
            (["--events"], "--events adds objects to the JSON Lines output"),
            (["--echo", "--until", "x"], "--echo prints no messages"),
            (["--max-time", "0"], "--max-time takes"),
            (["--idle-timeout", "-1"], "--idle-timeout takes"),
        ]
        for (arguments, fragment) in cases {
            let result = try WSCProcess.run(arguments + ["ws://127.0.0.1:1/"])
            XCTAssertEqual(result.status, 2, "\(arguments)")
            self.assertOneErrorLine(result, contains: fragment)
        }
    }

    // MARK: - JSON events

    private func objects(_ result: WSCResult) throws -> [[String: Any]] {
        try result.output.split(separator: "\n").map { line in
            try XCTUnwrap(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                "not a JSON object: \(line)"
            )
        }
    }

    func testEventsCarryTheHandshakeMessagesPongsAndTheClose() throws {
        let server = try self.startServer("echo", ["--compression"])
        let result = try WSCProcess.run([
            "--format", "jsonl", "--events", "--timestamps", "-P", "--ping-interval", "0.05", "-x", "hi", "-w", "1",
            server.url("/path"),
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let objects = try self.objects(result)
        XCTAssertTrue(objects.allSatisfy { ($0["time"] as? String)?.hasSuffix("Z") == true }, "\(objects)")
        let open = try XCTUnwrap(objects.first)
        XCTAssertEqual(open["type"] as? String, "open")
        XCTAssertEqual(open["url"] as? String, server.url("/path"))
        XCTAssertEqual(open["status"] as? Int, 101)
        XCTAssertTrue(open["subprotocol"] is NSNull)
        XCTAssertEqual(open["extensions"] as? String, "permessage-deflate")
        let headers = try XCTUnwrap(open["headers"] as? [String: String])
        XCTAssertEqual(headers["Upgrade"], "websocket")
        let message = try XCTUnwrap(objects.first { $0["type"] as? String == "text" })
        XCTAssertEqual(message["data"] as? String, "hi")
        // Twenty pings in the second of -w: the answers are there, each with its round trip.
        let pongs = objects.filter { $0["type"] as? String == "pong" }
        XCTAssertFalse(pongs.isEmpty, "\(objects)")
        for pong in pongs {
            XCTAssertTrue((pong["data"] as? String)?.hasPrefix("wsc keepalive ") == true, "\(pong)")
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(pong["rtt_ms"] as? Double), 0)
        }
        let close = try XCTUnwrap(objects.last)
        XCTAssertEqual(close["type"] as? String, "close")
        XCTAssertEqual(close["code"] as? Int, 1000)
        XCTAssertEqual(close["reason"] as? String, "")
        XCTAssertEqual(close["by"] as? String, "client")
        XCTAssertEqual(close["clean"] as? Bool, true)
    }

    func testEveryFailureIsAlsoAnErrorEvent() throws {
        let refused = try WSCProcess.run(["--format", "jsonl", "--events", "ws://127.0.0.1:\(try ClosedPort.find())/"])
        XCTAssertEqual(refused.status, 3)
        let objects = try self.objects(refused)
        XCTAssertEqual(objects.count, 1)
        XCTAssertEqual(objects.first?["type"] as? String, "error")
        XCTAssertEqual(objects.first?["exit"] as? Int, 3)
        XCTAssertEqual(
            "wsc: error: \(try XCTUnwrap(objects.first?["message"] as? String))\n",
            refused.stderr,
            "the same words as the error line"
        )

        let server = try self.startServer("close", ["--code", "4001", "--reason", "bye"])
        let closed = try WSCProcess.run(["--format", "jsonl", "--events", "-w", "-1", server.url()])
        XCTAssertEqual(closed.status, 7)
        let types = try self.objects(closed).map { $0["type"] as? String }
        XCTAssertEqual(types, ["open", "close", "error"])
        let close = try XCTUnwrap(try self.objects(closed).dropLast().last)
        XCTAssertEqual(close["code"] as? Int, 4001)
        XCTAssertEqual(close["reason"] as? String, "bye")
        XCTAssertEqual(close["by"] as? String, "server")
        XCTAssertEqual(close["clean"] as? Bool, false)
        XCTAssertEqual(try self.objects(closed).last?["exit"] as? Int, 7)
    }

    func testWithoutEventsTheStreamHoldsOnlyMessages() throws {
        let server = try self.startServer()
        let result = try WSCProcess.run([
            "--format", "jsonl", "-P", "--ping-interval", "0.05", "-x", "hi", "-w", "0.5", server.url(),
        ])
        XCTAssertEqual(try self.objects(result).map { $0["type"] as? String }, ["text"])
        XCTAssertTrue(
            result.errorLines.contains { $0.hasPrefix("wsc: pong \"wsc keepalive ") && $0.hasSuffix(" ms") },
            "-P without --events reports on stderr: \(result.stderr)"
        )
    }

    /// A health check as a shell script writes it: the exit status and a JSON parser read the result.
    func testAHealthCheckInAShellScript() throws {
        let server = try self.startServer()
        let script = """
            "$WSC" -x '{"ok":true}' --until '"ok":true' --max-time 5 "$URL" > /dev/null && echo healthy
            "$WSC" --format jsonl --events -x '{"op":1}' -w 0.2 "$URL" \
              | "$PYTHON" -c 'import json,sys; print(",".join(json.loads(l)["type"] for l in sys.stdin))'
            """
        let (text, status) = try Program.run(
            "/bin/sh",
            ["-c", script],
            environment: [
                "WSC": TestPaths.wsc.path, "URL": server.url(), "PYTHON": TestPaths.python.path,
                "PATH": "/usr/bin:/bin",
            ]
        )
        XCTAssertEqual(status, 0)
        XCTAssertEqual(text, "healthy\nopen,text,close\n")
    }
}
