import COpenSSL
import NIOCore
import NIOHTTP1

/// The server's side of the opening handshake (RFC 6455 section 4.2), as a value: bytes and the end of the
/// stream go in, what to answer comes out.
///
/// A valid upgrade request hands every byte behind its head to the session in the same step, so a client's
/// first frames, sent with the request, are never lost.
struct ServerHandshakeStateMachine {
    private enum State {
        /// Waiting for the request head; the bytes so far.
        case awaitingRequest(ByteBuffer)
        /// The handshake ended one way or the other.
        case finished
    }

    /// What the handler does next.
    enum Action {
        /// Nothing yet: more bytes are needed.
        case none
        /// A valid upgrade request: answer 101 with this `Sec-WebSocket-Accept` value, start the session and
        /// hand it `leftover`, the bytes that came behind the request.
        case accept(HTTPRequestHead, acceptValue: String, leftover: ByteBuffer)
        /// Answer with this error status and close; `reason` says why, for the listener's log.
        case refuse(Refusal)
        /// The client went away before its request was complete.
        case closedBeforeRequest
    }

    /// An HTTP error answer to a request that is not a valid WebSocket upgrade.
    struct Refusal: Error, Equatable {
        /// 400, or 426 for a request that is not an upgrade or speaks another WebSocket version.
        var status: HTTPResponseStatus
        /// Why, in a few words.
        var reason: String
    }

    /// The GUID of RFC 6455 section 1.3, appended to the key before hashing.
    private static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    private var state = State.awaitingRequest(ByteBuffer())

    /// Bytes arrived from the client.
    mutating func received(_ bytes: ByteBuffer) -> Action {
        guard case .awaitingRequest(var buffer) = self.state else {
            return .none
        }
        buffer.writeImmutableBuffer(bytes)
        let raw: HTTPHeadReader.Head
        do {
            guard let head = try HTTPHeadReader.read(from: &buffer) else {
                self.state = .awaitingRequest(buffer)
                return .none
            }
            raw = head
        } catch {
            self.state = .finished
            return .refuse(Refusal(status: .badRequest, reason: "the request is not valid HTTP: \(error)"))
        }
        self.state = .finished
        switch Self.check(raw) {
        case .success(let (request, accept)):
            return .accept(request, acceptValue: accept, leftover: buffer)
        case .failure(let refusal):
            return .refuse(refusal)
        }
    }

    /// The client closed its side of the connection (or the connection failed).
    mutating func inputEnded() -> Action {
        switch self.state {
        case .awaitingRequest:
            self.state = .finished
            return .closedBeforeRequest
        case .finished:
            return .none
        }
    }

    /// The checks of RFC 6455 section 4.2.1, in its order; returns the request and its accept value.
    private static func check(_ raw: HTTPHeadReader.Head) -> Result<(HTTPRequestHead, String), Refusal> {
        let parts = raw.startLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, let version = HTTPHeadReader.version(parts[2]), !parts[1].isEmpty else {
            return .failure(Refusal(status: .badRequest, reason: "malformed request line"))
        }
        let request = HTTPRequestHead(
            version: version,
            method: HTTPMethod(rawValue: String(parts[0])),
            uri: String(parts[1]),
            headers: raw.headers
        )
        let headers = request.headers
        guard headers[canonicalForm: "Upgrade"].contains(where: { $0.lowercased() == "websocket" }) else {
            return .failure(Refusal(status: .upgradeRequired, reason: "not a WebSocket upgrade request"))
        }
        guard request.method == .GET else {
            return .failure(Refusal(status: .badRequest, reason: "upgrade request with method \(parts[0]), not GET"))
        }
        guard version.major == 1 && version.minor >= 1 || version.major > 1 else {
            return .failure(Refusal(status: .badRequest, reason: "upgrade request over HTTP/1.0"))
        }
        guard headers.contains(name: "Host") else {
            return .failure(Refusal(status: .badRequest, reason: "upgrade request without Host"))
        }
        guard headers[canonicalForm: "Connection"].contains(where: { $0.lowercased() == "upgrade" }) else {
            return .failure(Refusal(status: .badRequest, reason: "upgrade request without 'Connection: Upgrade'"))
        }
        let keys = headers["Sec-WebSocket-Key"]
        guard keys.count == 1, let key = keys.first, Self.isValidKey(key) else {
            return .failure(
                Refusal(status: .badRequest, reason: "Sec-WebSocket-Key is not 16 bytes in base64")
            )
        }
        guard headers["Sec-WebSocket-Version"] == ["13"] else {
            return .failure(Refusal(status: .upgradeRequired, reason: "WebSocket version is not 13"))
        }
        return .success((request, Self.acceptValue(forKey: key)))
    }

    /// Whether `key` is 16 bytes in base64 (section 4.2.1, item 5): 22 characters of the alphabet, then `==`.
    private static func isValidKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard bytes.count == 24, bytes[22...] == [UInt8(ascii: "="), UInt8(ascii: "=")] else {
            return false
        }
        return bytes[..<22].allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                true
            default:
                false
            }
        }
    }

    /// `Sec-WebSocket-Accept`: the base64 of the SHA-1 of the key and the GUID (section 4.2.2, item 5.4).
    static func acceptValue(forKey key: String) -> String {
        let input = Array((key + Self.acceptGUID).utf8)
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        wsc_OPENSSL_init_without_cleanup_at_exit()
        _ = SHA1(input, input.count, &digest)
        return Base64.encode(digest)
    }
}
