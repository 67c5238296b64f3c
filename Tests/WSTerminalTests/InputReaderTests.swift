import NIOCore
import WSTerminal
import XCTest

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
}
