"""A protocol check of the C echo server itself, so a wrong server cannot make a client look right or wrong."""

import base64
import hashlib
import os
import socket
import struct

from .errors import BenchError

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3


def _frame(opcode, payload, fin=True):
    key = os.urandom(4)
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class _Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""
        key = base64.b64encode(os.urandom(16))
        self.sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
        while b"\r\n\r\n" not in self.buf:
            self._more()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        if not head.startswith(b"HTTP/1.1 101") or b"Sec-WebSocket-Accept: " + accept not in head:
            raise BenchError(f"echo server self-check: bad upgrade response {head!r}")

    def _more(self):
        data = self.sock.recv(65536)
        if not data:
            raise BenchError("echo server self-check: connection closed early")
        self.buf += data

    def _parse(self):
        b = self.buf
        if len(b) < 2:
            return None
        n, at = b[1] & 0x7F, 2
        if n == 126:
            if len(b) < 4:
                return None
            n, at = struct.unpack("!H", b[2:4])[0], 4
        elif n == 127:
            if len(b) < 10:
                return None
            n, at = struct.unpack("!Q", b[2:10])[0], 10
        if len(b) < at + n:
            return None
        self.buf = b[at + n:]
        return (b[0] >> 7, b[0] & 0x0F, b[at:at + n])

    def recv(self):
        """The next server frame as (fin, opcode, payload)."""
        while (frame := self._parse()) is None:
            self._more()
        return frame

    def expect(self, what, want):
        got = self.recv()
        if got != want:
            raise BenchError(f"echo server self-check, {what}: expected frame {want!r}, got {got!r}")

    def expect_eof(self, what):
        try:
            data = self.sock.recv(1)
        except OSError:
            data = b""
        if data:
            raise BenchError(f"echo server self-check, {what}: expected the server to close the connection")


def check_server(port_plain, port_close_after_2):
    """Fragmentation, ping, binary, close-echo on one server; --close-after 2 on the other."""
    c = _Conn(port_plain)
    c.sock.sendall(_frame(0x1, b"he", fin=False) + _frame(0x9, b"p") + _frame(0x0, b"ll", fin=False)
                   + _frame(0x0, b"o") + _frame(0x2, bytes(range(200))) + _frame(0x1, b"x" * 70000))
    c.expect("first fragment", (0, 0x1, b"he"))
    c.expect("pong", (1, 0xA, b"p"))
    c.expect("continuation", (0, 0x0, b"ll"))
    c.expect("last fragment", (1, 0x0, b"o"))
    c.expect("binary", (1, 0x2, bytes(range(200))))
    frame = c.recv()
    if frame[:2] != (1, 0x1):
        raise BenchError(f"echo server self-check: 70000-byte text echo came back as {frame[:2]}")
    c.sock.sendall(_frame(0x8, struct.pack("!H", 1000)))
    c.expect("close echo", (1, 0x8, struct.pack("!H", 1000)))
    c.expect_eof("after the closing handshake")
    c.sock.close()

    c = _Conn(port_close_after_2)
    c.sock.sendall(_frame(0x1, b"a") + _frame(0x1, b"b") + _frame(0x1, b"dropped"))
    c.expect("message 1", (1, 0x1, b"a"))
    c.expect("message 2", (1, 0x1, b"b"))
    c.expect("close after 2", (1, 0x8, struct.pack("!H", 1000)))
    c.sock.sendall(_frame(0x8, struct.pack("!H", 1000)))
    c.expect_eof("after the client's Close reply")
    c.sock.close()
