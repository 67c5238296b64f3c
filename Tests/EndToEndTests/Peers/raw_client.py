"""A hostile raw-TCP WebSocket client for the end-to-end tests of `wsc --listen`: it completes the opening
handshake (or, with --plain-http, sends a plain GET and prints the status line), sends the exact frame
bytes it is given, and prints "PING <payload>" for each ping it is sent (and answers none), "CLOSE <code>"
for the server's Close frame, or "EOF". With --together it writes the request and the frames in one
sendall and then shuts its side down (FIN) without waiting for the answer; --repeat runs it N times, one
connection after the other. --zeros N adds a binary frame of N zero bytes; --no-wait exits once all is sent.
--read-after-stdin reads nothing from the server until a line arrives on stdin (with a small receive buffer,
so that the kernel holds little for it), then prints "MESSAGES <n>", the data frames ahead of the Close.
--bombs N opens N connections that offer permessage-deflate, each sending one compressed frame that
inflates to --bomb-size zero bytes together with its request, and then reading nothing but the 101; prints
"SENT <n>" once all are answered, and holds them open until a line arrives on stdin.
--idle N opens N connections that send nothing, prints "OPEN <n>", and holds them until a line on stdin; with
--sessions M, M connections that complete the opening handshake and then read nothing come first, and count in
"OPEN <n>". Standard library only.
"""

import argparse
import base64
import os
import socket
import sys
import zlib


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--send", action="append", default=[], help="hex bytes sent after the handshake")
    parser.add_argument("--plain-http", action="store_true")
    parser.add_argument("--silent", action="store_true", help="send nothing; print EOF when the server hangs up")
    parser.add_argument("--together", action="store_true", help="request, frames and FIN in one write")
    parser.add_argument("--repeat", type=int, default=1, help="connections, one after the other")
    parser.add_argument("--zeros", type=int, default=0, help="then a binary frame of this many zero bytes")
    parser.add_argument("--no-wait", action="store_true", help="exit once everything is sent")
    parser.add_argument("--read-after-stdin", action="store_true", help="read nothing until a line on stdin")
    parser.add_argument("--bombs", type=int, default=0, help="connections sending a deflate bomb each")
    parser.add_argument("--bomb-size", type=int, default=16 << 20, help="what each bomb inflates to")
    parser.add_argument("--idle", type=int, default=0, help="connections that send nothing")
    parser.add_argument("--sessions", type=int, default=0, help="idle connections past their handshake first")
    args = parser.parse_args()
    if args.idle or args.sessions:
        connections = [open_session(args.port) for _ in range(args.sessions)]
        connections += [socket.create_connection(("127.0.0.1", args.port), timeout=20) for _ in range(args.idle)]
        print(f"OPEN {len(connections)}", flush=True)
        sys.stdin.readline()
        return
    if args.bombs:
        run_bombs(args)
        return
    for _ in range(args.repeat):
        run_once(args)


def upgrade_request(extensions=""):
    """An opening handshake request with a fresh key, and the extension offer given, if any."""
    key = base64.b64encode(os.urandom(16)).decode()
    offer = f"Sec-WebSocket-Extensions: {extensions}\r\n" if extensions else ""
    return (f"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{offer}\r\n").encode()


def read_response_head(sock):
    """The server's answer up to its empty line, read a byte at a time so that no frame is taken with it;
    None if the server hangs up first."""
    response = b""
    while b"\r\n\r\n" not in response:
        byte = sock.recv(1)
        if not byte:
            return None
        response += byte
    return response


def open_session(port):
    """A connection whose opening handshake is complete: the server has answered 101."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    sock.sendall(upgrade_request())
    response = read_response_head(sock)
    if response is None or not response.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(f"no 101: {response!r}")
    return sock


def run_bombs(args):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(bytes(args.bomb_size)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    data = data[:-4]
    # RSV1, binary, masked with the key 0 (so the payload goes as it is).
    frame = bytes([0xC2, 0xFF]) + len(data).to_bytes(8, "big") + bytes(4) + data
    connections = []
    # Every request goes out with its bomb before any answer is read, so that they all arrive together.
    for _ in range(args.bombs):
        sock = socket.create_connection(("127.0.0.1", args.port), timeout=60)
        sock.sendall(upgrade_request("permessage-deflate") + frame)
        connections.append(sock)
    for sock in connections:
        response = read_response_head(sock) or b""
        if b"permessage-deflate" not in response:
            print(f"NOT NEGOTIATED {response[:40]!r}", flush=True)
            return
    print(f"SENT {len(connections)}", flush=True)
    sys.stdin.readline()
    for sock in connections:
        sock.close()


def run_once(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(20)
    if args.read_after_stdin:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sock.connect(("127.0.0.1", args.port))
    if args.silent:
        print("CONNECTED", flush=True)
        print("EOF" if sock.recv(1) == b"" else "DATA", flush=True)
        return
    if args.plain_http:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        print(sock.recv(4096).split(b"\r\n")[0].decode(), flush=True)
        return
    request = upgrade_request()
    frames = b"".join(bytes.fromhex(frame) for frame in args.send)
    if args.zeros:
        frames += bytes([0x82, 0xFF]) + args.zeros.to_bytes(8, "big") + bytes(4) + bytes(args.zeros)
    if args.together:
        sock.sendall(request + frames)
        sock.shutdown(socket.SHUT_WR)
        frames = b""
    else:
        sock.sendall(request)
    response = read_response_head(sock)
    if response is None:
        print("EOF", flush=True)
        return
    print(response.split(b"\r\n")[0].decode(), flush=True)
    if frames:
        sock.sendall(frames)
    if args.no_wait:
        print("SENT", flush=True)
        sock.close()
        return
    messages = 0
    if args.read_after_stdin:
        sys.stdin.readline()
        sock.settimeout(60)
    try:
        while True:
            head = read_exactly(sock, 2)
            length = head[1] & 0x7F
            if length == 126:
                length = int.from_bytes(read_exactly(sock, 2), "big")
            elif length == 127:
                length = int.from_bytes(read_exactly(sock, 8), "big")
            payload = read_exactly(sock, length)
            if head[0] & 0x0F == 9:
                print(f"PING {payload.decode(errors='replace')}", flush=True)
            if head[0] & 0x0F in (0, 1, 2) and head[0] & 0x80:
                messages += 1
            if head[0] & 0x0F == 8:
                if args.read_after_stdin:
                    print(f"MESSAGES {messages}", flush=True)
                print(f"CLOSE {int.from_bytes(payload[:2], 'big') if len(payload) >= 2 else 1005}", flush=True)
                return
    except (EOFError, ConnectionError, socket.timeout):
        print("EOF", flush=True)
    finally:
        sock.close()


if __name__ == "__main__":
    main()
