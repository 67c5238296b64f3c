import WSCommand

#if canImport(Glibc)
    import Glibc
#endif

exit(CommandLineEntry.runWhileMainThreadWaits(Array(CommandLine.arguments.dropFirst())))
