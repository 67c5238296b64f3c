"""A wss:// test peer that reports how the client ends TLS, for wsc's close_notify tests.

asyncio's TLS transport treats a close_notify and a bare TCP end alike, so this peer drives OpenSSL through
memory BIOs on a blocking socket (standard library only) and sees every record. It listens on 127.0.0.1,
prints "PORT <n>", and serves one connection at a time:

  --close-by client  echo text messages; answer the client's Close, then wait for the end of TLS
  --close-by server  send Close 1000 once the client's first message arrived, then (--end) either close_notify
                     at once and wait for the client's answer ("close-notify"), or drop TCP without
                     close_notify ("abort"); or (--end corrupt) send a text frame in a TLS record with one
                     byte of its authentication tag flipped, and wait for the client's end of TLS

and prints "CONNECTED", "CLOSE <code>" for the client's Close frame, then one of "TLS CLOSE_NOTIFY" (the
client sent close_notify), "TLS EOF WITHOUT CLOSE_NOTIFY" (TCP ended without it), or "TLS ERROR <reason>".
"""

import argparse
import base64
import hashlib
import socket
import ssl
import sys

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def report(line):
    print(line, flush=True)


class TLSStream:
    """Server-side TLS over a blocking socket, with OpenSSL's input and output in memory BIOs."""

    def __init__(self, sock, context):
        self.sock = sock
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_side=True)
        self.buffer = b""

    def flush(self):
        data = self.outgoing.read()
        if data:
            self.sock.sendall(data)

    def fill(self):
        data = self.sock.recv(1 << 16)
        if data:
            self.incoming.write(data)
        else:
            self.incoming.write_eof()

    def handshake(self):
        while True:
            try:
                self.tls.do_handshake()
                self.flush()
                return
            except ssl.SSLWantReadError:
                self.flush()
                self.fill()

    def read_some(self):
        """Decrypted bytes; b"" once the client's close_notify arrived. SSLEOFError: TCP ended without it."""
        while True:
            try:
                return self.tls.read(1 << 16)
            except ssl.SSLZeroReturnError:
                return b""
            except ssl.SSLWantReadError:
                self.flush()
                self.fill()

    def read_exactly(self, count):
        while len(self.buffer) < count:
            data = self.read_some()
            if not data:
                raise EOFError("close_notify in the middle of a frame")
            self.buffer += data
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def write(self, data):
        self.tls.write(data)
        self.flush()

    def send_close_notify(self):
        try:
            self.tls.unwrap()
        except ssl.SSLWantReadError:
            pass  # sent; the client's close_notify is read like data
        self.flush()


def read_frame(stream):
    head = stream.read_exactly(2)
    length = head[1] & 0x7F
    if length == 126:
        length = int.from_bytes(stream.read_exactly(2), "big")
    elif length == 127:
        length = int.from_bytes(stream.read_exactly(8), "big")
    mask = stream.read_exactly(4) if head[1] & 0x80 else b"\0\0\0\0"
    data = bytes(b ^ mask[i % 4] for i, b in enumerate(stream.read_exactly(length)))
    return head[0] & 0x0F, data


def frame(opcode, payload):
    length = len(payload)
    if length < 126:
        header = bytes([0x80 | opcode, length])
    elif length < 1 << 16:
        header = bytes([0x80 | opcode, 126]) + length.to_bytes(2, "big")
    else:
        header = bytes([0x80 | opcode, 127]) + length.to_bytes(8, "big")
    return header + payload


def accept_handshake(stream):
    request = b""
    while b"\r\n\r\n" not in request:
        data = stream.read_some()
        if not data:
            raise EOFError("close_notify before the upgrade request")
        request += data
    key = ""
    for line in request.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-key":
            key = value.strip()
    accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    stream.write(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
    )
    report("CONNECTED")


def wait_for_close(stream, echo):
    """Reads frames until the client's Close, echoing text if asked; returns its code."""
    while True:
        opcode, data = read_frame(stream)
        if opcode == 8:
            code = int.from_bytes(data[:2], "big") if len(data) >= 2 else 1005
            report(f"CLOSE {code}")
            return code
        if echo and opcode == 1:
            stream.write(frame(1, data))


def report_end_of_tls(stream):
    """Reads to the end of the client's TLS stream; returns whether it ended with close_notify."""
    try:
        while stream.read_some():
            pass
    except ssl.SSLEOFError:
        report("TLS EOF WITHOUT CLOSE_NOTIFY")
        return False
    report("TLS CLOSE_NOTIFY")
    return True


def serve_one(sock, context, args):
    stream = TLSStream(sock, context)
    stream.handshake()
    accept_handshake(stream)
    if args.close_by == "client":
        code = wait_for_close(stream, echo=True)
        stream.write(frame(8, code.to_bytes(2, "big")))
        if report_end_of_tls(stream):
            stream.send_close_notify()
        return
    # Waiting for a message first keeps the Close out of the reads that complete the opening handshake, so
    # that these cases are about how TLS ends and nothing else.
    read_frame(stream)
    if args.end == "close-notify":
        stream.write(frame(8, (1000).to_bytes(2, "big") + b"bye"))
        stream.send_close_notify()
        wait_for_close(stream, echo=False)
        report_end_of_tls(stream)
    elif args.end == "corrupt":
        stream.tls.write(frame(1, b"tampered"))
        record = bytearray(stream.outgoing.read())
        record[-1] ^= 0x01
        sock.sendall(record)
        report_end_of_tls(stream)
    else:
        stream.write(frame(8, (1000).to_bytes(2, "big") + b"bye"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-cert", required=True)
    parser.add_argument("--tls-key", required=True)
    parser.add_argument("--close-by", choices=["client", "server"], default="client")
    parser.add_argument("--end", choices=["close-notify", "abort", "corrupt"], default="close-notify")
    args = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.tls_cert, args.tls_key)
    listener = socket.create_server(("127.0.0.1", 0))
    report(f"PORT {listener.getsockname()[1]}")
    while True:
        sock, _ = listener.accept()
        try:
            serve_one(sock, context, args)
        except (OSError, EOFError, ssl.SSLError) as error:
            report(f"TLS ERROR {error}")
        finally:
            sock.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
