import ArgumentParser
import Dispatch
import NIOConcurrencyHelpers
import NIOCore
import WSTerminal

#if canImport(Glibc)
    import Glibc
#endif

/// The process's entry: parses argv, runs the command, and prints usage errors as one `wsc: error:` line
/// with exit code 2 instead of ArgumentParser's multi-line report.
public enum CommandLineEntry {
    /// Points closed standard descriptors at `/dev/null`, tunes the allocator (``AllocatorTuning``), then runs ``run(_:)`` on Swift's global executor while the
    /// calling thread, the process's main thread, waits for its exit status.
    ///
    /// Why not an `async` top level: Swift then parks the main thread in `dispatch_main()`, which ends it
    /// with `pthread_exit`; glibc loads libgcc_s to unwind it, and the unwinder reads the binary's frame
    /// tables. That costs about half a millisecond and a megabyte of memory at every start.
    public static func runWhileMainThreadWaits(_ arguments: [String]) -> Int32 {
        DescriptorWriter.openMissingStandardDescriptors()
        #if os(Linux)
            AllocatorTuning.apply()
        #endif
        let finished = DispatchSemaphore(value: 0)
        let status = NIOLockedValueBox(ExitStatus.success.rawValue)
        Task.detached {
            let code = await Self.run(arguments)
            status.withLockedValue { $0 = code }
            finished.signal()
        }
        finished.wait()
        return status.withLockedValue { $0 }
    }

    /// Runs wsc with `arguments` (without the program name) and returns the exit status.
    static func run(_ arguments: [String]) async -> Int32 {
        // Writing to a closed pipe must fail with EPIPE, which the output writer handles, not kill us.
        signal(SIGPIPE, SIG_IGN)
        // One connection needs one event loop; NIO would start one per core. Fewer threads start sooner
        // and touch less memory. (The blocking pool keeps its two threads: a stdin read that waits must
        // not hold up the writing of stdout.)
        NIOSingletons.groupLoopCountSuggestion = 1
        // The root command takes a URL as its argument, so the argument parser, which parses a command's own
        // arguments before it looks for a subcommand, would read `bench` as that URL: it is dispatched here.
        let bench = BenchCommand.configuration.commandName
        let isBench = arguments.first == bench
        if arguments.count == 2, arguments.first == "help", arguments.last == bench {
            print(RootCommand.helpMessage(for: BenchCommand.self))
            return ExitStatus.success.rawValue
        }
        do {
            var command =
                isBench
                ? try BenchCommand.parseAsRoot(Array(arguments.dropFirst())) : try RootCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return ExitStatus.success.rawValue
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            if RootCommand.exitCode(for: error) == .success {
                // Help for `wsc bench` as the subcommand it is, with its full name.
                print(isBench ? RootCommand.helpMessage(for: BenchCommand.self) : RootCommand.fullMessage(for: error))
                return ExitStatus.success.rawValue
            }
            let message = RootCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let help = isBench ? "wsc bench --help" : "wsc --help"
            Diagnostics(verbose: false, quiet: false).error("\(Self.withoutPrefix(message)) (see '\(help)')")
            return ExitStatus.usage.rawValue
        }
    }

    private static func withoutPrefix(_ message: String) -> String {
        message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
    }
}
