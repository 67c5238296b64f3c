#if canImport(Glibc)
    import Glibc
#endif

/// The typed lines kept between sessions: a plain UTF-8 file, one entry per line, appended to as lines are
/// entered so that two sessions running at once do not overwrite each other's lines.
///
/// libedit has its own history file functions, but its `append_history` writes earlier entries again, and its
/// format (`strvis` encoded) is unreadable in a text editor; this one is plain.
struct HistoryFile {
    /// The file.
    let path: String
    /// How many entries are kept: loading keeps the newest `limit`, and rewrites the file once it holds twice
    /// as many.
    var limit: Int

    /// A history file at `path`.
    init(path: String, limit: Int = 1000) {
        self.path = path
        self.limit = limit
    }

    /// What went wrong with the file: the operation and the system's error.
    struct Failure: Error, CustomStringConvertible {
        /// The path.
        let path: String
        /// What we were doing.
        let operation: String
        /// `errno`.
        let code: Int32

        /// `cannot append to PATH: Permission denied`.
        var description: String {
            "history: cannot \(self.operation) \(self.path): \(String(cString: strerror(self.code)))"
        }
    }

    /// The newest `limit` entries, oldest first; none if the file does not exist yet.
    func load() throws(Failure) -> [String] {
        let descriptor = open(self.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT {
                return []
            }
            throw Failure(path: self.path, operation: "read", code: errno)
        }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR {
                continue
            }
            guard count >= 0 else {
                throw Failure(path: self.path, operation: "read", code: errno)
            }
            if count == 0 {
                break
            }
            contents.append(contentsOf: chunk[0..<count])
        }
        let lines = contents.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        let kept = Array(lines.suffix(self.limit))
        if lines.count >= 2 * self.limit {
            try self.rewrite(kept)
        }
        return kept
    }

    /// Appends one entry, creating the folders (mode 0700) and the file (mode 0600: typed lines may hold
    /// secrets) when missing. A line holding a line break cannot be stored and is skipped.
    func append(_ line: String) throws(Failure) {
        guard Self.canStore(line) else {
            return
        }
        try self.createParentDirectories()
        let descriptor = open(self.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Failure(path: self.path, operation: "append to", code: errno)
        }
        defer { close(descriptor) }
        try self.writeAll(Array((line + "\n").utf8), to: descriptor, operation: "append to")
    }

    /// Whether `line` fits in the one-entry-per-line format.
    static func canStore(_ line: String) -> Bool {
        !line.isEmpty && !line.utf8.contains(UInt8(ascii: "\n")) && !line.utf8.contains(UInt8(ascii: "\r"))
    }

    private func rewrite(_ lines: [String]) throws(Failure) {
        let temporary = self.path + ".new"
        let descriptor = open(temporary, O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Failure(path: temporary, operation: "create", code: errno)
        }
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        do {
            try self.writeAll(bytes, to: descriptor, operation: "write")
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, self.path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure(path: self.path, operation: "replace", code: code)
        }
    }

    private func writeAll(_ bytes: [UInt8], to descriptor: Int32, operation: String) throws(Failure) {
        do throws(DescriptorWriter.Failure) {
            try DescriptorWriter.writeAll(bytes, to: descriptor)
        } catch {
            throw Failure(path: self.path, operation: operation, code: error.code)
        }
    }

    private func createParentDirectories() throws(Failure) {
        let components = self.path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        var directory = self.path.hasPrefix("/") ? "" : "."
        for component in components {
            directory += "/" + component
            if mkdir(directory, 0o700) != 0, errno != EEXIST {
                throw Failure(path: directory, operation: "create the folder", code: errno)
            }
        }
    }
}
