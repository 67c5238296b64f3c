import Foundation
import NIOCore
import WSDeflate
import XCTest

/// Our payloads inflate in Python's zlib module, and Python's payloads inflate here: an independent peer that
/// follows RFC 7692 section 7.2 the plain way (compressobj with negative wbits, Z_SYNC_FLUSH, tail removed).
///
/// Skipped when python3 is not on PATH.
final class PythonInteropTests: XCTestCase {
    /// Reads length-prefixed messages from argv[4], and writes each one inflated or deflated to argv[5].
    private static let script = """
        import struct, sys, zlib
        mode, wbits, takeover = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
        data = open(sys.argv[4], "rb").read()
        messages, i = [], 0
        while i < len(data):
            (n,) = struct.unpack(">I", data[i:i + 4])
            messages.append(data[i + 4:i + 4 + n])
            i += 4 + n
        out = bytearray()
        coder = None
        for message in messages:
            if mode == "inflate":
                if coder is None or not takeover:
                    coder = zlib.decompressobj(wbits=-wbits)
                result = coder.decompress(message + b"\\x00\\x00\\xff\\xff")
            else:
                if coder is None or not takeover:
                    coder = zlib.compressobj(6, zlib.DEFLATED, -wbits)
                result = coder.compress(message) + coder.flush(zlib.Z_SYNC_FLUSH)
                assert result.endswith(b"\\x00\\x00\\xff\\xff")
                result = result[:-4]
            out += struct.pack(">I", len(result)) + result
        open(sys.argv[5], "wb").write(out)
        """

    private static let messages: [ByteBuffer] = {
        let once = [
            ByteBuffer(), TestData.text("H"), TestData.random(count: 125),
            TestData.text(String(repeating: "{\"type\":\"tick\",\"seq\":1} ", count: 200)),
            TestData.repetitive(count: 64 * 1024), TestData.random(count: 64 * 1024),
            TestData.repetitive(count: 1 << 20, period: 300),
        ]
        return once + once
    }()

    func testPythonInflatesOurMessages() throws {
        for windowBits in [8, 9, 12, 15] {
            for noContextTakeover in [false, true] {
                let parameters = PerMessageDeflateParameters(
                    clientNoContextTakeover: noContextTakeover,
                    clientMaxWindowBits: windowBits
                )
                let compressor = try PerMessageDeflateCompressor(parameters: parameters, role: .client)
                let payloads = try Self.messages.map { message in try compressor.compress(message) }
                let inflated = try self.runPython("inflate", windowBits, takeover: !noContextTakeover, payloads)
                XCTAssertEqual(inflated, Self.messages, "window bits \(windowBits), reset \(noContextTakeover)")
            }
        }
    }

    /// Python cannot compress with 8 bits (zlib refuses it for raw deflate), so its windows start at 9.
    func testWeInflatePythonsMessages() throws {
        for windowBits in [9, 12, 15] {
            for noContextTakeover in [false, true] {
                let parameters = PerMessageDeflateParameters(
                    serverNoContextTakeover: noContextTakeover,
                    serverMaxWindowBits: windowBits
                )
                let payloads = try self.runPython("deflate", windowBits, takeover: !noContextTakeover, Self.messages)
                let decompressor = try PerMessageDeflateDecompressor(parameters: parameters, role: .client)
                let inflated = try payloads.map { payload in try decompressor.decompress(payload, limit: 1 << 20) }
                XCTAssertEqual(inflated, Self.messages, "window bits \(windowBits), reset \(noContextTakeover)")
            }
        }
    }

    private func runPython(
        _ mode: String,
        _ windowBits: Int,
        takeover: Bool,
        _ messages: [ByteBuffer]
    ) throws -> [ByteBuffer] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wsdeflate-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in")
        let output = directory.appendingPathComponent("out")

        var framed = ByteBuffer()
        for message in messages {
            framed.writeInteger(UInt32(message.readableBytes))
            framed.writeImmutableBuffer(message)
        }
        try Data(framed.readableBytesView).write(to: input)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", Self.script, mode, String(windowBits), takeover ? "1" : "0", input.path, output.path,
        ]
        do {
            try process.run()
        } catch {
            throw XCTSkip("cannot run python3: \(error)")
        }
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            throw XCTSkip("python3 is not on PATH")
        }
        XCTAssertEqual(process.terminationStatus, 0, "python3 \(mode) failed")

        var result = ByteBuffer(bytes: try Data(contentsOf: output))
        var unframed: [ByteBuffer] = []
        while let length = result.readInteger(as: UInt32.self) {
            unframed.append(try XCTUnwrap(result.readSlice(length: Int(length))))
        }
        return unframed
    }
}
