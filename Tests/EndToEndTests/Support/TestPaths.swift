import Foundation

/// Where the end-to-end tests find the package, the built `wsc`, and the Python that runs the test peers.
enum TestPaths {
    /// The package's root folder, found from this file's location.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `wsc` binary: `$WSC_BINARY`, or the one built next to the test bundle.
    static var wsc: URL {
        if let path = ProcessInfo.processInfo.environment["WSC_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("wsc")
    }

    /// The Python of the test venv that `make test` creates: `$WSC_TEST_PYTHON` or `.venv/bin/python`.
    static var python: URL {
        if let path = ProcessInfo.processInfo.environment["WSC_TEST_PYTHON"] {
            return URL(fileURLWithPath: path)
        }
        return self.packageRoot.appendingPathComponent(".venv/bin/python")
    }

    /// A test peer script in `Tests/EndToEndTests/Peers`.
    static func peer(_ name: String) -> URL {
        self.packageRoot.appendingPathComponent("Tests/EndToEndTests/Peers/\(name)")
    }
}
