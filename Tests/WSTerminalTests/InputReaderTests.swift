import NIOCore
import XCTest

@testable import WSTerminal

#if canImport(Glibc)
    import Glibc
#endif

/// Reading a pipe in chunks the caller sizes.
final class InputReaderTests: XCTestCase {
    func testAReadTakesAtMostItsLimitAndTheRestStaysForTheNext() async throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]) }
        let bytes = [UInt8](repeating: 0x61, count: 100)
        XCTAssertEqual(write(ends[1], bytes, bytes.count), 100)
        close(ends[1])
        let reader = try InputReader(descriptor: ends[0])

        guard case .data(var buffer) = try await reader.read(appendingTo: ByteBuffer(), atMost: 10) else {
            return XCTFail("expected data")
        }
        XCTAssertEqual(buffer.readableBytes, 10)
        guard case .data(let more) = try await reader.read(appendingTo: buffer, atMost: 1000) else {
            return XCTFail("expected data")
        }
        buffer = more
        XCTAssertEqual(buffer.readableBytes, 100)
        guard case .endOfInput(let last) = try await reader.read(appendingTo: buffer, atMost: 1000) else {
            return XCTFail("expected the end of input")
        }
        XCTAssertEqual(last.readableBytes, 100)
    }

    /// A cancelled read hands its buffer back, whether it was waiting or never started, and the next read
    /// waits for the input again instead of ending at once (`--reconnect` reads on with a new connection).
    func testACancelledReadKeepsItsBufferAndTheNextReadWaitsAgain() async throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let reader = try InputReader(descriptor: ends[0])
        for _ in 0..<20 {
            let read = Task { try await reader.read(appendingTo: ByteBuffer(string: "partial"), atMost: 10) }
            read.cancel()
            do {
                _ = try await read.value
                XCTFail("a cancelled read with nothing to read cannot succeed")
            } catch let interrupted as InputReader.Interrupted {
                XCTAssertEqual(String(buffer: interrupted.buffer), "partial")
            }
        }
        XCTAssertEqual(write(ends[1], "x", 1), 1)
        guard case .data(let buffer) = try await reader.read(appendingTo: ByteBuffer(), atMost: 10) else {
            return XCTFail("expected data")
        }
        XCTAssertEqual(String(buffer: buffer), "x")
    }

    #if os(Linux)
        /// A pipe on stdin is asked to hold 1 MiB (`F_GETPIPE_SZ` is 1032), the system's default limit for
        /// unprivileged processes, so that a writer can run ahead and a long line is read whole.
        func testAPipeIsEnlargedToOneMebibyte() throws {
            var ends: [Int32] = [0, 0]
            XCTAssertEqual(pipe(&ends), 0)
            defer {
                close(ends[0])
                close(ends[1])
            }
            XCTAssertEqual(fcntl(ends[0], 1032), 64 * 1024)
            _ = try InputReader(descriptor: ends[0])
            XCTAssertEqual(fcntl(ends[0], 1032), 1 << 20)
        }
    #endif

    /// Reads follow the longest line so far, from 32 KiB for short lines to 1 MiB.
    func testReadSizeFollowsTheLongestLine() {
        XCTAssertEqual(StandardInputMessages.readSize(longestLine: 0), 32 * 1024)
        XCTAssertEqual(StandardInputMessages.readSize(longestLine: 100_000), 100_001)
        XCTAssertEqual(StandardInputMessages.readSize(longestLine: 1 << 20), 1 << 20)
        XCTAssertEqual(StandardInputMessages.readSize(longestLine: 64 << 20), 1 << 20)
    }
}
