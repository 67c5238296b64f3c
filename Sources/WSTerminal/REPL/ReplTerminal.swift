import CLibEdit
import NIOCore
import WSEngine

#if canImport(Glibc)
    import Glibc
#endif

/// The one thread that owns the terminal: it runs the line editor, prints the transcript, and turns keystrokes,
/// signals and session events into actions through ``ReplStateMachine``.
///
/// It sleeps in `poll` on standard input (while the prompt is up) and the mailbox's wake pipe, which also brings signals.
/// Typed messages go out in order through `outgoing`, which one task drains into the session's writer.
///
/// In `--listen` (`serving`) it asks the listener's ``ClientRegistry`` how many clients a typed line goes to,
/// or whether none would get it.
final class ReplTerminal: @unchecked Sendable {
    // @unchecked: the mutable state below is touched only by the terminal thread once `run()` started it.
    private let options: InteractiveOptions
    /// How the screen shows the transcript; its width follows the terminal's.
    private var formatter: TranscriptFormatter
    /// The transcript as `/save` writes it.
    private var record = TranscriptRecord()
    /// When each `/ping` went out, for the round trip shown with its pong.
    private var roundTrips = RoundTripTimer()
    /// What `/status` shows.
    private var statistics = SessionStatistics()
    private let mailbox: TerminalMailbox
    private let outgoing: AsyncStream<ReplRequest>.Continuation
    private var machine: ReplStateMachine
    /// The clients of `--listen`; `nil` for a client's one session.
    private let clients: ClientRegistry?
    private var history: HistoryFile?
    private var lastEntry: String?
    private var historyFailed = false
    private var outcome: TerminalOutcome?
    /// Whether the keyboard is left alone because wsc is in the background of its terminal.
    private var keyboardPaused = false
    /// The terminal's modes before the REPL started, put back on the way out and while wsc is stopped.
    private var savedModes: TerminalModes?
    /// When the prompt, hidden while the terminal changes size, is drawn again if no other resize came.
    private var resizeSettles: ContinuousClock.Instant?

    /// How long the terminal's size must stay the same for the prompt to be drawn again after a resize.
    private static let resizeQuietTime = Duration.milliseconds(150)

    /// How many keystrokes (or runs of pasted text) are handled before the thread looks at its other work.
    private static let keystrokesPerWake = 64

    /// A terminal that will show the session (or the server's clients, which `serving` holds) with `options`,
    /// take work from `mailbox` and send typed messages to `outgoing`.
    init(
        options: InteractiveOptions,
        serving clients: ClientRegistry?,
        mailbox: TerminalMailbox,
        outgoing: AsyncStream<ReplRequest>.Continuation
    ) {
        self.options = options
        var formatter = TranscriptFormatter(colors: options.colors, timestamps: options.timestamps)
        formatter.serving = clients != nil
        self.formatter = formatter
        self.machine = ReplStateMachine(serving: clients != nil)
        self.clients = clients
        self.mailbox = mailbox
        self.outgoing = outgoing
    }

    /// Runs the REPL on its own thread until the session is over; the terminal is restored when this returns.
    func run() async -> TerminalOutcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<TerminalOutcome, Never>) in
            do {
                try TerminalThread.start {
                    continuation.resume(returning: self.threadMain())
                }
            } catch {
                continuation.resume(returning: .setupFailed(error))
            }
        }
    }

    private func threadMain() -> TerminalOutcome {
        self.savedModes = TerminalModes(descriptor: STDIN_FILENO)
        defer { self.savedModes?.restore() }

        let locale = KeyboardLocale.select()
        defer { locale.restore() }
        let editor = LineEditor(history: self.loadHistory(), historyLimit: self.history?.limit ?? 1000)
        self.formatter.width = editor.columns
        if let greeting = self.options.greeting {
            TerminalOutput.write(self.transcript { $0.greeting(greeting, at: .now()) })
        }
        defer { editor.stopPrompt() }
        editor.startPrompt()
        // Started in the background (`wsc URL &`): the keyboard is left alone until the foreground is ours.
        let foreground = tcgetpgrp(STDIN_FILENO)
        self.keyboardPaused = foreground > 0 && foreground != getpgrp()

        while self.outcome == nil {
            // In the background only a hang-up is watched for; typed keys wait for the foreground. A shell's `fg`
            // sends no signal to a job that runs (`wsc URL &`), so the foreground is checked for now and then.
            let keyboardEvents = self.keyboardPaused ? 0 : Int16(POLLIN)
            let keystrokesPending = editor.isPrompting && !self.keyboardPaused && editor.hasPendingInput
            var timeout: Int32 = keystrokesPending ? 0 : self.keyboardPaused ? Self.foregroundCheckInterval : -1
            if let settles = self.resizeSettles {
                let left = Int32(max(0, ((settles - .now) / .milliseconds(1)).rounded(.up)))
                timeout = timeout < 0 ? left : min(timeout, left)
            }
            var descriptors = [
                pollfd(fd: self.mailbox.wakeDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: editor.isPrompting ? STDIN_FILENO : -1, events: keyboardEvents, revents: 0),
            ]
            guard poll(&descriptors, nfds_t(descriptors.count), timeout) >= 0 else {
                if errno == EINTR {
                    continue
                }
                return .setupFailed(SystemCallError("poll"))
            }
            if self.keyboardPaused, tcgetpgrp(STDIN_FILENO) == getpgrp() {
                self.resumeInForeground(editor)
            }
            if let settles = self.resizeSettles, ContinuousClock.now >= settles {
                self.resizeSettles = nil
                editor.showAfterResizing()
            }
            if keystrokesPending {
                descriptors[1].revents |= Int16(POLLIN)
            }
            if descriptors[0].revents != 0, self.outcome == nil {
                self.handle(self.mailbox.takeAll(), editor)
            }
            if descriptors[1].revents != 0, self.outcome == nil, editor.isPrompting {
                self.handleKeyboard(descriptors[1].revents, editor)
            }
        }
        return self.outcome ?? .abandoned
    }

    // MARK: - Keyboard

    private func handleKeyboard(_ events: Int16, _ editor: LineEditor) {
        if events & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
            self.terminalLost(editor)
            return
        }
        // Handle what is already typed (a paste, a burst) before sleeping again, a bounded amount at a time so
        // that messages and signals are never kept waiting by a long paste.
        var budget = Self.keystrokesPerWake
        repeat {
            budget -= 1
            switch editor.readKeystroke() {
            case nil:
                break
            case .endOfInput:
                self.perform(self.machine.endOfInput(), editor)
            case .line(let bytes):
                self.lineEntered(bytes, editor)
            case .terminalLost:
                self.terminalLost(editor)
            case .inBackground:
                // Until SIGCONT (fg): a job-control shell continues a job it brings to the foreground.
                self.keyboardPaused = true
            case .choices(let choices):
                editor.printAbove(self.formatter.choices(choices))
            }
        } while budget > 0 && editor.isPrompting && !self.keyboardPaused
            && (editor.hasPendingInput || Self.standardInputIsReadable())
        editor.drawIfNeeded()
    }

    /// The terminal hung up or cannot be read: there is nobody left to type, and it must not be polled again
    /// (a hung-up terminal is always readable, and reading it always returns nothing).
    private func terminalLost(_ editor: LineEditor) {
        self.takeDownPrompt(editor)
        self.perform(self.machine.terminalLost(), editor)
    }

    /// Takes the prompt down for good; a half-typed line is not lost with it: it goes to the history (Up and
    /// the history file recall it) and the transcript says so.
    private func takeDownPrompt(_ editor: LineEditor) {
        let unsent = editor.typedLine
        if !unsent.isEmpty {
            self.remember(unsent, editor)
            editor.printAbove(self.transcript { $0.notice("not sent, kept in the history: \(unsent)", at: .now()) })
        }
        editor.stopPrompt()
    }

    private func lineEntered(_ bytes: [UInt8], _ editor: LineEditor) {
        let line = String(decoding: bytes, as: UTF8.self)
        if !line.utf8.elementsEqual(bytes) {
            editor.printAbove(self.transcript { $0.error("not sent: the line is not valid UTF-8", at: .now()) })
        } else {
            self.remember(line, editor)
            self.perform(self.machine.lineEntered(SlashCommandParser.parse(line)), editor)
        }
        if self.machine.state == .chatting {
            editor.startPrompt()
        }
    }

    private static func standardInputIsReadable() -> Bool {
        var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&input, 1, 0) > 0 && input.revents & Int16(POLLIN) != 0
    }

    /// Milliseconds between two checks whether wsc, in the background, is in the foreground again.
    private static let foregroundCheckInterval: Int32 = 200

    /// Back in the foreground (`fg`): the keyboard is read again, in the prompt's raw mode.
    private func resumeInForeground(_ editor: LineEditor) {
        self.keyboardPaused = false
        editor.resumed()
    }

    // MARK: - Signals

    private func handleSignal(_ signalNumber: Int32, _ editor: LineEditor) {
        switch signalNumber {
        case SIGINT:
            let action = self.machine.interrupt(lineIsEmpty: editor.lineIsEmpty, searching: editor.isSearching)
            self.perform(action, editor)
        case SIGTERM, SIGHUP, SIGQUIT:
            self.perform(self.machine.terminationRequested(), editor)
        case SIGWINCH:
            editor.hideWhileResizing()
            self.formatter.width = editor.columns
            self.resizeSettles = .now + Self.resizeQuietTime
        case SIGTSTP:
            // Ctrl-Z: the terminal as the shell gave it, then stopped until SIGCONT (fg), which draws the prompt
            // again.
            editor.suspending()
            self.savedModes?.restore()
            kill(getpid(), SIGSTOP)
        case SIGCONT:
            self.resumeInForeground(editor)
        default:
            break
        }
    }

    // MARK: - Session

    private func handle(_ items: [TerminalMailbox.Item], _ editor: LineEditor) {
        var output: [UInt8] = []
        // Resizes come in bursts (a window dragged): one redraw at the size reached is enough.
        var resized = false
        for item in items {
            switch item {
            case .event(.closed(let report), let time):
                output += self.transcript { $0.closed(report, at: time) }
                self.sessionEnded(
                    .closed(
                        report,
                        stoppedBySignal: self.machine.stoppedBySignal,
                        reconnect: self.machine.reconnectRequested
                    ),
                    output: &output,
                    editor
                )
            case .event(let event, let time):
                self.statistics.received(event)
                let roundTrip = self.roundTrip(event)
                output += self.transcript { $0.received(event, at: time, roundTrip: roundTrip) }
            case .clientEvent(let peer, let event, let time):
                let roundTrip = self.roundTrip(event)
                output += self.transcript { $0.received(event, at: time, peer: peer, roundTrip: roundTrip) }
            case .listenEvent(.closed(let peer, let report), let time):
                output += self.transcript { $0.closed(report, at: time, peer: peer) }
            case .listenEvent(let event, let time):
                output += self.transcript { $0.notice(event.summary, at: time, peer: event.peer) }
            case .sendFailed(_, let reason):
                output += self.transcript { $0.error("not sent: \(reason)", at: .now()) }
            case .eventsEnded:
                self.sessionEnded(.eventsEnded, output: &output, editor)
            case .eventsFailed(let error):
                self.sessionEnded(.eventsFailed(error), output: &output, editor)
            case .cancelled:
                self.sessionEnded(.abandoned, output: &output, editor)
            case .signal(SIGWINCH):
                resized = true
            case .signal(let signalNumber):
                editor.printAbove(output)
                output = []
                self.handleSignal(signalNumber, editor)
            }
            if self.outcome != nil {
                break
            }
        }
        editor.printAbove(output)
        if resized, self.outcome == nil {
            self.handleSignal(SIGWINCH, editor)
        }
    }

    private func sessionEnded(_ outcome: TerminalOutcome, output: inout [UInt8], _ editor: LineEditor) {
        guard self.machine.sessionEnded() == .finish else {
            return
        }
        editor.printAbove(output)
        output = []
        self.takeDownPrompt(editor)
        self.outcome = outcome
    }

    // MARK: - Actions

    private func perform(_ action: ReplStateMachine.Action, _ editor: LineEditor) {
        switch action {
        case .none:
            break
        case .sendText(let text):
            self.send(.text(ByteBuffer(string: text)), editor)
        case .sendPing(let text):
            self.send(.ping(ByteBuffer(string: text)), editor)
        case .showHelp:
            editor.printAbove(self.formatter.help())
        case .toggleJSON:
            self.formatter.prettyJSON.toggle()
            let state = self.formatter.prettyJSON ? "on: JSON messages are shown indented" : "off"
            editor.printAbove(self.transcript { $0.notice("/json \(state)", at: .now()) })
        case .saveTranscript(let path):
            self.save(to: path, editor)
        case .sendBinary(let bytes):
            self.send(.binary(ByteBuffer(bytes: bytes)), editor)
        case .sendFile(let path, let asText):
            self.sendFile(path, asText: asText, editor)
        case .showStatus:
            let lines = self.statistics.lines(
                greeting: self.options.greeting,
                clients: self.recipients
            )
            editor.printAbove(self.transcript { formatter in lines.flatMap { formatter.notice($0, at: .now()) } })
        case .showError(let message):
            editor.printAbove(self.transcript { $0.error(message, at: .now()) })
        case .clearLine:
            editor.clearLine()
        case .cancelSearch:
            editor.cancelSearch()
        case .closeClients(let code, let reason):
            self.send(.close(code, reason: reason), editor)
        case .startClosing(let code, let reason):
            self.takeDownPrompt(editor)
            self.outgoing.yield(.leave(code, reason: reason))
            let recipients = self.recipients
            if recipients == 0 {
                editor.printAbove(self.transcript { $0.notice("stopped listening", at: .now()) })
            } else {
                let close = SessionCommand.close(code, reason: reason)
                editor.printAbove(self.transcript { $0.sent(close, at: .now(), recipients: recipients) })
            }
        case .finish:
            preconditionFailure("the session's end is handled where it arrives")
        case .abandon:
            self.takeDownPrompt(editor)
            let peers = self.machine.serving ? "clients" : "server"
            editor.printAbove(self.transcript { $0.notice("stopped waiting for the \(peers) to close", at: .now()) })
            self.outcome = .abandoned
        }
    }

    /// Hands `command` to the sending task and shows it as sent: before any answer to it can be shown. In
    /// `--listen` with nobody connected, says so instead: a line sent to no one would be lost silently.
    private func send(_ command: SessionCommand, _ editor: LineEditor) {
        let recipients = self.recipients
        if recipients == 0 {
            editor.printAbove(self.transcript { $0.error("not sent: no client is connected", at: .now()) })
            return
        }
        if case .ping(let payload) = command {
            self.roundTrips.sent(Array(payload.readableBytesView), at: .now, recipients: self.recipients ?? 1)
        }
        self.statistics.sent(command)
        self.outgoing.yield(.send(command))
        editor.printAbove(self.transcript { $0.sent(command, at: .now(), recipients: recipients) })
    }

    /// `/send`: the file goes out through the ordered sender, read and sent a chunk at a time; the transcript
    /// says so now, and an error (a file that changed, or text that is not UTF-8) comes back as a line.
    private func sendFile(_ path: String, asText: Bool, _ editor: LineEditor) {
        if self.recipients == 0 {
            editor.printAbove(self.transcript { $0.error("not sent: no client is connected", at: .now()) })
            return
        }
        self.outgoing.yield(.sendFile(path, asText: asText))
        let kind = asText ? "a text message" : "a binary message"
        editor.printAbove(self.transcript { $0.notice("sending \(FileMessage.name(path)) as \(kind)", at: .now()) })
    }

    /// How long the ping a pong answers took (a `/ping`, or with `-P` a keepalive ping); `nil` for anything
    /// else.
    private func roundTrip(_ event: SessionEvent) -> Duration? {
        guard case .pong(let payload) = event else {
            return nil
        }
        let roundTrip =
            self.roundTrips.pong(Array(payload.readableBytesView), at: .now) ?? Keepalive.roundTrip(of: payload)
        if let roundTrip {
            self.statistics.lastRoundTrip = roundTrip
        }
        return roundTrip
    }

    /// What `render` makes of the transcript with the screen's formatter, for the screen; what it makes with the
    /// uncut, colourless one is kept for `/save`.
    private func transcript(_ render: (TranscriptFormatter) -> [UInt8]?) -> [UInt8] {
        if let plain = render(self.formatter.uncut) {
            self.record.append(plain)
        }
        return render(self.formatter) ?? []
    }

    /// `/save FILE`: the transcript so far, to FILE.
    private func save(to path: String, _ editor: LineEditor) {
        do {
            try self.record.save(to: path)
            let dropped = self.record.droppedLines
            let note = dropped > 0 ? " (without the \(dropped) oldest lines, over the size kept)" : ""
            editor.printAbove(self.transcript { $0.notice("transcript saved to \(path)\(note)", at: .now()) })
        } catch {
            editor.printAbove(self.transcript { $0.error("/save: \(error.description)", at: .now()) })
        }
    }

    /// How many clients a command goes to in `--listen`; `nil` for a client's one session.
    private var recipients: Int? {
        self.clients?.count
    }

    // MARK: - History

    private func loadHistory() -> [String] {
        guard let path = self.options.historyFile else {
            return []
        }
        let file = HistoryFile(path: path)
        self.history = file
        do {
            let entries = try file.load()
            self.lastEntry = entries.last
            return entries
        } catch {
            self.historyFailed = true
            TerminalOutput.write(self.formatter.error(error.description, at: .now()))
            return []
        }
    }

    private func remember(_ line: String, _ editor: LineEditor) {
        guard !line.isEmpty, line != self.lastEntry else {
            return
        }
        self.lastEntry = line
        editor.remember(line)
        guard let history = self.history, !self.historyFailed else {
            return
        }
        do {
            try history.append(line)
        } catch {
            // Said once: a REPL that repeats the same complaint after every line is unusable.
            self.historyFailed = true
            editor.printAbove(self.formatter.error(error.description, at: .now()))
        }
    }
}

/// How the terminal thread ended.
enum TerminalOutcome: Sendable {
    /// The session closed; its report was shown. `stoppedBySignal`: SIGTERM or SIGHUP, or the terminal going
    /// away, started the close.
    case closed(CloseReport, stoppedBySignal: Bool, reconnect: Bool)
    /// The session's events ended without a closed event.
    case eventsEnded
    /// The session's events failed with this error.
    case eventsFailed(any Error)
    /// The user stopped waiting for the closing handshake, or the front end's task was cancelled.
    case abandoned
    /// The terminal could not be set up.
    case setupFailed(any Error)
}

/// Writes the transcript to standard output (descriptor 1) in one go, after whatever `stdout` still buffers
/// (the runner's prints, the line editor's own output), so that nothing comes out of order.
enum TerminalOutput {
    /// Whether standard output is a terminal, so that cursor movements mean something there.
    static let isTerminal = isatty(1) == 1

    /// Whether standard output is a terminal that understands escape sequences for modes and cursor movement:
    /// not `TERM=dumb` (or no `TERM` at all), which gets plain text.
    static let isCapable = isTerminal && !isDumb(getenv("TERM").map { String(cString: $0) })

    /// Whether a terminal of type `term` takes plain text only.
    static func isDumb(_ term: String?) -> Bool {
        term == nil || term == "" || term == "dumb"
    }

    /// Writes all of `bytes`. A terminal that went away (EIO after a hang-up) is not an error worth more than
    /// dropping the output.
    static func write(_ bytes: [UInt8]) {
        fflush(wsc_stdout())
        try? DescriptorWriter.writeAll(bytes, to: STDOUT_FILENO)
    }

    /// Writes text we wrote ourselves.
    static func write(_ text: String) {
        Self.write(Array(text.utf8))
    }
}

/// What `/status` says about the session: where it is connected and since when, what the handshake agreed,
/// how many messages and bytes went each way, and the last round trip of a ping.
struct SessionStatistics {
    let opened = ContinuousClock.now
    let openedAt = LocalTime.now()
    private(set) var sentMessages = 0
    private(set) var sentBytes = 0
    private(set) var receivedMessages = 0
    private(set) var receivedBytes = 0
    var lastRoundTrip: Duration?

    mutating func sent(_ command: SessionCommand) {
        switch command {
        case .text(let payload), .binary(let payload):
            self.sentMessages += 1
            self.sentBytes += payload.readableBytes
        case .fragment(let payload, _, _, let final):
            self.sentMessages += final ? 1 : 0
            self.sentBytes += payload.readableBytes
        case .ping, .close:
            break
        }
    }

    mutating func received(_ event: SessionEvent) {
        switch event {
        case .text(let payload), .binary(let payload):
            self.receivedMessages += 1
            self.receivedBytes += payload.readableBytes
        case .ping, .pong, .idle, .closed:
            break
        }
    }

    /// The lines of `/status`; `clients` is how many are connected in `--listen`.
    func lines(greeting: SessionGreeting?, clients: Int?, now: ContinuousClock.Instant = .now) -> [String] {
        let seconds = Int((now - self.opened) / .seconds(1))
        let since = "for \(seconds / 3600)h \(seconds / 60 % 60)m \(seconds % 60)s (since \(self.openedAt.text))"
        var lines: [String] = []
        if let greeting {
            lines.append("connected to \(greeting.url) \(since)")
            lines.append(
                "subprotocol: \(greeting.subprotocol ?? "none"); compression: "
                    + (greeting.compressed ? "permessage-deflate" : "none")
            )
        } else {
            lines.append("serving \(since); \(clients ?? 0) client\(clients == 1 ? "" : "s") connected")
        }
        lines.append(
            "sent \(self.sentMessages) message\(self.sentMessages == 1 ? "" : "s") (\(self.sentBytes) bytes); received "
                + "\(self.receivedMessages) message\(self.receivedMessages == 1 ? "" : "s") (\(self.receivedBytes) bytes)"
        )
        lines.append(
            self.lastRoundTrip.map { "last ping round trip: \(JSONEvents.milliseconds($0)) ms" }
                ?? "no ping answered yet (/ping)"
        )
        return lines
    }
}
