import Foundation
import NIOCore
import NIOPosix
import WSTLS
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// `TLSClientHandler` on a real socket, through `ClientBootstrap`, against `openssl s_server`.
final class OpenSSLServerSocketTests: XCTestCase {
    /// Sends a request written on `channelActive` (before the handshake, like the HTTP upgrade) and collects
    /// everything until the channel closes.
    private final class RequestCollector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        struct Outcome: Sendable {
            var response: String
            var session: TLSSessionInfo?
            var error: String?
        }

        private let done: EventLoopPromise<Outcome>
        private var outcome = Outcome(response: "")

        init(done: EventLoopPromise<Outcome>) {
            self.done = done
        }

        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: "GET / HTTP/1.0\r\n\r\n")), promise: nil)
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            self.outcome.session = (event as? TLSHandshakeCompleted)?.session ?? self.outcome.session
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.outcome.response += String(buffer: self.unwrapInboundIn(data))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            self.outcome.error = "\(error)"
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.done.succeed(self.outcome)
        }
    }

    /// Starts `openssl s_server` on 127.0.0.1 with a port of the kernel's choosing, answering one connection.
    private func startServer(_ certificates: TestCertificates) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-www",
            "-cert", certificates.certificate("localhost"), "-key", certificates.key("localhost"),
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        addTeardownBlock {
            if process.isRunning {
                process.terminate()
            }
            process.waitUntilExit()
        }

        // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens; wait up to ten seconds for it.
        let descriptor = output.fileHandleForReading.fileDescriptor
        var printed = ""
        for _ in 0..<100 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else {
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 512)
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else {
                break
            }
            printed += String(decoding: chunk[..<count], as: UTF8.self)
            if let line = printed.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                return (process, port)
            }
        }
        throw XCTSkip("openssl s_server did not start: \(printed)")
    }

    func testRequestWrittenOnChannelActiveReachesOpenSSLServerOverARealSocket() throws {
        let certificates = try TestCertificates.shared()
        let (_, port) = try self.startServer(certificates)
        let context = try TLSClientContext(configuration: TLSConfiguration(caFile: certificates.caFile))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let done = group.next().makePromise(of: RequestCollector.Outcome.self)
        let timeout = group.next().scheduleTask(in: .seconds(20)) {
            done.fail(ChannelError.connectTimeout(.seconds(20)))
        }
        defer { timeout.cancel() }

        let channel = try ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        TLSClientHandler(context: context, host: "127.0.0.1"),
                        RequestCollector(done: done),
                    ])
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .wait()
        let outcome = try done.futureResult.wait()
        try? channel.close().wait()

        XCTAssertNil(outcome.error)
        XCTAssertTrue(outcome.response.hasPrefix("HTTP/1.0 200 ok\r\n"), outcome.response)
        // s_server answers 200 only to the "GET /" it decrypted, and ends its page before close_notify.
        XCTAssertTrue(outcome.response.contains("</BODY></HTML>"), outcome.response)
        XCTAssertEqual(outcome.session?.protocolVersion, "TLSv1.3")
        XCTAssertEqual(outcome.session?.peerVerified, true)
    }
}
