import WSCommand

#if canImport(Glibc)
    import Glibc
#endif

exit(await CommandLineEntry.run(Array(CommandLine.arguments.dropFirst())))
