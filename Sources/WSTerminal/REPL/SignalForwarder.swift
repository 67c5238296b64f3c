#if canImport(Glibc)
    import Glibc
#endif

/// The write end of the signal pipe, for the signal handler: set before any handler is installed.
nonisolated(unsafe) private var signalPipeWriteDescriptor: Int32 = -1

/// Turns signals into bytes on a pipe that the terminal thread polls, so that they are handled on that thread
/// between two keystrokes, never inside a signal handler; puts the previous handlers back when done.
///
/// Handled: SIGINT (Ctrl-C: clear the line, or close), SIGTERM, SIGHUP and SIGQUIT (Ctrl-\: close and leave,
/// terminal restored), SIGWINCH (the terminal changed size), SIGTSTP (Ctrl-Z: the terminal restored, then
/// stopped) and SIGCONT (back in the foreground: raw mode again, redraw).
final class SignalForwarder {
    /// The signals forwarded.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT]

    private let pipe: WakePipe
    private var previousActions: [(Int32, sigaction)] = []

    /// The descriptor that becomes readable when a signal arrived.
    var descriptor: Int32 {
        self.pipe.readDescriptor
    }

    /// Installs the handlers. Only one forwarder may exist at a time.
    init() throws(SystemCallError) {
        self.pipe = try WakePipe()
        precondition(signalPipeWriteDescriptor == -1, "only one SignalForwarder may be installed at a time")
        signalPipeWriteDescriptor = self.pipe.writeDescriptor
        for signalNumber in Self.signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signalNumber in
                let savedErrno = errno
                var byte = UInt8(truncatingIfNeeded: signalNumber)
                _ = write(signalPipeWriteDescriptor, &byte, 1)
                errno = savedErrno
            }
            sigemptyset(&action.sa_mask)
            // Restarting keeps a read inside libedit from failing with EINTR; poll is never restarted, and the
            // pipe wakes it anyway.
            action.sa_flags = SA_RESTART
            var previous = sigaction()
            sigaction(signalNumber, &action, &previous)
            self.previousActions.append((signalNumber, previous))
        }
    }

    /// Lets the forwarded signals reach the calling thread, which may have inherited a mask that blocks them
    /// (threads of Dispatch's pool block every signal, and so do threads they start). With the handlers on a
    /// thread that takes the signals, a Dispatch signal source elsewhere in the process (the runner's, for
    /// Ctrl-C while connecting) no longer sees them while the REPL runs.
    func unblockOnCurrentThread() {
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in Self.signals {
            sigaddset(&set, signalNumber)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signals that arrived since the last call, in order.
    func drain() -> [Int32] {
        self.pipe.drain().map { Int32($0) }
    }

    /// Puts the previous handlers back and closes the pipe.
    func restore() {
        for (signalNumber, previous) in self.previousActions {
            var previous = previous
            sigaction(signalNumber, &previous, nil)
        }
        self.previousActions = []
        signalPipeWriteDescriptor = -1
        self.pipe.close()
    }
}
