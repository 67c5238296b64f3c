import NIOCore
import NIOHTTP1

/// Finds one HTTP/1.1 message head (RFC 9112 section 2.1) at the start of the bytes received so far and
/// splits it into its start line and fields, leaving whatever follows it in the buffer untouched.
///
/// The opening handshake is the one HTTP exchange on a WebSocket connection, and what follows its head is
/// already the WebSocket stream: reading the head ourselves means no byte behind it (nor the end of the
/// stream) can be lost while the pipeline changes protocols, whatever the packet boundaries.
enum HTTPHeadReader {
    /// The largest head accepted; a peer that sends more without ending its head is refused.
    static let maximumHeadSize = 64 * 1024

    /// A head split into its parts; the bytes are read as UTF-8 with invalid sequences replaced.
    struct Head: Equatable {
        /// The first line: a status line or a request line.
        var startLine: String
        /// The fields in the order they arrived.
        var fields: [HeaderField]

        /// The fields as NIO's collection, for the types the rest of the engine uses.
        var headers: HTTPHeaders {
            HTTPHeaders(self.fields.map { ($0.name, $0.value) })
        }
    }

    /// Why a head could not be read.
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// No empty line within ``maximumHeadSize`` bytes.
        case tooLarge
        /// A field line without a colon, or with a name that is not a token (RFC 9110 section 5.1).
        case malformedField(String)

        var description: String {
            switch self {
            case .tooLarge:
                "its head is larger than \(HTTPHeadReader.maximumHeadSize / 1024) KiB"
            case .malformedField(let line):
                "malformed header line '\(line.prefix(80))'"
            }
        }
    }

    /// Reads a head from the start of `buffer`, consuming it, or returns `nil` (consuming nothing) when the
    /// head is not complete yet. Lines may end in CR LF or, as RFC 9112 section 2.2 lets a recipient accept,
    /// in a bare LF.
    static func read(from buffer: inout ByteBuffer) throws(Failure) -> Head? {
        let end: Int? = buffer.withUnsafeReadableBytes { bytes in
            var index = 0
            while let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) {
                var next = newline + 1
                if next < bytes.count, bytes[next] == UInt8(ascii: "\r") {
                    next += 1
                }
                if next < bytes.count, bytes[next] == UInt8(ascii: "\n") {
                    return next + 1
                }
                index = newline + 1
            }
            return nil
        }
        guard let end else {
            if buffer.readableBytes > Self.maximumHeadSize {
                throw .tooLarge
            }
            return nil
        }
        guard end <= Self.maximumHeadSize, let bytes = buffer.readBytes(length: end) else {
            throw .tooLarge
        }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
        }
        // A client may send empty lines before a request line (RFC 9112 section 2.2).
        while lines.first?.isEmpty == true && lines.count > 2 {
            lines.removeFirst()
        }
        var head = Head(startLine: lines.removeFirst(), fields: [])
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t" {
                // An obsolete line folding: the line continues the previous field's value (section 5.2).
                guard let last = head.fields.popLast() else {
                    throw .malformedField(line)
                }
                head.fields.append(HeaderField(name: last.name, value: last.value + " " + Self.trimmed(line[...])))
                continue
            }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                HTTPSyntax.firstNonTokenCharacter(in: line[..<colon]) == nil
            else {
                throw .malformedField(line)
            }
            let value = line[line.index(after: colon)...]
            head.fields.append(HeaderField(name: String(line[..<colon]), value: Self.trimmed(value)))
        }
        return head
    }

    /// `HTTP/1.1` as a version, or `nil` when the text is not an HTTP version.
    static func version(_ text: Substring) -> HTTPVersion? {
        let bytes = Array(text.utf8)
        guard bytes.count == 8, text.hasPrefix("HTTP/"), bytes[6] == UInt8(ascii: "."),
            let major = Int(text.dropFirst(5).prefix(1)), let minor = Int(text.suffix(1))
        else {
            return nil
        }
        return HTTPVersion(major: major, minor: minor)
    }

    /// `text` without the spaces and tabs around it (RFC 9112 section 5: optional whitespace), done on its UTF-8
    /// bytes: the generic reversed collections it was done with cost about 1.5 million instructions at start.
    private static func trimmed(_ text: Substring) -> String {
        let bytes = text.utf8
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) })
        else {
            return ""
        }
        return String(text[first...last])
    }
}

extension ChannelInboundHandler where Self: RemovableChannelHandler, InboundOut == ByteBuffer {
    /// Ends an opening handshake whose session is installed behind this handler: the bytes that came behind
    /// the head go to the session first, then the handler leaves the pipeline, so that the end of the stream,
    /// when it comes, reaches the session too. Called within the read that completed the head.
    func handOver(_ leftover: ByteBuffer, context: ChannelHandlerContext) {
        if leftover.readableBytes > 0 {
            context.fireChannelRead(Self.wrapInboundOut(leftover))
            context.fireChannelReadComplete()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
