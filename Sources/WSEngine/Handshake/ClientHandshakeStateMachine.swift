import NIOCore
import NIOHTTP1

/// The client's side of the opening handshake after the request is sent (RFC 6455 section 4.1), as a value:
/// bytes and the end of the stream go in, what to do comes out.
///
/// A 101 hands every byte behind its head to the session, in the same step; any other answer is read on
/// until its body's first bytes are in (for a verbose report) and then reported.
struct ClientHandshakeStateMachine {
    private enum State {
        /// Waiting for the response head; the bytes so far.
        case awaitingHead(ByteBuffer)
        /// A refusal's head arrived; collecting the start of its body.
        case readingRefusal(HTTPResponseHead, RefusalBody)
        /// The handshake ended one way or the other.
        case finished
    }

    /// What the handler does next.
    enum Action {
        /// Nothing yet: more bytes are needed.
        case none
        /// The server switched protocols: check the head, start the session, and hand it `leftover`, the
        /// bytes that came behind the head (then the end of the stream, if `inputEnded`).
        case upgrade(HTTPResponseHead, leftover: ByteBuffer)
        /// The server answered with another status: report it with the start of its body, and close.
        case refuse(HTTPResponseHead, body: String)
        /// The answer is not HTTP, or the connection ended before a head: fail the handshake and close.
        case fail(Failure)
    }

    /// Why the handshake failed before a complete answer.
    enum Failure: Error, Equatable {
        /// The connection ended before the response head was complete.
        case closedBeforeResponse
        /// The response is not valid HTTP/1.1; why.
        case malformedResponse(String)
    }

    private var state = State.awaitingHead(ByteBuffer())

    /// Bytes arrived from the server.
    mutating func received(_ bytes: ByteBuffer) -> Action {
        switch self.state {
        case .awaitingHead(var buffer):
            buffer.writeImmutableBuffer(bytes)
            return self.readHead(from: buffer)
        case .readingRefusal(let head, var body):
            body.append(bytes)
            guard body.isComplete else {
                self.state = .readingRefusal(head, body)
                return .none
            }
            self.state = .finished
            return .refuse(head, body: body.text)
        case .finished:
            return .none
        }
    }

    /// The server closed its side of the connection (or the connection failed).
    mutating func inputEnded() -> Action {
        switch self.state {
        case .awaitingHead:
            self.state = .finished
            return .fail(.closedBeforeResponse)
        case .readingRefusal(let head, let body):
            self.state = .finished
            return .refuse(head, body: body.text)
        case .finished:
            return .none
        }
    }

    private mutating func readHead(from buffer: ByteBuffer) -> Action {
        var buffer = buffer
        let head: HTTPResponseHead
        do {
            guard let raw = try HTTPHeadReader.read(from: &buffer) else {
                self.state = .awaitingHead(buffer)
                return .none
            }
            head = try Self.responseHead(raw)
        } catch {
            self.state = .finished
            return .fail(.malformedResponse("\(error)"))
        }
        switch head.status.code {
        case 101:
            self.state = .finished
            return .upgrade(head, leftover: buffer)
        case 100..<200:
            // An interim response (100 Continue, 103 Early Hints): the real answer follows.
            return self.readHead(from: buffer)
        default:
            self.state = .readingRefusal(head, RefusalBody(head: head))
            return self.received(buffer)
        }
    }

    /// Parses a status line, `HTTP/1.1 101 Switching Protocols` (RFC 9112 section 4).
    private static func responseHead(_ raw: HTTPHeadReader.Head) throws(Failure) -> HTTPResponseHead {
        let parts = raw.startLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let version = HTTPHeadReader.version(parts[0]), parts[1].count == 3,
            let code = Int(parts[1]), code >= 100
        else {
            throw .malformedResponse("malformed status line '\(raw.startLine.prefix(80))'")
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        return HTTPResponseHead(
            version: version,
            status: HTTPResponseStatus(statusCode: code, reasonPhrase: reason),
            headers: raw.headers
        )
    }
}

/// The first bytes of a refusal's body, kept for a verbose report: as many as ``limit``, or fewer when the body ends
/// sooner (by its `Content-Length`, its last chunk, or a status that has no body).
struct RefusalBody {
    /// How much of the body is kept.
    static let limit = 512

    private let expectedLength: Int?
    private let chunked: Bool
    private var raw = ByteBuffer()

    /// Prepares for the body that `head` announces.
    init(head: HTTPResponseHead) {
        let noBody = head.status.code == 204 || head.status.code == 304
        self.chunked = head.headers["Transfer-Encoding"].contains { $0.lowercased().contains("chunked") }
        self.expectedLength = noBody ? 0 : head.headers.first(name: "Content-Length").flatMap { Int($0) }
    }

    /// Keeps what fits of `bytes`.
    mutating func append(_ bytes: ByteBuffer) {
        var bytes = bytes
        // A chunked body's framing takes room too: keep enough raw bytes for the limit's worth of data.
        let room = Self.limit * (self.chunked ? 4 : 1) - self.raw.readableBytes
        if room > 0, let slice = bytes.readSlice(length: min(room, bytes.readableBytes)) {
            self.raw.writeImmutableBuffer(slice)
        }
    }

    /// Whether nothing more of the body is needed.
    var isComplete: Bool {
        if self.chunked {
            let (data, ended) = self.decodedChunks()
            return ended || data.count >= Self.limit || self.raw.readableBytes >= Self.limit * 4
        }
        return self.raw.readableBytes >= min(self.expectedLength ?? Self.limit, Self.limit)
    }

    /// The body kept so far, as text.
    var text: String {
        let data = self.chunked ? self.decodedChunks().data : Array(self.raw.readableBytesView)
        return String(decoding: data.prefix(Self.limit), as: UTF8.self)
    }

    /// The data of the complete chunks kept (RFC 9112 section 7.1), and whether the last chunk was seen.
    private func decodedChunks() -> (data: [UInt8], ended: Bool) {
        var raw = self.raw
        var data: [UInt8] = []
        while let line = raw.readLine(), let size = Int(line.prefix { $0 != ";" }.filter { $0 != " " }, radix: 16) {
            if size == 0 {
                return (data, true)
            }
            guard let chunk = raw.readBytes(length: min(size, raw.readableBytes)) else { break }
            data += chunk
            guard chunk.count == size, raw.readLine() != nil else { break }
        }
        return (data, false)
    }
}

extension ByteBuffer {
    /// Reads a line ending in LF (its CR dropped), or returns `nil` and reads nothing.
    fileprivate mutating func readLine() -> Substring? {
        guard let newline = self.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            return nil
        }
        let bytes = self.readBytes(length: newline - self.readerIndex + 1)!.dropLast()
        return Substring(decoding: bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes, as: UTF8.self)
    }
}
