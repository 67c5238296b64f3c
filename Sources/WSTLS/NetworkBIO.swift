import COpenSSL
import NIOCore

/// The BIO between OpenSSL and NIO (`BIO_meth_new(3)`): OpenSSL reads the peer's ciphertext straight out of
/// the `ByteBuffer` the channel received, and appends its records straight to the `ByteBuffer` that goes to
/// the socket.
///
/// A pair of `BIO_s_mem(3)` BIOs would copy every byte once more each way, and grow with `realloc(3)` and
/// zero-fill whenever a large message is encrypted in one call; at 1 MiB messages that cost more than the
/// cipher. Not thread-safe, like the `TLSConnection` that owns it.
final class NetworkBIO {
    /// The BIO itself; `SSL_set_bio(3)` hands its one reference to the `SSL` object, which frees it.
    let bio: OpaquePointer
    /// Ciphertext from the peer that OpenSSL has not read yet; `nil` once read, so that NIO can reuse its
    /// receive buffer.
    private var input: ByteBuffer?
    /// Ciphertext from OpenSSL that has not been taken for the socket yet.
    private var output: ByteBuffer?
    private let allocator = ByteBufferAllocator()

    /// Creates the BIO. Whoever owns the `SSL` object the BIO is given to must keep this object alive as long
    /// as that `SSL` object: the BIO points back at it without a reference.
    init() {
        self.bio = BIO_new(Self.method)!
        BIO_set_data(self.bio, Unmanaged.passUnretained(self).toOpaque())
        BIO_set_init(self.bio, 1)
    }

    /// Bytes received and not yet read by OpenSSL.
    var inputCount: Int {
        self.input?.readableBytes ?? 0
    }

    /// Bytes OpenSSL has written and nobody has taken yet.
    var outputCount: Int {
        self.output?.readableBytes ?? 0
    }

    /// Queues `ciphertext` for OpenSSL, without a copy unless bytes of an earlier read are still waiting.
    func receive(_ ciphertext: ByteBuffer) {
        if self.input == nil {
            self.input = ciphertext
        } else {
            self.input!.writeImmutableBuffer(ciphertext)
        }
    }

    /// Makes room for at least `count` more bytes of output, so that a large write fills one allocation.
    func reserveOutput(_ count: Int) {
        if self.output == nil {
            self.output = self.allocator.buffer(capacity: count)
        } else {
            self.output!.reserveCapacity(minimumWritableBytes: count)
        }
    }

    /// Drops all output but the first `count` bytes.
    func discardOutput(keeping count: Int) {
        guard let readerIndex = self.output?.readerIndex else {
            return
        }
        self.output!.moveWriterIndex(to: readerIndex + min(count, self.outputCount))
    }

    /// Everything OpenSSL has written since the last call, or `nil` when there is nothing.
    func takeOutput() -> ByteBuffer? {
        defer { self.output = nil }
        return self.output
    }

    /// Copies up to `count` input bytes to `target`; 0 when there are none.
    private func read(into target: UnsafeMutableRawPointer, count: Int) -> Int {
        let copied =
            self.input?.readWithUnsafeReadableBytes { bytes in
                let copied = min(count, bytes.count)
                target.copyMemory(from: bytes.baseAddress!, byteCount: copied)
                return copied
            } ?? 0
        if self.input?.readableBytes == 0 {
            self.input = nil
        }
        return copied
    }

    private func write(_ bytes: UnsafeRawBufferPointer) {
        if self.output == nil {
            self.output = self.allocator.buffer(capacity: bytes.count)
        }
        self.output!.writeBytes(bytes)
    }

    private static func from(_ bio: OpaquePointer?) -> NetworkBIO {
        Unmanaged<NetworkBIO>.fromOpaque(BIO_get_data(bio)!).takeUnretainedValue()
    }

    /// The method table, made once and never freed: every BIO made from it points at it.
    private nonisolated(unsafe) static let method: OpaquePointer = {
        let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "wsc network")!
        // Like BIO_s_mem(3) when it is empty: "retry later", never end of file. The end of the TCP stream is
        // the channel's business (channelInactive), not OpenSSL's.
        BIO_meth_set_read_ex(method) { bio, target, count, readBytes in
            wsc_BIO_clear_retry_flags(bio)
            let copied = NetworkBIO.from(bio).read(into: target!, count: count)
            readBytes!.pointee = copied
            guard copied > 0 else {
                wsc_BIO_set_retry_read(bio)
                return 0
            }
            return 1
        }
        // The output buffer grows as needed: a write always completes.
        BIO_meth_set_write_ex(method) { bio, source, count, written in
            wsc_BIO_clear_retry_flags(bio)
            NetworkBIO.from(bio).write(UnsafeRawBufferPointer(start: source, count: count))
            written!.pointee = count
            return 1
        }
        BIO_meth_set_ctrl(method) { bio, command, _, _ in
            switch command {
            case BIO_CTRL_FLUSH:
                // Output waits in the buffer for the handler, which sends it.
                return 1
            case BIO_CTRL_PENDING:
                return Int(NetworkBIO.from(bio).inputCount)
            case BIO_CTRL_WPENDING:
                return Int(NetworkBIO.from(bio).outputCount)
            default:
                // Everything else (kTLS, datagram and file controls) is unsupported, which 0 says.
                return 0
            }
        }
        return method
    }()
}
