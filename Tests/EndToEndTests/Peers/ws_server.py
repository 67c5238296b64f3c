"""WebSocket test peer for wsc's end-to-end tests, built on the `websockets` library.

Listens on 127.0.0.1 (port 0 unless --port), prints "PORT <n>" once ready, and serves one behaviour
chosen with --mode. It runs until the test terminates it. Compression is off unless --compression, which
accepts permessage-deflate with the parameters given by the --server-*/--client-* options.

With --tls-cert and --tls-key it serves wss:// (ALPN http/1.1); with --tls-client-ca as well it requires a
client certificate issued by that CA and prints "CLIENT <subject CN>" for each connection that presents one.
"""

import argparse
import asyncio
import hashlib
import json
import os
import socket
import ssl
import struct
import sys

from websockets.asyncio.server import serve, unix_serve
from websockets.datastructures import Headers
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
from websockets.http11 import Response


async def echo(ws):
    async for message in ws:
        await ws.send(message)


async def sink(ws):
    # Reads each message a fragment at a time, never whole, and prints "MESSAGE <bytes> <fragments>
    # <sha256 prefix>"; answers with the byte count, so a test can wait for it.
    while True:
        size = count = 0
        digest = hashlib.sha256()
        async for fragment in ws.recv_streaming(decode=False):
            size += len(fragment)
            count += 1
            digest.update(fragment)
        print(f"MESSAGE {size} {count} {digest.hexdigest()[:16]}", flush=True)
        await ws.send(str(size))


def delayed_echo(delay):
    # Echoes each message `delay` seconds after it arrived, however many are in flight: a server with a known
    # latency, for `wsc bench`'s percentiles.
    async def handler(ws):
        async def later(message):
            await asyncio.sleep(delay)
            await ws.send(message)
        tasks = set()
        async for message in ws:
            task = asyncio.create_task(later(message))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    return handler


async def json_rpc(ws):
    # Answers each JSON-RPC request with its id, after a result that holds an "id" of its own (which a
    # matcher reading more than the top level would take for the request's).
    async for message in ws:
        request = json.loads(message)
        await ws.send(json.dumps({"jsonrpc": "2.0", "result": {"id": "nested"}, "id": request["id"]}))


def close_some(code):
    # Of every three connections, refuses the first with 503 and, of the ones it accepts, closes every other
    # at once with `code` and echoes on the rest: a server whose failures `wsc bench` counts by cause.
    counts = {"requests": 0, "accepted": 0}

    def process_request(connection, request):
        counts["requests"] += 1
        if counts["requests"] % 3 == 1:
            return connection.respond(503, "busy\n")
        return None

    async def handler(ws):
        counts["accepted"] += 1
        if counts["accepted"] % 2 == 1:
            await ws.close(code)
            return
        await echo(ws)
    return process_request, handler


def echo_count(count):
    # Echoes `count` messages, then closes with 1000: a client waiting for the close (`wsc -w -1`) has then
    # received every echo, whatever their size and the machine's speed.
    async def handler(ws):
        for _ in range(count):
            await ws.send(await ws.recv())
        await ws.close(1000)
    return handler


async def headers(ws):
    request = ws.request
    await ws.send(json.dumps({
        "path": request.path,
        "headers": {name.lower(): value for name, value in request.headers.raw_items()},
        "subprotocol": ws.subprotocol,
    }))
    await echo(ws)


def closer(code, reason):
    async def handler(ws):
        await ws.close(code, reason)
    return handler


async def fragments(ws):
    # A text message in three fragments, a ping answered or not, then a binary message.
    await ws.send(iter(["frag", "ment", "ed"]))
    pong = await ws.ping(b"are you there")
    try:
        await asyncio.wait_for(pong, 5)
        await ws.send("pong received")
    except asyncio.TimeoutError:
        await ws.send("no pong")
    await ws.send(bytes(range(256)))
    await ws.send("done")
    await echo(ws)


async def probe(ws):
    # For `wsc --echo`: sends text, binary and a long compressible text, checks that each comes back with
    # its type, prints "PROBE OK" or "PROBE MISMATCH", then closes with 1000.
    messages = ["one", bytes(range(256)), "compressible text " * 500]
    for message in messages:
        await ws.send(message)
        echoed = await ws.recv()
        if echoed != message or type(echoed) is not type(message):
            print("PROBE MISMATCH", flush=True)
            await ws.close(1011)
            return
    print("PROBE OK", flush=True)
    await ws.close(1000)


def echo_while(push):
    # Echoes while `push(ws)` runs beside it; the push stops when the connection ends.
    async def handler(ws):
        task = asyncio.create_task(push(ws))
        try:
            await echo(ws)
        finally:
            task.cancel()
    return handler


def pusher(text, delay):
    async def push(ws):
        await asyncio.sleep(delay)
        await ws.send(text)
    return echo_while(push)


def trigger_pusher(text, trigger):
    # Sends `text` each time the file `trigger` appears (and removes it), so that a test decides the moment.
    async def push(ws):
        while True:
            await asyncio.sleep(0.02)
            if os.path.exists(trigger):
                os.remove(trigger)
                await ws.send(text)
    return echo_while(push)


def ticker(delay):
    # Sends "#<n>" every `delay` seconds (short enough for a 20-column REPL) and prints "TICK <n>"; prints "RECEIVED <length> <first ten
    # characters>…<last ten>" for each message (echoed back) and "CLOSE <code>" when the connection ends.
    async def handler(ws):
        async def tick():
            count = 0
            while True:
                await asyncio.sleep(delay)
                count += 1
                await ws.send(f"#{count}")
                print(f"TICK {count}", flush=True)
        task = asyncio.create_task(tick())
        try:
            async for message in ws:
                print(f"RECEIVED {len(message)} {message[:10]}…{message[-10:]}", flush=True)
                await ws.send(message)
        finally:
            task.cancel()
            print(f"CLOSE {ws.close_code}", flush=True)
    return handler


def slow_accept(delay):
    async def process_request(connection, request):
        await asyncio.sleep(delay)
        return None
    return process_request


def tls_context(args):
    """The server side of TLS for the --tls-* options, or None for plain ws://."""
    if args.tls_cert is None:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.tls_cert, args.tls_key)
    context.set_alpn_protocols(["http/1.1"])
    if args.tls_max_version == "1.2":
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    if args.tls_client_ca is not None:
        context.load_verify_locations(args.tls_client_ca)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


def reporting_client_certificate(handler):
    """Wraps a handler to print the subject CN of the client certificate, if one was presented."""
    async def wrapped(ws):
        certificate = ws.transport.get_extra_info("peercert")
        if certificate:
            names = [value for rdn in certificate.get("subject", ()) for key, value in rdn if key == "commonName"]
            print(f"CLIENT {', '.join(names)}", flush=True)
        await handler(ws)
    return wrapped


def redirecter(status, location):
    # Accepts the request whose path is the location itself, so a relative location ends there; any other
    # location (such as "loop") redirects forever.
    def process_request(connection, request):
        if request.path == location:
            return None
        return Response(status, "Redirect", Headers([("Location", location), ("Content-Length", "0")]), b"")
    return process_request


CLOSE_CODE = 1000


def flaky(failure, failures, after):
    # The first `failures` connections fail as `failure` says: "503" answers the upgrade 503 with Retry-After: 1,
    # "close" closes with --code, "fin" hangs up without a Close, "reset" resets the connection; with --after
    # N, only once they have echoed N messages (then "FAILING" is printed). Later ones echo. Prints
    # "CONNECTION <n>" for each connection and "RECEIVED <message>" for each message echoed.
    count = 0

    def process_request(connection, request):
        nonlocal count
        count += 1
        print(f"CONNECTION {count}", flush=True)
        if failure == "503" and count <= failures:
            body = b"busy\n"
            headers = Headers([("Content-Length", str(len(body))), ("Retry-After", "1")])
            return Response(503, "Service Unavailable", headers, body)
        return None

    async def handler(ws):
        if count <= failures:
            for _ in range(after):
                message = await ws.recv()
                print(f"RECEIVED {message}", flush=True)
                await ws.send(message)
            if after:
                print("FAILING", flush=True)
            if failure == "close":
                await ws.close(CLOSE_CODE, "")
            elif failure == "fin":
                ws.transport.close()
            elif failure == "reset":
                sock = ws.transport.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                ws.transport.abort()
            return
        async for message in ws:
            print(f"RECEIVED {message}", flush=True)
            await ws.send(message)
    return process_request, handler


def rejecter(status):
    def process_request(connection, request):
        body = b"forbidden by the test server\n"
        return Response(status, "Forbidden", Headers([("Content-Length", str(len(body)))]), body)
    return process_request


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", default="echo",
                        choices=["echo", "echo-count", "headers", "close", "fragments", "push", "push-on-trigger",
                                 "reject", "sink", "slow-accept", "probe", "redirect", "ticker", "flaky", "delayed-echo",
                                 "json-rpc", "close-some"])
    parser.add_argument("--failure", choices=["503", "close", "fin", "reset"], default="close",
                        help="flaky: how the first --failures connections fail")
    parser.add_argument("--failures", type=int, default=1)
    parser.add_argument("--after", type=int, default=0, help="flaky: messages echoed before failing")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--unix", help="listen on this Unix domain socket path instead of TCP")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--code", type=int, default=1000)
    parser.add_argument("--count", type=int, default=1, help="echo-count: how many messages to echo")
    parser.add_argument("--reason", default="")
    parser.add_argument("--status", type=int, default=None, help="reject: 403 unless given; redirect: 302")
    parser.add_argument("--text", default="pushed")
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--trigger", default="")
    parser.add_argument("--location", default="/", help="where --mode redirect sends clients (with --status)")
    parser.add_argument("--subprotocol", action="append", default=[])
    parser.add_argument("--max-size", type=int, default=2 ** 27, help="0: no limit")
    parser.add_argument("--compression", action="store_true", help="accept permessage-deflate")
    parser.add_argument("--server-no-context-takeover", action="store_true")
    parser.add_argument("--client-no-context-takeover", action="store_true")
    parser.add_argument("--server-max-window-bits", type=int, default=None)
    parser.add_argument("--client-max-window-bits", type=int, default=None)
    parser.add_argument("--tls-cert", help="PEM certificate chain: serve wss://")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--tls-client-ca", help="require client certificates issued by this PEM CA")
    parser.add_argument("--tls-max-version", choices=["1.2", "1.3"], default="1.3")
    args = parser.parse_args()
    global CLOSE_CODE
    CLOSE_CODE = args.code

    handlers = {
        "echo": echo,
        "echo-count": echo_count(args.count),
        "headers": headers,
        "close": closer(args.code, args.reason),
        "fragments": fragments,
        "push": pusher(args.text, args.delay),
        "push-on-trigger": trigger_pusher(args.text, args.trigger),
        "reject": echo,
        "redirect": headers,
        "slow-accept": echo,
        "probe": probe,
        "sink": sink,
        "ticker": ticker(args.delay),
        "delayed-echo": delayed_echo(args.delay),
        "json-rpc": json_rpc,
    }
    options = {
        "max_size": args.max_size or None,
        "compression": None,
        "subprotocols": args.subprotocol or None,
        "ssl": tls_context(args),
    }
    if args.compression:
        options["extensions"] = [ServerPerMessageDeflateFactory(
            server_no_context_takeover=args.server_no_context_takeover,
            client_no_context_takeover=args.client_no_context_takeover,
            server_max_window_bits=args.server_max_window_bits,
            client_max_window_bits=args.client_max_window_bits,
        )]
    if args.mode == "reject":
        options["process_request"] = rejecter(args.status or 403)
    if args.mode == "redirect":
        options["process_request"] = redirecter(args.status or 302, args.location)
    if args.mode == "slow-accept":
        options["process_request"] = slow_accept(args.delay)
    if args.mode == "close-some":
        options["process_request"], handlers["close-some"] = close_some(args.code)
    if args.mode == "flaky":
        options["process_request"], handlers["flaky"] = flaky(args.failure, args.failures, args.after)
    handler = handlers[args.mode]
    if args.tls_client_ca is not None:
        handler = reporting_client_certificate(handler)
    if args.unix:
        async with unix_serve(handler, args.unix, **options) as server:
            print("PORT 0", flush=True)  # listening: there is no port
            await server.serve_forever()
    async with serve(handler, args.host, args.port, **options) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"PORT {port}", flush=True)
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
