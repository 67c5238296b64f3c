"""The workloads: clients against the echo server, alternating, every run's output verified."""

import contextlib
import dataclasses
import json
import os
import sys

from . import data
from .errors import BenchError
from .procs import echo_server, run_capture, run_client


@dataclasses.dataclass(frozen=True)
class Sizes:
    """How much each workload sends and how often it is repeated."""

    small_lines: int
    small_len: int
    big_lines: int  # the memory-flatness run
    large_lines: int
    large_len: int
    latency_runs: int
    runs: int


FULL = Sizes(200_000, 32, 1_000_000, 64, 1 << 20, 50, 5)
QUICK = dataclasses.replace(FULL, runs=2, latency_runs=20)
SMOKE = Sizes(1_000, 32, 5_000, 2, 64 << 10, 3, 1)


@dataclasses.dataclass(frozen=True)
class Variant:
    """One client over one transport."""

    client: str  # "wsc" or "websocat"
    tls: bool = False

    @property
    def key(self):
        return f"{self.client} {'wss' if self.tls else 'ws'}"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def rotations(variants, rounds):
    """Each round runs every variant once, starting one further along each time (AB BA AB …), so slow drift
    on a shared machine falls on all of them alike."""
    for r in range(rounds):
        k = r % len(variants)
        yield from variants[k:] + variants[:k]


class Bench:
    """Runs the workloads and keeps every measurement; in smoke mode a failed run is recorded, not raised."""

    def __init__(self, sizes, exes, clients, tls_files, wss, work_dir, data_dir, timeout, smoke):
        self.sizes, self.exes, self.clients = sizes, exes, clients
        self.tls_files, self.wss, self.work_dir, self.timeout, self.smoke = tls_files, wss, work_dir, timeout, smoke
        self.results = {}  # (workload, variant key) -> [ClientRun]
        self.limits = {}  # limit name -> [{"messages", "bytes", "seconds"}]
        self.passed, self.failed = 0, []
        self.small_input = data.lines_file(data_dir, sizes.small_lines, sizes.small_len)
        self.big_input = data.lines_file(data_dir, sizes.big_lines, sizes.small_len)
        self.large_input = data.lines_file(data_dir, sizes.large_lines, sizes.large_len)
        self.latency_input = data.lines_file(data_dir, 1, 16)

    # --- plumbing ---------------------------------------------------------------------------------------------

    def _fail(self, what, problem):
        if not self.smoke:
            raise BenchError(f"{what}: {problem}")
        self.failed.append(what)
        log(f"FAIL {what}: {problem}")

    def _ok(self):
        self.passed += 1

    @contextlib.contextmanager
    def _servers(self, close_after, tls):
        """Yields {False: plain port, True: TLS port (when `tls`)}."""
        with contextlib.ExitStack() as stack:
            ports = {False: stack.enter_context(echo_server(self.exes["echo_server"], close_after))}
            if tls:
                ports[True] = stack.enter_context(
                    echo_server(self.exes["echo_server"], close_after, tls=self.tls_files[1:]))
            yield ports

    def _client(self, variant, port, input_path, what):
        """One verified client run, or None (smoke mode) when it failed."""
        argv = list(self.clients[variant.client])
        if variant.tls:
            argv += ["--cacert", self.tls_files[0]]
        argv.append(f"{'wss' if variant.tls else 'ws'}://127.0.0.1:{port}/")
        out = os.path.join(self.work_dir, "client.out")
        run = run_client(self.exes["timed_exec"], argv, input_path, out, self.timeout)
        if run.timed_out:
            problem = f"no exit within {self.timeout} s (killed)"
        elif run.exit_code != 0:
            problem = f"exit status {run.exit_code}"
        else:
            problem = data.verify_echo(input_path, out)
        os.unlink(out)
        if problem:
            tail = run.stderr.strip()[-2000:]
            self._fail(f"{what} [{' '.join(argv)}]", problem + (f"\nits stderr:\n{tail}" if tail else ""))
            return None
        self._ok()
        return run

    def _variants(self, with_wss):
        found = [Variant(name) for name in ("wsc", "websocat") if name in self.clients]
        if with_wss and self.wss:
            found.append(Variant("wsc", tls=True))
        return found

    def _repeat(self, workload, input_path, lines, rounds, with_wss, show):
        with self._servers(close_after=lines, tls=with_wss and self.wss) as ports:
            variants = self._variants(with_wss)
            for i, v in enumerate(rotations(variants, rounds)):
                run = self._client(v, ports[v.tls], input_path, f"{workload} run {i // len(variants) + 1}, {v.key}")
                if run:
                    self.results.setdefault((workload, v.key), []).append(run)
                    if show:
                        log(f"  {workload:8} {v.key:13} {show(run)}")

    # --- workloads --------------------------------------------------------------------------------------------

    def small(self):
        n = self.sizes.small_lines
        self._repeat("small", self.small_input, n, self.sizes.runs, True,
                     lambda r: f"{n / r.seconds:12,.0f} msg/s  {r.max_rss_mib:7.1f} MiB")

    def large(self):
        size = os.path.getsize(self.large_input)
        self._repeat("large", self.large_input, self.sizes.large_lines, self.sizes.runs, True,
                     lambda r: f"{size / r.seconds / 1e6:12,.1f} MB/s   {r.max_rss_mib:7.1f} MiB")

    def latency(self):
        self._repeat("latency", self.latency_input, 1, self.sizes.latency_runs, False, None)
        for (workload, key), runs in self.results.items():
            if workload == "latency":
                ms = sorted(r.seconds * 1000 for r in runs)
                log(f"  latency  {key:13} median {ms[len(ms) // 2]:.2f} ms over {len(ms)} runs")

    def memory(self):
        n = self.sizes.big_lines
        self._repeat("big", self.big_input, n, 1, False,
                     lambda r: f"{n / r.seconds:12,.0f} msg/s  {r.max_rss_mib:7.1f} MiB")

    def machine_limits(self):
        """The machine's loopback echo and the C load client, plain and TLS, on the same volumes."""
        s = self.sizes
        exe = self.exes["echo_server"]
        with echo_server(exe, raw=True) as port:
            for name, path in (("raw small", self.small_input), ("raw large", self.large_input)):
                self._load(name, ["raw", "--port", str(port), "--bytes", str(os.path.getsize(path))])
        ws_jobs = (("small", ["--count", str(s.small_lines), "--size", str(s.small_len)]),
                   ("large", ["--count", str(s.large_lines), "--size", str(s.large_len)]))
        with echo_server(exe) as port:
            for name, args in ws_jobs:
                self._load(f"load {name}", ["ws", "--port", str(port), *args])
        if self.tls_files:
            with echo_server(exe, tls=self.tls_files[1:]) as port:
                for name, args in ws_jobs:
                    self._load(f"load wss {name}", ["ws", "--port", str(port), *args, "--tls", self.tls_files[0]])

    def _load(self, name, args):
        for _ in range(self.sizes.runs):
            code, out = run_capture([self.exes["load_client"], *args], timeout=self.timeout)
            try:
                result = json.loads(out.strip().splitlines()[-1]) if code == 0 else None
            except (ValueError, IndexError):
                result = None
            if result is None:
                self._fail(f"load_client {' '.join(args)}", f"exit status {code}: {out.strip()[-2000:]}")
                return
            self._ok()
            self.limits.setdefault(name, []).append(result)
        results = self.limits[name]
        if "small" in name and results[0]["messages"]:
            rates, unit = sorted(r["messages"] / r["seconds"] for r in results), "msg/s"
        else:
            rates, unit = sorted(r["bytes"] / r["seconds"] / 1e6 for r in results), "MB/s"
        log(f"  {name:15} median {rates[len(rates) // 2]:14,.1f} {unit}")
