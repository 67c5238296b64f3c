#if DEBUG || FUZZING
    /// One fuzz target: bytes in, the code under test run on them, its invariants checked with
    /// `precondition`, so that libFuzzer (or the corpus replay in `make test`) stops at the first broken one.
    ///
    /// The first byte of an input steers the target (a role, a split point, a read size); the rest is the
    /// data. Targets never touch the network or files.
    enum FuzzTarget: String, CaseIterable {
        /// Wire bytes through the frame decoder and the session handler, client or server, split in reads.
        case frames
        /// A server's answer to the upgrade request, split in reads.
        case upgradeResponse = "upgrade-response"
        /// A client's upgrade request, for `--listen`, split in reads.
        case upgradeRequest = "upgrade-request"
        /// `Sec-WebSocket-Extensions` values, both ways, and the inflater with a limit.
        case extensions
        /// A SOCKS5 or HTTP CONNECT proxy's answers.
        case proxy
        /// URLs, proxy URLs and redirect locations.
        case url
        /// Stdin lines, split in reads of every size, and their JSON Lines escaping.
        case lines

        /// Runs the target on `data`.
        func run(_ data: [UInt8]) {
            guard let steer = data.first else { return }
            let body = Array(data.dropFirst())
            switch self {
            case .frames: FrameFuzzing.run(steer: steer, body)
            case .upgradeResponse: HandshakeFuzzing.response(steer: steer, body)
            case .upgradeRequest: HandshakeFuzzing.request(steer: steer, body)
            case .extensions: DeflateFuzzing.run(steer: steer, body)
            case .proxy: ProxyFuzzing.run(steer: steer, body)
            case .url: URLFuzzing.run(body)
            case .lines: LineFuzzing.run(steer: steer, body)
            }
        }
    }

    /// `bytes` cut into pieces of `size` (at least 1).
    func pieces(_ bytes: [UInt8], size: Int) -> [ArraySlice<UInt8>] {
        let size = max(1, size)
        return stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min($0 + size, bytes.count)] }
    }
#endif
