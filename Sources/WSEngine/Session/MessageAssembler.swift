import NIOCore
import NIOWebSocket
import WSDeflate

/// Joins data frames into messages and enforces the rules of RFC 6455 sections 5.4 and 8.1 that concern
/// them: continuation frames only inside a message, no new message before the last one ended, text that is
/// UTF-8 from its first fragment on, and the size limit.
///
/// With permessage-deflate negotiated, a message whose first frame had RSV1 set is joined compressed and
/// inflated once complete (RFC 7692 section 6.2); the size limit and the UTF-8 check then apply to the
/// inflated bytes, so a small frame cannot smuggle in a message larger than the limit.
struct MessageAssembler {
    /// The kind of message being assembled.
    private enum Kind {
        case text
        case binary
    }

    /// A message whose final frame has not arrived yet.
    private struct Partial {
        var kind: Kind
        var payload: ByteBuffer
        var validator: UTF8Validator
        /// The first frame had RSV1 set: the payload is deflate data, checked once inflated.
        var compressed: Bool
    }

    /// The largest message accepted, in bytes.
    let maxMessageSize: Int
    private let decompressor: PerMessageDeflateDecompressor?
    private var partial: Partial?

    /// An assembler for messages up to `maxMessageSize` bytes; `decompressor` is set when permessage-deflate
    /// was negotiated.
    init(maxMessageSize: Int, decompressor: PerMessageDeflateDecompressor? = nil) {
        self.maxMessageSize = maxMessageSize
        self.decompressor = decompressor
    }

    /// The most compressed bytes a message of `maxMessageSize` can take: deflate may expand data it cannot
    /// compress, by at most five bytes per stored block (zlib's `deflateBound`), so a peer that compresses
    /// everything still fits. Also the frame decoder's limit, which must let such a frame through.
    static func compressedSizeLimit(forMessageSize maxMessageSize: Int) -> Int {
        maxMessageSize + maxMessageSize >> 10 + 64
    }

    /// Takes one data frame (text, binary or continuation); returns the completed message, `nil` while it
    /// is still incomplete, or the violation that ends the connection. `compressed` is the first frame's
    /// RSV1, which the session state machine allows only when permessage-deflate was negotiated.
    mutating func receive(
        opcode: WebSocketOpcode,
        fin: Bool,
        compressed: Bool = false,
        payload: ByteBuffer
    ) -> Result<SessionEvent?, ProtocolViolation> {
        if opcode == .continuation {
            guard var partial = self.partial else {
                return .failure(
                    ProtocolViolation(closeCode: .protocolError, "continuation frame with no message started")
                )
            }
            self.partial = nil
            let size = partial.payload.readableBytes + payload.readableBytes
            if let violation = self.sizeViolation(size, compressed: partial.compressed) {
                return .failure(violation)
            }
            if partial.kind == .text, !partial.compressed,
                let violation = Self.validate(payload, with: &partial.validator, final: fin)
            {
                return .failure(violation)
            }
            var more = payload
            partial.payload.writeBuffer(&more)
            guard fin else {
                self.partial = partial
                return .success(nil)
            }
            return self.complete(partial.kind, partial.payload, compressed: partial.compressed)
        }

        guard self.partial == nil else {
            return .failure(ProtocolViolation(closeCode: .protocolError, "new message started inside a fragmented one"))
        }
        precondition(!compressed || self.decompressor != nil, "RSV1 accepted without permessage-deflate")
        if let violation = self.sizeViolation(payload.readableBytes, compressed: compressed) {
            return .failure(violation)
        }
        let kind: Kind = opcode == .text ? .text : .binary
        var validator = UTF8Validator()
        if kind == .text, !compressed, let violation = Self.validate(payload, with: &validator, final: fin) {
            return .failure(violation)
        }
        guard fin else {
            self.partial = Partial(kind: kind, payload: payload, validator: validator, compressed: compressed)
            return .success(nil)
        }
        return self.complete(kind, payload, compressed: compressed)
    }

    /// The finished message: as it is, or inflated and, for text, checked to be UTF-8 (RFC 7692 section 6.2
    /// and RFC 6455 section 8.1, which applies to the inflated text).
    private func complete(_ kind: Kind, _ payload: ByteBuffer, compressed: Bool) -> Result<
        SessionEvent?, ProtocolViolation
    > {
        guard compressed, let decompressor = self.decompressor else {
            return .success(Self.event(kind, payload))
        }
        let message: ByteBuffer
        do {
            message = try decompressor.decompress(payload, limit: self.maxMessageSize)
        } catch {
            return .failure(self.inflateViolation(error))
        }
        if kind == .text, !message.withUnsafeReadableBytes({ UTF8Validator.isValid($0) }) {
            return .failure(ProtocolViolation(closeCode: .invalidPayloadData, "text message is not valid UTF-8"))
        }
        return .success(Self.event(kind, message))
    }

    private static func event(_ kind: Kind, _ payload: ByteBuffer) -> SessionEvent {
        switch kind {
        case .text: .text(payload)
        case .binary: .binary(payload)
        }
    }

    private static func validate(_ payload: ByteBuffer, with validator: inout UTF8Validator, final: Bool)
        -> ProtocolViolation?
    {
        let valid = payload.withUnsafeReadableBytes { validator.consume($0) }
        guard valid, !final || validator.isAtBoundary else {
            return ProtocolViolation(closeCode: .invalidPayloadData, "text message is not valid UTF-8")
        }
        return nil
    }

    /// A message over the limit so far; compressed bytes are held to what a message of the limit can take.
    private func sizeViolation(_ size: Int, compressed: Bool) -> ProtocolViolation? {
        let limit = compressed ? Self.compressedSizeLimit(forMessageSize: self.maxMessageSize) : self.maxMessageSize
        guard size > limit else { return nil }
        return ProtocolViolation(
            closeCode: .messageTooBig,
            "message of more than \(self.maxMessageSize) bytes; \(size) bytes so far"
                + (compressed ? " compressed" : ""),
            limit: .maxMessageSize
        )
    }

    /// Too big once inflated is 1009; data that is not deflate is 1007, the code for a payload that does not
    /// match its message (RFC 6455 section 7.4.1).
    private func inflateViolation(_ error: PerMessageDeflateError) -> ProtocolViolation {
        if error == .limitExceeded {
            return ProtocolViolation(
                closeCode: .messageTooBig,
                "compressed message inflates to more than \(self.maxMessageSize) bytes",
                limit: .maxMessageSize
            )
        }
        // corruptData is the peer's fault; zlibFailure (out of memory) is ours, and 1011 says so.
        let code: CloseCode = error.isCorruptData ? .invalidPayloadData : .internalServerError
        return ProtocolViolation(closeCode: code, error.description)
    }
}
