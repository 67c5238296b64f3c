#if DEBUG || FUZZING
    import NIOCore
    import WSDeflate

    /// Extension headers both ways, and raw deflate data through the inflater: no crash, and never more
    /// output than the limit.
    enum DeflateFuzzing {
        static func run(steer: UInt8, _ body: [UInt8]) {
            let text = String(decoding: body, as: UTF8.self)
            _ = try? PerMessageDeflateOffer.standard.negotiate(response: text)
            if let accepted = PerMessageDeflateParameters.accepting(offers: text) {
                precondition(!accepted.responseHeaderValue.isEmpty)
            }
            let limit = Int(steer) * 64
            guard let inflater = try? PerMessageDeflateDecompressor(parameters: .init(), role: .client) else {
                preconditionFailure("no inflater")
            }
            for _ in 0..<2 {
                if let output = try? inflater.decompress(ByteBuffer(bytes: body), limit: limit) {
                    precondition(output.readableBytes <= limit, "\(output.readableBytes) bytes past the limit \(limit)")
                }
            }
        }
    }
#endif
