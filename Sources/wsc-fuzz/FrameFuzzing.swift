#if DEBUG || FUZZING
    import NIOCore
    import NIOEmbedded
    import NIOWebSocket
    @testable import WSEngine

    /// Wire bytes into a client's or server's session: whatever they are, the session reports its end once,
    /// last, with a code it may send, and sends nothing after its Close.
    enum FrameFuzzing {
        static func run(steer: UInt8, _ body: [UInt8]) {
            let role: SessionRole = steer & 1 == 0 ? .client : .server
            let channel = EmbeddedChannel()
            defer { _ = try? channel.finish() }
            let session = WebSocketSessionHandler(
                configuration: SessionConfiguration(role: role, maxMessageSize: 1 << 16)
            )
            try! channel.pipeline.syncOperations.addHandlers(
                ByteToMessageHandler(FrameDecoder(maxFrameSize: 1 << 16, role: role)),
                session
            )
            try! channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            // Reads of 1 to 128 bytes, then every 16th size up to about 2 KiB: small reads split headers, large
            // ones keep long inputs fast.
            let size = steer < 0x80 ? Int(steer >> 1) + 1 : Int(steer & 0x7F) * 16 + 1
            for piece in pieces(body, size: size) where channel.isActive {
                _ = try? channel.writeInbound(ByteBuffer(bytes: piece))
            }
            channel.pipeline.fireChannelInactive()
            // The session's timers (the close timeout) hold it until they fire: let them.
            channel.embeddedEventLoop.advanceTime(by: .hours(1))
            var closed = 0
            while let burst = try? channel.readInbound(as: [SessionEvent].self) {
                for event in burst {
                    precondition(closed == 0, "an event after the close report: \(event)")
                    if case .closed(let report) = event {
                        closed += 1
                        precondition(
                            report.code.isAllowedOnWire || report.code == .abnormalClosure
                                || report.code == .noStatusReceived,
                            "report with code \(report.code)"
                        )
                    }
                }
            }
            precondition(closed == 1, "\(closed) close reports")
            Self.checkSent(channel, role: role)
        }

        /// Every frame sent is whole, masked as the role requires, and nothing follows a Close.
        private static func checkSent(_ channel: EmbeddedChannel, role: SessionRole) {
            var bytes: [UInt8] = []
            while let buffer = try? channel.readOutbound(as: ByteBuffer.self) {
                bytes += buffer.readableBytesView
            }
            var index = 0
            var closeSent = false
            while index < bytes.count {
                precondition(!closeSent, "a frame after our Close")
                precondition(index + 2 <= bytes.count, "a cut frame header")
                closeSent = bytes[index] & 0x0F == 0x8
                precondition(bytes[index + 1] & 0x80 == (role == .client ? 0x80 : 0), "wrong masking")
                var length = Int(bytes[index + 1] & 0x7F)
                index += 2
                if length == 126 {
                    length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                    index += 2
                }
                index += (role == .client ? 4 : 0) + length
                precondition(index <= bytes.count, "a cut frame")
            }
        }
    }
#endif
