#if canImport(Glibc)
    import Glibc
#endif

/// A system call the terminal front end depends on failed; the description names the call and the reason.
struct SystemCallError: Error, CustomStringConvertible {
    /// The call, such as `pipe`.
    let call: String
    /// `errno` after it.
    let code: Int32

    /// Records the failure of `call` with the current `errno`.
    init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    /// `pipe failed: Too many open files`.
    var description: String {
        "\(self.call) failed: \(String(cString: strerror(self.code)))"
    }
}
