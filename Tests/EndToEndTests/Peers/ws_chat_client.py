"""WebSocket client peer for the REPL tests of `wsc --listen`, built on the `websockets` library.

Connects to the URL given and prints "PORT <n>" with its own local port (the address wsc shows for it, and
the line the tests' PeerServer waits for), sends each --text, then prints "RECEIVED <text>" for every text
message (or "RECEIVED <n> bytes" for binary) until the server closes, and "CLOSED <code>". Gives up after
60 seconds.
"""

import argparse
import asyncio

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed


async def chat(args):
    async with connect(args.url) as ws:
        print(f"PORT {ws.local_address[1]}", flush=True)
        for text in args.text:
            await ws.send(text)
        try:
            async for message in ws:
                shown = message if isinstance(message, str) else f"{len(message)} bytes"
                print(f"RECEIVED {shown}", flush=True)
        except ConnectionClosed:
            pass
        print(f"CLOSED {ws.close_code}", flush=True)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--text", action="append", default=[])
    await asyncio.wait_for(chat(parser.parse_args()), 60)


if __name__ == "__main__":
    asyncio.run(main())
