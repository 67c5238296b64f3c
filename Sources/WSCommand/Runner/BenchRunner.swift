import WSEngine
import WSTLS
import WSTerminal

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a ``BenchPlan`` (`wsc bench`): the load test under the same signal path as the ``Runner`` (a signal
/// stops its sending, and what was measured is still reported, then exit 130), the report to stdout, and the
/// verdict (``Diagnostics/benchVerdict(_:maxP99:maxErrors:)``) as error lines and the exit status.
struct BenchRunner {
    let plan: BenchPlan
    let signals: Signals

    /// How often the live status line is redrawn.
    private static let statusInterval: Duration = .milliseconds(500)

    private var diagnostics: Diagnostics {
        self.plan.diagnostics
    }

    func run() async -> ExitStatus {
        let plan = self.plan
        for warning in plan.warnings {
            self.diagnostics.warning(warning)
        }
        var configuration = plan.configuration
        do {
            configuration.client.tls = try TLSConfiguration.context(plan.tls, for: configuration.client.url)
        } catch {
            self.diagnostics.error(Diagnostics.line(for: error))
            return ExitStatus(error.category)
        }
        // One descriptor per connection: the soft limit (often 1024) should not be what fails them.
        DescriptorLimit.raiseToHardLimit()
        let bench = LoadBench(configuration: configuration)
        let status: Task<Void, Never>? =
            plan.showsProgress
            ? Task {
                var previous: BenchProgress?
                while (try? await Task.sleep(for: Self.statusInterval)) != nil {
                    let progress = bench.progress()
                    Self.write(BenchStatusLine.render(progress, previous: previous), to: STDERR_FILENO)
                    previous = progress
                }
            } : nil
        let grace = configuration.drainTimeout + configuration.client.session.closeTimeout + .seconds(1)
        let watched = try? await self.signals.closing(within: grace) { _ in
            bench.stop()
        } _: {
            await bench.run()
        }
        status?.cancel()
        if status != nil {
            Self.write(BenchStatusLine.erase, to: STDERR_FILENO)
        }
        guard case .finished(let report, let signal) = watched else {
            return .interrupted
        }
        switch plan.format {
        case .table:
            Self.write(BenchTable.render(report, title: plan.title), to: STDOUT_FILENO)
        case .json:
            Self.write(BenchJSON.render(report, url: configuration.client.url.description), to: STDOUT_FILENO)
        }
        let verdict = Diagnostics.benchVerdict(report, maxP99: plan.maxP99, maxErrors: plan.maxErrors)
        for line in verdict.lines {
            self.diagnostics.error(line)
        }
        return signal == nil ? verdict.status : .interrupted
    }

    /// Writes the report or the status line; a stream that fails has nowhere left to say so.
    private static func write(_ text: String, to descriptor: Int32) {
        try? DescriptorWriter.writeAll(Array(text.utf8), to: descriptor)
    }
}
