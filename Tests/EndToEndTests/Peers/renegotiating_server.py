"""A TLS 1.2 wss:// test peer that renegotiates while the client has something to write, for wsc's tests.

Python's ssl module cannot start a renegotiation, so the TLS side is `openssl s_server` in its default mode,
driven through its stdin (what the peer types is sent to the client; a line "r" asks the client to
renegotiate) and its stdout (what the client sends, between s_server's own status lines). The client connects
through a relay in this script, which can hold the client's bytes back so that the order of events does not
depend on timing. Standard library only. It prints "PORT <n>" (the relay's port, on 127.0.0.1), then serves
one connection:

  1. answers the WebSocket opening handshake (RFC 6455 section 4.2.2), waits for the client's first message
     and prints "MESSAGE <text>" (s_server reads its stdin in one read(2) per turn, so what is typed next must
     wait until the answer has gone out, or the two would be sent as one);
  2. types "r": s_server sends a HelloRequest, and the client answers it with a ClientHello, which the relay
     holds back;
  3. sends a Ping behind the HelloRequest, and lets the ClientHello through once the Ping has gone to the
     client. The client reads the Ping before the server's ServerHello can exist, and its own next flight
     leaves only after it has passed the Ping on, so its Pong is written while the renegotiation is running;
     prints "PONG <payload>" once the Pong arrives, which takes the renegotiation to have completed
     (s_server reads no application data in the middle of a handshake);
  4. sends Close 1000 and prints "CLOSE <code>" for the client's answer.

Anything unexpected prints "ERROR <what>" and ends the peer.
"""

import argparse
import base64
import hashlib
import os
import re
import socket
import subprocess
import sys
import threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PING_PAYLOAD = b"during renegotiation"


def report(line):
    print(line, flush=True)


class ServerOutput:
    """s_server's stdout: status text and the client's decrypted bytes, read as they come."""

    def __init__(self, stream):
        self.fd = stream.fileno()
        self.buffer = b""

    def fill(self):
        data = os.read(self.fd, 1 << 16)
        if not data:
            raise EOFError("s_server ended; its output so far: %r" % self.buffer[-300:])
        self.buffer += data

    def until(self, marker):
        """Everything up to and including `marker`, which must appear."""
        while marker not in self.buffer:
            self.fill()
        end = self.buffer.index(marker) + len(marker)
        data, self.buffer = self.buffer[:end], self.buffer[end:]
        return data

    def frame(self):
        """The client's next frame (masked, RFC 6455 section 5.2) as (opcode, payload), skipping the status
        lines s_server prints between records: those are ASCII, and a client frame starts with FIN set."""
        while True:
            while not self.buffer:
                self.fill()
            if self.buffer[0] & 0x80:
                break
            self.until(b"\n")
        while len(self.buffer) < 2:
            self.fill()
        length = self.buffer[1] & 0x7F
        header = 2 + {126: 2, 127: 8}.get(length, 0) + 4
        while len(self.buffer) < header:
            self.fill()
        if length == 126:
            length = int.from_bytes(self.buffer[2:4], "big")
        elif length == 127:
            length = int.from_bytes(self.buffer[2:10], "big")
        while len(self.buffer) < header + length:
            self.fill()
        mask = self.buffer[header - 4 : header]
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self.buffer[header : header + length]))
        opcode = self.buffer[0] & 0x0F
        self.buffer = self.buffer[header + length :]
        return opcode, payload


class Relay:
    """Copies bytes between the client and s_server. While `hold()` is in force, the client's bytes wait
    until the server has sent an application data record (TLS 1.2 record headers show the content type,
    RFC 5246 section 6.2.1), which is then passed on first."""

    APPLICATION_DATA = 23

    def __init__(self, listener, server_port):
        self.listener = listener
        self.server_port = server_port
        self.lock = threading.Lock()
        self.holding = False
        self.held = b""

    def hold(self):
        with self.lock:
            self.holding = True

    def start(self):
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        try:
            self.relay()
        except OSError:
            pass  # the client or s_server went away: the main thread reports what it missed

    def relay(self):
        client, _ = self.listener.accept()
        self.listener.close()
        server = socket.create_connection(("127.0.0.1", self.server_port))
        self.client, self.server = client, server
        threading.Thread(target=self.client_to_server, daemon=True).start()
        self.server_to_client()

    def client_to_server(self):
        try:
            self.copy_client_to_server()
        except OSError:
            pass

    def copy_client_to_server(self):
        while data := self.client.recv(1 << 16):
            with self.lock:
                if self.holding:
                    self.held += data
                else:
                    self.server.sendall(data)
        self.server.shutdown(socket.SHUT_WR)

    def server_to_client(self):
        pending = b""
        while data := self.server.recv(1 << 16):
            pending += data
            # Whole records only, so that each one's content type is known when it is passed on.
            while len(pending) >= 5 and len(pending) >= 5 + int.from_bytes(pending[3:5], "big"):
                end = 5 + int.from_bytes(pending[3:5], "big")
                record, pending = pending[:end], pending[end:]
                self.client.sendall(record)
                with self.lock:
                    if self.holding and record[0] == self.APPLICATION_DATA:
                        self.holding = False
                        self.server.sendall(self.held)
                        self.held = b""
        self.client.shutdown(socket.SHUT_WR)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-cert", required=True)
    parser.add_argument("--tls-key", required=True)
    arguments = parser.parse_args()

    # stdbuf: s_server prints some status lines with printf(3), which a pipe would hold back until it exits.
    server = subprocess.Popen(
        [
            "stdbuf", "-oL", "openssl", "s_server", "-tls1_2", "-accept", "127.0.0.1:0", "-naccept", "1",
            "-cert", arguments.tls_cert, "-key", arguments.tls_key,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    output = ServerOutput(server.stdout)

    def type_in(data):
        server.stdin.write(data)
        server.stdin.flush()

    try:
        accepted = output.until(b"\n")
        while not accepted.startswith(b"ACCEPT "):
            accepted = output.until(b"\n")
        listener = socket.create_server(("127.0.0.1", 0))
        relay = Relay(listener, int(re.search(rb":(\d+)\s*$", accepted).group(1)))
        relay.start()
        report("PORT %d" % listener.getsockname()[1])

        output.until(b"GET ")
        request = output.until(b"\r\n\r\n").decode("latin-1")
        key = re.search(r"(?im)^sec-websocket-key:\s*(\S+)", request).group(1)
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        type_in(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Accept: %s\r\n\r\n" % accept
            ).encode()
        )
        opcode, payload = output.frame()
        if opcode != 0x1:
            report("ERROR expected a text message, got opcode %d" % opcode)
            return
        report("MESSAGE " + payload.decode())

        relay.hold()
        type_in(b"r\n")
        # Not in the same read(2) as the "r" line, either.
        output.until(b"SSL_do_handshake -> ")
        type_in(bytes([0x89, len(PING_PAYLOAD)]) + PING_PAYLOAD)

        opcode, payload = output.frame()
        if opcode != 0xA:
            report("ERROR expected a Pong, got opcode %d" % opcode)
            return
        report("PONG " + payload.decode())

        type_in(bytes([0x88, 2]) + (1000).to_bytes(2, "big"))
        opcode, payload = output.frame()
        report("CLOSE %d" % int.from_bytes(payload[:2], "big") if opcode == 0x8 else "ERROR opcode %d" % opcode)
    except (EOFError, AttributeError) as error:
        report("ERROR %s" % error)
    finally:
        server.stdin.close()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
