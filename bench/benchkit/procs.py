"""Child processes: servers that always get stopped, and timed client and server runs with their peak memory."""

import atexit
import contextlib
import dataclasses
import json
import os
import resource
import select
import signal
import socket
import subprocess
import time

from .errors import BenchError

_live = set()  # every Popen still running, stopped at exit whatever happens


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    _live.discard(proc)


def _stop_all():
    for proc in list(_live):
        _stop(proc)


def install_cleanup():
    """Stops every child on normal exit, on an exception, and on SIGTERM / SIGINT / SIGHUP."""
    atexit.register(_stop_all)

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)  # unwinds through every `finally`, then atexit runs

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)


@contextlib.contextmanager
def echo_server(exe, close_after=0, tls=None, raw=False):
    """Runs `echo_server` on a free loopback port for the duration of the block; yields the port."""
    args = [exe, "--port", "0"]
    if close_after:
        args += ["--close-after", str(close_after)]
    if tls:
        args += ["--tls", tls[0], tls[1]]
    if raw:
        args.append("--raw")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    _live.add(proc)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 10)
        line = proc.stdout.readline() if ready else b""
        if not line.strip().isdigit():
            raise BenchError(f"echo server {' '.join(args)} did not report its port (got {line!r})")
        yield int(line)
        if proc.poll() is not None:
            raise BenchError(f"echo server {' '.join(args)} died during the run (status {proc.returncode})")
    finally:
        _stop(proc)


@contextlib.contextmanager
def nghttpx(backend_port, tls, scratch):
    """Runs nghttpx on a free loopback port for the block, TLS with `tls` (certificate, key), ALPN offering h2
    and http/1.1, in front of the server on `backend_port`; yields its port. Its HTTP/2 receive windows are
    4 MiB (stream) and 16 MiB (connection) rather than HTTP/2's initial 64 KiB, which would measure a window's
    round trips (one per 1 MiB message at 1 MiB) instead of the framing."""
    port = free_port()
    argv = ["nghttpx", "--conf=/dev/null", "--workers=1", f"--frontend=127.0.0.1,{port}",
            f"--backend=127.0.0.1,{backend_port}", f"--pid-file={scratch}.pid", "--accesslog-file=/dev/null",
            "--errorlog-file=/dev/null", "--no-ocsp", f"--frontend-http2-window-size={4 << 20}",
            f"--frontend-http2-connection-window-size={16 << 20}", tls[1], tls[0]]
    # Its start-up notice goes to stderr before it reads --errorlog-file.
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _live.add(proc)
    try:
        _wait_listening(port, proc, argv)
        yield port
    finally:
        _stop(proc)


@dataclasses.dataclass
class ClientRun:
    """What one process under timed_exec did: wall time from fork to reaping, exit code, peak RSS, peak
    anonymous memory (None when it exited before the first sample), its stderr."""

    seconds: float
    exit_code: int
    max_rss_mib: float
    max_anon_mib: float | None
    stderr: str
    timed_out: bool


def _timed_result(result_path, err_path, argv, status):
    """The ClientRun timed_exec wrote for `argv`; removes its files."""
    with open(err_path, "rb") as err:
        stderr = err.read().decode("utf-8", "replace")
    os.unlink(err_path)
    try:
        with open(result_path) as f:
            result = json.load(f)
        os.unlink(result_path)
    except (OSError, ValueError) as exc:
        raise BenchError(f"timed_exec gave no result for {' '.join(argv)} (status {status}): {exc}\n"
                         f"{stderr}") from exc
    anon = result["max_anon_kib"] / 1024.0 if result["samples"] else None
    return ClientRun(result["seconds"], result["exit_code"], result["max_rss_kib"] / 1024.0, anon, stderr,
                     bool(result["timed_out"]))


def run_client(timed_exec, argv, input_path, output_path, timeout, env=None):
    """Runs `argv` under `timed_exec` with `input_path` piped to its stdin (through `cat`, so it sees a real
    pipe) and its stdout in `output_path`. Time and peak memory are measured by timed_exec, around the fork.
    `env` adds variables to the client's environment."""
    err_path, result_path = output_path + ".stderr", output_path + ".result"
    feeder = subprocess.Popen(["cat", input_path], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    _live.add(feeder)
    try:
        with open(output_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen([timed_exec, result_path, str(max(1, round(timeout))), *argv],
                                    stdin=feeder.stdout, stdout=out, stderr=err,
                                    env={**os.environ, **env} if env else None)
            _live.add(proc)
            feeder.stdout.close()  # the client holds the only read end: cat gets SIGPIPE if it quits early
            try:
                proc.wait(timeout=timeout + 30)  # timed_exec kills the client at `timeout` itself
            finally:
                _stop(proc)
    finally:
        _stop(feeder)
    return _timed_result(result_path, err_path, argv, proc.returncode)


def free_port():
    """A loopback port nothing listens on now (for servers that cannot report the one they bound)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port, proc, argv, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"server {' '.join(argv)} exited at start (status {proc.returncode})")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.01)
    raise BenchError(f"server {' '.join(argv)} is not listening on 127.0.0.1:{port} after {seconds} s")


class TimedServer:
    """A server under timed_exec: `run` (its ClientRun) once stopped."""

    def __init__(self, port):
        self.port, self.run = port, None


@contextlib.contextmanager
def timed_server(timed_exec, argv, port, scratch, timeout):
    """Runs the server `argv` (already told to listen on 127.0.0.1:`port`) under timed_exec for the block,
    then stops it with SIGTERM, which timed_exec passes on; yields a TimedServer. Its stdout is discarded."""
    err_path, result_path = scratch + ".stderr", scratch + ".result"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen([timed_exec, result_path, str(max(1, round(timeout))), *argv],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
    _live.add(proc)
    server = TimedServer(port)
    try:
        _wait_listening(port, proc, argv)
        yield server
        if proc.poll() is not None:
            raise BenchError(f"server {' '.join(argv)} died during the run (status {proc.returncode})")
    finally:
        _stop(proc)
    server.run = _timed_result(result_path, err_path, argv, proc.returncode)


def run_json(argv, timeout):
    """Runs a helper that prints one JSON line on stdout: (exit code, the parsed line or None, stderr)."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, None, str(exc)
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (ValueError, IndexError):
        result = None
    return done.returncode, result, done.stderr.decode("utf-8", "replace")


def raise_descriptor_limit(needed):
    """Raises this process's soft limit on open files to the hard one, for itself and every child started
    after; fails when even the hard limit is below `needed`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise BenchError(f"the limit on open files is {hard}, the server workload needs {needed} "
                         "(raise it with ulimit -Hn)")


def run_capture(argv, timeout, cwd=None):
    """Runs a short helper command and returns (exit code, stdout + stderr); never raises on failure."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, str(exc)
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")
