"""WebSocket client peer for the end-to-end tests of `wsc --listen`, built on the `websockets` library.

Connects to the URL given, prints "SUBPROTOCOL <name or ->" and "EXTENSIONS <header or ->", then for
each --text and --binary (given as a size in bytes) sends the message and checks that the same message
with the same type comes back ("ECHO OK <n>" at the end, or "MISMATCH ..." and exit status 1). With
--expect-close it instead waits for the server to close and prints "CLOSED <code>".
"""

import argparse
import asyncio
import sys

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--no-compression", action="store_true")
    parser.add_argument("--subprotocol", action="append", default=[])
    parser.add_argument("--text", action="append", default=[])
    parser.add_argument("--binary", action="append", type=int, default=[])
    parser.add_argument("--expect-close", action="store_true", help="wait for the server's Close")
    args = parser.parse_args()

    options = {"max_size": 2 ** 27, "subprotocols": args.subprotocol or None}
    if args.no_compression:
        options["compression"] = None
    async with connect(args.url, **options) as ws:
        print(f"SUBPROTOCOL {ws.subprotocol or '-'}", flush=True)
        print(f"EXTENSIONS {ws.response.headers.get('Sec-WebSocket-Extensions', '-')}", flush=True)
        messages = list(args.text) + [bytes((i * 7 + 3) % 256 for i in range(size)) for size in args.binary]
        for message in messages:
            await ws.send(message)
            echoed = await ws.recv()
            if echoed != message or type(echoed) is not type(message):
                print(f"MISMATCH {type(message).__name__} {len(message)} -> {type(echoed).__name__} {len(echoed)}",
                      flush=True)
                sys.exit(1)
        print(f"ECHO OK {len(messages)}", flush=True)
        if args.expect_close:
            try:
                await asyncio.wait_for(ws.recv(), 20)
            except ConnectionClosed as closed:
                print(f"CLOSED {closed.rcvd.code if closed.rcvd else 1006}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
