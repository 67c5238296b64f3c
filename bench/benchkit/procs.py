"""Child processes: echo servers that always get stopped, and timed client runs with their peak memory."""

import atexit
import contextlib
import dataclasses
import json
import os
import select
import signal
import subprocess

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


@dataclasses.dataclass
class ClientRun:
    """What one client process did: wall time from fork to reaping, exit code, peak RSS, its stderr."""

    seconds: float
    exit_code: int
    max_rss_mib: float
    stderr: str
    timed_out: bool


def run_client(timed_exec, argv, input_path, output_path, timeout):
    """Runs `argv` under `timed_exec` with `input_path` piped to its stdin (through `cat`, so it sees a real
    pipe) and its stdout in `output_path`. Time and peak RSS are measured by timed_exec, around the fork."""
    err_path, result_path = output_path + ".stderr", output_path + ".result"
    feeder = subprocess.Popen(["cat", input_path], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    _live.add(feeder)
    try:
        with open(output_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen([timed_exec, result_path, str(max(1, round(timeout))), *argv],
                                    stdin=feeder.stdout, stdout=out, stderr=err)
            _live.add(proc)
            feeder.stdout.close()  # the client holds the only read end: cat gets SIGPIPE if it quits early
            try:
                proc.wait(timeout=timeout + 30)  # timed_exec kills the client at `timeout` itself
            finally:
                _stop(proc)
    finally:
        _stop(feeder)
    with open(err_path, "rb") as err:
        stderr = err.read().decode("utf-8", "replace")
    os.unlink(err_path)
    try:
        with open(result_path) as f:
            result = json.load(f)
        os.unlink(result_path)
    except (OSError, ValueError) as exc:
        raise BenchError(f"timed_exec gave no result for {' '.join(argv)} (status {proc.returncode}): {exc}\n"
                         f"{stderr}") from exc
    return ClientRun(result["seconds"], result["exit_code"], result["max_rss_kib"] / 1024.0, stderr,
                     bool(result["timed_out"]))


def run_capture(argv, timeout, cwd=None):
    """Runs a short helper command and returns (exit code, stdout + stderr); never raises on failure."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, str(exc)
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")
