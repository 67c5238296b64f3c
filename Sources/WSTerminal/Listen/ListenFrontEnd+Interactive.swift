import WSEngine

extension ListenFrontEnd {
    /// Serves with the REPL on the terminal instead of stdin and stdout: what clients send, and their
    /// comings and goings, are transcript lines naming the client; a typed line goes to every connected
    /// client. Returns once the user left (closing every client with 1001) and every session has ended.
    /// The terminal is restored whichever way this returns or throws. `signals` are the process's signals as
    /// they arrive.
    public func runInteractive(options: InteractiveOptions, signals: AsyncStream<Int32>) async throws {
        let outcome = try await InteractiveFrontEnd(options: options).run(serving: self.clients, signals: signals) {
            mailbox in
            await withTaskCancellationHandler {
                await self.serve(reportingTo: mailbox)
            } onCancel: {
                // The terminal is done without the user leaving (it could not be set up, or a second Ctrl-C):
                // the listener must still stop for this task to end.
                Task { await self.stop() }
            }
        } perform: { request in
            switch request {
            case .send(let command):
                await self.clients.broadcast([command])
            case .sendFile(let path, let asText):
                let file = FileMessage(path: path, asText: asText, showsProgress: false)
                try await file.send({ await self.clients.broadcast([$0]) }, recording: { _ in })
            case .leave:
                await self.stop()
            }
        }
        switch outcome {
        case .eventsEnded, .abandoned, .closed:
            return
        case .eventsFailed(let error), .setupFailed(let error):
            throw error
        }
    }

    /// Accepts clients until the listener stops, telling the terminal about each; then tells it the server
    /// is done.
    private func serve(reportingTo mailbox: TerminalMailbox) async {
        let report: @Sendable (ListenEvent) -> Void = { mailbox.post(.listenEvent($0, .now())) }
        do {
            try await self.listener.run { connection in
                await self.serve(connection, reportingTo: report) { events, _, peer in
                    try await Self.forward(events, from: peer, to: mailbox)
                }
            }
            mailbox.post(.eventsEnded)
        } catch {
            mailbox.post(.eventsFailed(error))
        }
    }

    /// Hands one client's messages and control frames to the terminal; returns its close report, which the
    /// terminal gets as the client's close line instead.
    private static func forward(
        _ events: SessionEvents,
        from peer: String,
        to mailbox: TerminalMailbox
    ) async throws -> CloseReport? {
        var close: CloseReport?
        for try await event in events {
            switch event {
            case .closed(let report):
                close = report
            case .idle:
                continue
            case .text, .binary, .ping, .pong:
                await mailbox.deliver(.clientEvent(peer, event, .now()))
            }
        }
        return close
    }
}
