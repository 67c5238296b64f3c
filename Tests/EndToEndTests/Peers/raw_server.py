"""A hostile raw-TCP WebSocket server for wsc's tests: it answers the handshake as told, sends the exact
bytes it is given, and reports what the client sends back.

Listens on 127.0.0.1, prints "PORT <n>", then for each connection prints one line per client frame
("FRAME <opcode> <length> <hex>", with " RSV1" appended when the bit is set, and with --inflate also
"INFLATED <length> <hex>" for compressed frames; or "CLOSE <code> <reason>" for a Close frame; with --sink
only "MESSAGE <bytes> <frames>" per message, its payload skipped unread) and "EOF"
when the client closes TCP ("CONNECTED" comes first, once the handshake response is sent). Only the
standard library is used. With --print-request, each line of the handshake request comes first, as
"REQUEST 'line'" (Python's repr, so that a stray CR or LF shows).
"""

import argparse
import asyncio
import base64
import hashlib
import socket
import struct
import sys
import zlib

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_key(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


async def read_frame(reader):
    head = await reader.readexactly(2)
    opcode = head[0] & 0x0F
    length = head[1] & 0x7F
    if length == 126:
        length = int.from_bytes(await reader.readexactly(2), "big")
    elif length == 127:
        length = int.from_bytes(await reader.readexactly(8), "big")
    mask = await reader.readexactly(4) if head[1] & 0x80 else b"\0\0\0\0"
    data = bytearray(await reader.readexactly(length))
    for i in range(length):
        data[i] ^= mask[i % 4]
    return opcode, bytes(data), bool(head[1] & 0x80), bool(head[0] & 0x40)


def deflate_bomb(size):
    """One binary frame with RSV1 whose raw-deflate payload inflates to `size` zero bytes (RFC 7692)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    data = b"".join(compressor.compress(chunk[:min(len(chunk), size - done)]) for done in range(0, size, len(chunk)))
    data += compressor.flush(zlib.Z_SYNC_FLUSH)
    data = data[:-4]
    header = bytes([0xC2, 127]) + len(data).to_bytes(8, "big")
    return header + data


async def sink(reader, writer):
    """Counts the client's messages without unmasking or keeping them: "MESSAGE <bytes> <frames>" for each;
    answers the client's Close with Close 1000."""
    size = frames = 0
    while True:
        head = await reader.readexactly(2)
        length = head[1] & 0x7F
        if length == 126:
            length = int.from_bytes(await reader.readexactly(2), "big")
        elif length == 127:
            length = int.from_bytes(await reader.readexactly(8), "big")
        await reader.readexactly(4 if head[1] & 0x80 else 0)
        for start in range(0, length, 1 << 20):
            await reader.readexactly(min(1 << 20, length - start))
        if head[0] & 0x0F == 8:
            report("CLOSE")
            writer.write(b"\x88\x02\x03\xe8")
            await writer.drain()
            return
        size += length
        frames += 1
        if head[0] & 0x80:
            report(f"MESSAGE {size} {frames}")
            size = frames = 0


def report(line):
    print(line, flush=True)


async def handle(reader, writer, args):
    try:
        request = await reader.readuntil(b"\r\n\r\n")
        if args.print_request:
            for line in request.decode("latin-1").split("\r\n")[:-2]:
                report(f"REQUEST {line!r}")
        key = ""
        for line in request.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "sec-websocket-key":
                key = value.strip()
        if args.silent:
            await reader.read()
            return
        await asyncio.sleep(args.delay)
        accept = args.accept if args.accept is not None else accept_key(key)
        response = f"{args.http_version} {args.status}\r\nUpgrade: websocket\r\n"
        if args.connection:
            response += f"Connection: {args.connection}\r\n"
        response += f"Sec-WebSocket-Accept: {accept}\r\n"
        for header in args.header:
            response += header + "\r\n"
        response += "\r\n"
        frames = b"".join(bytes.fromhex(h) for h in args.send)
        if args.bomb:
            frames += deflate_bomb(args.bomb) * args.bomb_count
        if args.send_delay:
            writer.write(response.encode())
            await writer.drain()
            report("CONNECTED")
            await asyncio.sleep(args.send_delay)
            writer.write(frames)
        else:
            writer.write(response.encode() + frames)
            report("CONNECTED")
        await writer.drain()
        if args.later:
            await asyncio.sleep(0.3)
            writer.write(b"".join(bytes.fromhex(h) for h in args.later))
        if args.close_after is not None:
            asyncio.get_running_loop().call_later(args.close_after, writer.write, b"\x88\x02\x03\xe8")
        if args.stall:
            await asyncio.sleep(args.stall)
        if args.drop_after is not None:
            await asyncio.sleep(args.drop_after)
            return
        if args.reset_after is not None:
            await asyncio.sleep(args.reset_after)
            # A zero linger time makes close() send RST instead of FIN.
            writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return
        if args.sink:
            await sink(reader, writer)
            return
        inflater = zlib.decompressobj(-15)
        while True:
            opcode, data, masked, rsv1 = await read_frame(reader)
            if not masked:
                report("UNMASKED")
            if opcode == 8:
                code = int.from_bytes(data[:2], "big") if len(data) >= 2 else 1005
                report(f"CLOSE {code} {data[2:].decode('utf-8', 'replace')}")
                if args.answer_close:
                    writer.write(b"\x88\x02" + code.to_bytes(2, "big"))
                    await writer.drain()
            else:
                if opcode == 9 and args.answer_pings:
                    writer.write(bytes([0x8A, len(data)]) + data)
                    await writer.drain()
                line = f"FRAME {opcode} {len(data)} {data[:64].hex()}"
                if rsv1:
                    line += " RSV1"
                    if args.inflate:
                        message = inflater.decompress(data + b"\x00\x00\xff\xff")
                        line += f" INFLATED {len(message)} {message[:64].hex()}"
                report(line)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        report("EOF")
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--status", default="101 Switching Protocols")
    parser.add_argument("--print-request", action="store_true", help="print each request line as REQUEST 'line'")
    parser.add_argument("--http-version", default="HTTP/1.1", help="the response's HTTP version")
    parser.add_argument("--connection", default="Upgrade", help="Connection header value; empty sends none")
    parser.add_argument("--accept", default=None, help="Sec-WebSocket-Accept value instead of the right one")
    parser.add_argument("--header", action="append", default=[], help="extra response header line")
    parser.add_argument("--send", action="append", default=[], help="hex bytes sent right after the response")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before answering the handshake")
    parser.add_argument("--silent", action="store_true", help="never answer the handshake")
    parser.add_argument("--answer-close", action="store_true", help="echo the client's Close frame")
    parser.add_argument("--answer-pings", action="store_true", help="answer each Ping with a Pong")
    parser.add_argument("--drop-after", type=float, default=None, help="hang up this many seconds after the handshake")
    parser.add_argument("--reset-after", type=float, default=None, help="reset TCP (RST) N seconds after the handshake")
    parser.add_argument("--send-delay", type=float, default=0.0, help="seconds between the response and --send")
    parser.add_argument("--later", action="append", default=[], help="hex bytes sent 0.3 s after --send")
    parser.add_argument("--close-after", type=float, default=None, help="send Close 1000 after N seconds")
    parser.add_argument("--stall", type=float, default=0.0, help="seconds to read nothing after --send")
    parser.add_argument("--bomb", type=int, default=0, help="also send a compressed frame inflating to N bytes")
    parser.add_argument("--bomb-count", type=int, default=1, help="how many such frames (no context takeover)")
    parser.add_argument("--inflate", action="store_true", help="inflate RSV1 frames (context takeover) and report")
    parser.add_argument("--sink", action="store_true", help="only count the client's messages (MESSAGE lines)")
    args = parser.parse_args()
    server = await asyncio.start_server(lambda r, w: handle(r, w, args), "127.0.0.1", 0)
    report(f"PORT {server.sockets[0].getsockname()[1]}")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
