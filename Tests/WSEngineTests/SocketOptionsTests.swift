import NIOCore
import XCTest

@testable import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// The TCP options of both ends of a real loopback session, read back from the kernel.
final class SocketOptionsTests: XCTestCase {
    /// Small messages go out at once (TCP_NODELAY), and nothing else is switched on by mistake: an option
    /// given at the socket level with TCP_NODELAY's number is SO_DEBUG.
    func testClientAndServerSocketsSendWithoutDelayAndWithoutDebugging() async throws {
        let listener = try await WebSocketServer.listen(ServerConfiguration(host: "127.0.0.1", port: 0))
        let serverSide = AsyncStream.makeStream(of: WebSocketConnection.self)
        let accepting = Task {
            try await listener.run { incoming in
                if case .session(let connection, _) = incoming {
                    serverSide.continuation.yield(connection)
                }
            }
        }
        defer {
            listener.close()
            accepting.cancel()
        }
        let url = try WebSocketURL(parsing: "ws://\(listener.localAddress)/")
        let client = try await WebSocketClient.connect(ClientConfiguration(url: url))
        var accepted = serverSide.stream.makeAsyncIterator()
        let next = await accepted.next()
        let server = try XCTUnwrap(next)
        let soDebug = ChannelOptions.Types.SocketOption(level: .socket, name: NIOBSDSocket.Option(rawValue: SO_DEBUG))
        for (end, connection) in [("client", client), ("server", server)] {
            let channel = connection.session.events.channel
            let noDelay = try await channel.getOption(.tcpOption(.tcp_nodelay)).get()
            let debug = try await channel.getOption(soDebug).get()
            XCTAssertNotEqual(noDelay, 0, "\(end): TCP_NODELAY")
            XCTAssertEqual(debug, 0, "\(end): SO_DEBUG")
        }
        try await client.session.events.channel.close()
    }
}
