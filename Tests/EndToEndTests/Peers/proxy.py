"""Runs a real proxy for wsc's tests on a free 127.0.0.1 port: Debian's tinyproxy (HTTP CONNECT) or microsocks
(SOCKS5), or a reverse proxy that speaks HTTP/2 and HTTP/1.1 in front of a WebSocket server: nghttpx or Apache
httpd (mod_http2 with H2WebSockets on, and mod_proxy_wstunnel). Prints "PORT <n>" once the proxy accepts
connections, and stops the proxy when it is stopped itself.

  proxy.py tinyproxy [--auth USER:PASS] [--connect-port N]   CONNECT to any port, or only to N
  proxy.py microsocks [--auth USER:PASS]                     SOCKS5, with or without user/password
  proxy.py nghttpx --backend N [--tls-cert F --tls-key K] [--unix PATH]
  proxy.py apache2 --backend N [--tls-cert F --tls-key K]
      in front of the WebSocket server on 127.0.0.1:N: h2c with prior knowledge and HTTP/1.1 without TLS, h2 and
      http/1.1 by ALPN with it; nghttpx listens on the Unix socket PATH too with --unix
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


def nghttpx_command(port, args, directory):
    command = ["nghttpx", "--conf=/dev/null", "--workers=1", f"--backend=127.0.0.1,{args.backend}",
               f"--pid-file={directory}/nghttpx.pid", "--accesslog-file=/dev/null", "--no-ocsp"]
    tls = [args.tls_key, args.tls_cert] if args.tls_cert else []
    for frontend in [f"127.0.0.1,{port}"] + ([f"unix:{args.unix}"] if args.unix else []):
        command.append(f"--frontend={frontend}" + ("" if tls else ";no-tls"))
    return command + tls


def apache2_command(port, args, directory):
    # Its own ServerRoot, pid file and logs, so that the system's configuration and service play no part.
    modules = ["mpm_event", "authz_core", "http2", "proxy", "proxy_http", "proxy_wstunnel"]
    lines = ["ServerRoot /usr/lib/apache2", "ServerName localhost", f"Listen 127.0.0.1:{port}",
             f"PidFile {directory}/httpd.pid", f"DefaultRuntimeDir {directory}", "ErrorLog /dev/stderr",
             "LogLevel error"]
    if args.tls_cert:
        modules.append("ssl")
    lines += [f"LoadModule {name}_module modules/mod_{name}.so" for name in modules]
    if os.getuid() == 0:
        lines += ["User nobody", "Group nogroup"]
    lines += ["Protocols h2 h2c http/1.1", "H2WebSockets on", f"ProxyPass / ws://127.0.0.1:{args.backend}/"]
    if args.tls_cert:
        lines += ["SSLEngine on", f"SSLCertificateFile {args.tls_cert}", f"SSLCertificateKeyFile {args.tls_key}"]
    config = os.path.join(directory, "httpd.conf")
    with open(config, "w") as f:
        f.write("\n".join(lines) + "\n")
    return ["apache2", "-f", config, "-DFOREGROUND"]


def wait_until_listening(port, proxy, unix=None):
    for _ in range(200):
        if proxy.poll() is not None:
            sys.exit(f"the proxy exited with status {proxy.returncode}")
        try:
            if unix:
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(unix)
            else:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("the proxy did not listen within 10 s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["tinyproxy", "microsocks", "nghttpx", "apache2"])
    parser.add_argument("--auth", help="USER:PASS the proxy requires")
    parser.add_argument("--connect-port", type=int, help="tinyproxy: allow CONNECT to this port only")
    parser.add_argument("--backend", type=int, help="nghttpx, apache2: the WebSocket server's port")
    parser.add_argument("--tls-cert", help="nghttpx, apache2: serve TLS with this PEM certificate")
    parser.add_argument("--tls-key", help="nghttpx, apache2: the key of --tls-cert")
    parser.add_argument("--unix", help="nghttpx: listen on this Unix domain socket")
    args = parser.parse_args()
    commands = {
        "tinyproxy": lambda port, directory: tinyproxy_command(port, args, directory),
        "microsocks": lambda port, directory: microsocks_command(port, args),
        "nghttpx": lambda port, directory: nghttpx_command(port, args, directory),
        "apache2": lambda port, directory: apache2_command(port, args, directory),
    }
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        proxy = subprocess.Popen(commands[args.kind](port, directory), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL)
        signal.signal(signal.SIGTERM, lambda *_: proxy.terminate())
        try:
            wait_until_listening(port, proxy, args.unix)
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
