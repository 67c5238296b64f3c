#if canImport(Glibc)
    import Glibc
#endif

/// `wsc-fuzz TARGET FILE…` runs a fuzz target over the given inputs once: how `make test` replays the
/// committed corpora, and how a crash file is reproduced under a debugger. Built with
/// `-sanitize=fuzzer,address -enable-testing -DFUZZING` (`make fuzz`), it hands its arguments to libFuzzer
/// instead, which runs the target named by `WSC_FUZZ_TARGET`.
@main
enum Entry {
    static func main() {
        #if FUZZING
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
        #elseif DEBUG
            Self.replay(CommandLine.arguments.dropFirst())
        #else
            print("wsc-fuzz needs a debug build")
            exit(2)
        #endif
    }

    #if DEBUG || FUZZING
        private static func replay(_ arguments: ArraySlice<String>) {
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                print("usage: wsc-fuzz TARGET FILE...; targets: \(FuzzTarget.allCases.map(\.rawValue))")
                exit(2)
            }
            for path in arguments.dropFirst() {
                guard let file = fopen(path, "rb") else {
                    print("wsc-fuzz: cannot read \(path)")
                    exit(1)
                }
                var data: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 65536)
                while case let read = fread(&chunk, 1, chunk.count, file), read > 0 {
                    data += chunk[..<read]
                }
                fclose(file)
                target.run(data)
            }
            print("\(name): \(arguments.count - 1) inputs replayed")
        }
    #endif
}

#if FUZZING
    /// libFuzzer's driver, for a program with a `main` of its own.
    @_silgen_name("LLVMFuzzerRunDriver")
    private func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    private let selectedTarget: FuzzTarget = {
        let name = getenv("WSC_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("WSC_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue))")
        }
        return target
    }()

    /// Runs the target named by `WSC_FUZZ_TARGET` on one input; libFuzzer's runtime needs it by this name.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
        guard let start else { return 0 }
        selectedTarget.run(Array(UnsafeBufferPointer(start: start, count: count)))
        return 0
    }
#endif
