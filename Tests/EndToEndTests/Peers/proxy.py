"""Runs a real proxy for wsc's tests on a free 127.0.0.1 port: Debian's tinyproxy (HTTP CONNECT) or microsocks
(SOCKS5). Prints "PORT <n>" once the proxy accepts connections, and stops the proxy when it is stopped itself.

  proxy.py tinyproxy [--auth USER:PASS] [--connect-port N]   CONNECT to any port, or only to N
  proxy.py microsocks [--auth USER:PASS]                     SOCKS5, with or without user/password
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tinyproxy_command(port, args, directory):
    config = os.path.join(directory, "tinyproxy.conf")
    lines = [f"Port {port}", "Listen 127.0.0.1", "Timeout 30", "Allow 127.0.0.1", "LogLevel Warning"]
    if args.connect_port:
        lines.append(f"ConnectPort {args.connect_port}")
    if args.auth:
        user, _, password = args.auth.partition(":")
        lines.append(f"BasicAuth {user} {password}")
    with open(config, "w") as f:
        f.write("\n".join(lines) + "\n")
    return ["tinyproxy", "-d", "-c", config]


def microsocks_command(port, args):
    command = ["microsocks", "-i", "127.0.0.1", "-p", str(port)]
    if args.auth:
        user, _, password = args.auth.partition(":")
        command += ["-u", user, "-P", password]
    return command


def wait_until_listening(port, proxy):
    for _ in range(200):
        if proxy.poll() is not None:
            sys.exit(f"the proxy exited with status {proxy.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("the proxy did not listen within 10 s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["tinyproxy", "microsocks"])
    parser.add_argument("--auth", help="USER:PASS the proxy requires")
    parser.add_argument("--connect-port", type=int, help="tinyproxy: allow CONNECT to this port only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        command = tinyproxy_command(port, args, directory) if args.kind == "tinyproxy" else microsocks_command(port, args)
        proxy = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        signal.signal(signal.SIGTERM, lambda *_: proxy.terminate())
        try:
            wait_until_listening(port, proxy)
            print(f"PORT {port}", flush=True)
            proxy.wait()
        finally:
            if proxy.poll() is None:
                proxy.terminate()
                proxy.wait(5)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
