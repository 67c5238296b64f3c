#if DEBUG || FUZZING
    import NIOCore
    import NIOHTTP1
    @testable import WSEngine

    /// Upgrade answers and requests split in reads: the machines decide once, consume exactly one head, and
    /// hand every byte behind it on.
    enum HandshakeFuzzing {
        static func response(steer: UInt8, _ body: [UInt8]) {
            var machine = ClientHandshakeStateMachine()
            var decided = false
            var leftover = 0
            for piece in pieces(body, size: Int(steer) + 1) {
                let action = machine.received(ByteBuffer(bytes: piece))
                switch action {
                case .none:
                    continue
                case .upgrade(let head, let rest):
                    precondition(!decided, "decided twice")
                    precondition(head.status.code == 101)
                    leftover = rest.readableBytes
                    decided = true
                case .refuse(let head, let text):
                    precondition(!decided, "decided twice")
                    precondition(head.status.code >= 200 && text.utf8.count <= RefusalBody.limit * 3)
                    decided = true
                case .fail:
                    precondition(!decided, "decided twice")
                    decided = true
                }
            }
            if !decided, case .upgrade = machine.inputEnded() {
                preconditionFailure("an upgrade at the end of the input")
            }
            precondition(leftover <= body.count)
        }

        static func request(steer: UInt8, _ body: [UInt8]) {
            var machine = ServerHandshakeStateMachine()
            var decided = false
            for piece in pieces(body, size: Int(steer) + 1) {
                switch machine.received(ByteBuffer(bytes: piece)) {
                case .none:
                    continue
                case .accept(let request, let accept, _):
                    precondition(!decided, "decided twice")
                    precondition(request.method == .GET && request.headers.contains(name: "Host"))
                    precondition(accept.utf8.count == 28, "accept value \(accept)")
                    decided = true
                case .refuse(let refusal):
                    precondition(!decided, "decided twice")
                    precondition([400, 426].contains(refusal.status.code))
                    decided = true
                case .closedBeforeRequest:
                    preconditionFailure("closed before the end of the input")
                }
            }
            if !decided, case .accept = machine.inputEnded() {
                preconditionFailure("an accept at the end of the input")
            }
        }
    }
#endif
