"""The workloads: clients against the echo server, alternating, every run's output verified."""

import contextlib
import dataclasses
import json
import os
import sys

from . import data
from .errors import BenchError
from .procs import echo_server, free_port, nghttpx, raise_descriptor_limit, run_client, run_json, timed_server

# plaintext client workloads, the same over TLS, wss through nghttpx over HTTP/2 and HTTP/1.1, the server
# workload, wsc bench against the C load client
PARTS = ("ws", "wss", "h2", "server", "load")


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
    server_connections: tuple  # the server workload's connection counts
    server_small_total: int  # 32-byte messages over all connections, per run
    server_large_total: int  # 64 KiB messages over all connections, per run
    load_connections: tuple = (1, 64, 1000)  # wsc bench and the C load client, closed loop
    load_total: int = 200_000  # 32-byte messages over all connections, per run
    load_each: int = 1000  # at least this many on each connection, so that connecting is not most of the run
    load_pipeline: int = 8  # messages in flight on each connection
    load_rate: int = 1000  # the constant-rate row: messages per second in all
    load_rate_connections: int = 10
    load_rate_total: int = 3000  # messages of the constant-rate row, over all connections


FULL = Sizes(200_000, 32, 1_000_000, 64, 1 << 20, 50, 5, (1, 64, 1000), 200_000, 1024)
QUICK = dataclasses.replace(FULL, runs=2, latency_runs=20)
SMOKE = Sizes(1_000, 32, 5_000, 2, 64 << 10, 3, 1, (1, 4), 400, 8, (1, 4), 400, 10, 4, 200, 2, 40)
SERVER_SIZES = (32, 64 << 10)  # message sizes of the server workload


@dataclasses.dataclass(frozen=True)
class Variant:
    """One client over one transport (or, in the server workload, one server)."""

    client: str  # "wsc", "websocat", "compare" (the --compare binary) or "load" (the C load client)
    tls: bool = False
    http2: bool = False  # wsc's --http2, through nghttpx

    @property
    def key(self):
        return f"{self.client} {'wss' if self.tls else 'ws'}{' h2' if self.http2 else ''}"


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

    def __init__(self, sizes, exes, clients, tls_files, wss, work_dir, data_dir, timeout, smoke, parts=PARTS):
        self.sizes, self.exes, self.clients = sizes, exes, clients
        self.tls_files, self.wss, self.work_dir, self.timeout, self.smoke = tls_files, wss, work_dir, timeout, smoke
        self.parts = set(parts) - ({"wss", "h2"} if not wss else set())
        self.results = {}  # (workload, variant key) -> [ClientRun]
        self.limits = {}  # limit name -> [load_client's JSON]
        self.servers = {}  # (connections, message size, server) -> [ServerRun]
        self.load_tests = {}  # ((connections, pipeline, rate), "wsc" or "load") -> [(msg/s, p50 ms)]
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

    def _trust(self, variant):
        """How the client trusts the throwaway CA: (extra arguments, extra environment). wsc takes --cacert;
        websocat's TLS is native-tls on the system OpenSSL, which reads SSL_CERT_FILE, so it verifies the
        certificate as wsc does (no -k)."""
        if not variant.tls:
            return [], None
        if variant.client == "websocat":
            return [], {"SSL_CERT_FILE": self.tls_files[0]}
        return ["--cacert", self.tls_files[0]], None

    def _client(self, variant, port, input_path, what):
        """One verified client run, or None (smoke mode) when it failed."""
        extra, env = self._trust(variant)
        extra += ["--http2"] if variant.http2 else []
        argv = [*self.clients[variant.client], *extra, f"{'wss' if variant.tls else 'ws'}://127.0.0.1:{port}/"]
        out = os.path.join(self.work_dir, "client.out")
        run = run_client(self.exes["timed_exec"], argv, input_path, out, self.timeout, env)
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

    def _variants(self, transports):
        """Every client (wsc, websocat, the --compare binary) over each of `transports` ("ws", "wss") that this
        run covers."""
        return [Variant(name, tls=t == "wss") for t in transports if t in self.parts
                for name in self.clients]

    def _repeat(self, workload, input_path, lines, rounds, transports, show, load_size=None):
        """`rounds` rotations of every client over `transports` against one echo server per transport. With
        `load_size`, the C load client joins the rotation with the same messages (`lines` × `load_size`
        bytes), so the client rows and the limits they are read against share the machine's drift."""
        variants = self._variants(transports)
        if not variants:
            return
        if load_size is not None:
            variants += [Variant("load", tls=v.tls) for v in variants if v.client == "wsc"]
        with self._servers(close_after=lines, tls=any(v.tls for v in variants)) as ports:
            for i, v in enumerate(rotations(variants, rounds)):
                if v.client == "load":
                    args = ["ws", "--port", str(ports[v.tls]), "--count", str(lines), "--size", str(load_size)]
                    args += ["--tls", self.tls_files[0]] if v.tls else []
                    self._load(f"load {'wss ' if v.tls else ''}{workload}", args)
                    continue
                run = self._client(v, ports[v.tls], input_path, f"{workload} run {i // len(variants) + 1}, {v.key}")
                if run:
                    self.results.setdefault((workload, v.key), []).append(run)
                    if show:
                        log(f"  {workload:8} {v.key:13} {show(run)}")

    # --- workloads --------------------------------------------------------------------------------------------

    def steps(self):
        """The workload methods this run's parts need, in order."""
        clients = ["small", "large", "latency"] if self.parts & {"ws", "wss"} else []
        return clients + ["memory", "machine_limits"] * ("ws" in self.parts) + ["http2"] * ("h2" in self.parts) \
            + ["server"] * ("server" in self.parts) + ["load_test"] * ("load" in self.parts)

    def small(self):
        n = self.sizes.small_lines
        self._repeat("small", self.small_input, n, self.sizes.runs, ("ws", "wss"),
                     lambda r: f"{n / r.seconds:12,.0f} msg/s  {_memory(r)}", self.sizes.small_len)

    def large(self):
        size = os.path.getsize(self.large_input)
        self._repeat("large", self.large_input, self.sizes.large_lines, self.sizes.runs, ("ws", "wss"),
                     lambda r: f"{size / r.seconds / 1e6:12,.1f} MB/s   {_memory(r)}", self.sizes.large_len)

    def latency(self):
        self._repeat("latency", self.latency_input, 1, self.sizes.latency_runs, ("ws", "wss"), None)
        for (workload, key), runs in self.results.items():
            if workload == "latency":
                ms = sorted(r.seconds * 1000 for r in runs)
                log(f"  latency  {key:13} median {ms[len(ms) // 2]:.2f} ms over {len(ms)} runs")

    def memory(self):
        n = self.sizes.big_lines
        self._repeat("big", self.big_input, n, 1, ("ws",),
                     lambda r: f"{n / r.seconds:12,.0f} msg/s  {_memory(r)}")

    def machine_limits(self):
        """The machine's loopback echo on the same byte volumes (the C load client's rates are measured in
        the small and large rotations)."""
        with echo_server(self.exes["echo_server"], raw=True) as port:
            for name, path in (("raw small", self.small_input), ("raw large", self.large_input)):
                for _ in range(self.sizes.runs):
                    self._load(name, ["raw", "--port", str(port), "--bytes", str(os.path.getsize(path))])

    def http2(self):
        """wsc over wss through nghttpx, with the echo server behind it: each message on an HTTP/2 stream
        (--http2) against the same over an HTTP/1.1 upgrade, small and large messages, alternating. Kept as
        workloads "h2 small" and "h2 large", keys "wsc wss" and "wsc wss h2"."""
        variants = [Variant("wsc", tls=True), Variant("wsc", tls=True, http2=True)]
        for name, input_path, lines in (("small", self.small_input, self.sizes.small_lines),
                                        ("large", self.large_input, self.sizes.large_lines)):
            size = os.path.getsize(input_path)
            with echo_server(self.exes["echo_server"], close_after=lines) as backend, \
                    nghttpx(backend, self.tls_files[1:], os.path.join(self.work_dir, "nghttpx")) as port:
                for i, v in enumerate(rotations(variants, self.sizes.runs)):
                    run = self._client(v, port, input_path, f"h2 {name} run {i // len(variants) + 1}, {v.key}")
                    if run:
                        self.results.setdefault((f"h2 {name}", v.key), []).append(run)
                        rate = f"{lines / run.seconds:12,.0f} msg/s" if name == "small" \
                            else f"{size / run.seconds / 1e6:12,.1f} MB/s"
                        log(f"  h2 {name:5} {v.key:13} {rate}  {_memory(run)}")

    def _load_once(self, args, what):
        """One load_client run: its JSON result, or None (smoke mode) when it failed, lost or errored."""
        code, result, err = run_json([self.exes["load_client"], *args], self.timeout + 30)
        if code != 0 or result is None:
            found = f"{result['lost']} lost, {result['errors']} errors; " if result else ""
            self._fail(f"{what} [load_client {' '.join(args)}]", f"exit status {code}: {found}{err.strip()[-2000:]}")
            return None
        self._ok()
        return result

    def _load(self, name, args):
        """One load client run kept under `name` in the limits."""
        result = self._load_once(args, name)
        if result is None:
            return
        self.limits.setdefault(name, []).append(result)
        if result["messages"] and "small" in name:
            log(f"  {name:22} {result['messages'] / result['seconds']:12,.0f} msg/s")
        else:
            log(f"  {name:22} {result['bytes'] / result['seconds'] / 1e6:12,.1f} MB/s")

    # --- the server workload ----------------------------------------------------------------------------------

    def _server_argv(self, name, port):
        """wsc as an echo server (-q: no status line per connection, as websocat prints none), or websocat's
        mirror: in text mode with the same 2 MiB buffer as the client rows."""
        if name == "wsc":
            return [*self.clients["wsc"], "--listen", f"127.0.0.1:{port}", "--echo", "-q"]
        return [*self.clients["websocat"], "-t", f"ws-l:127.0.0.1:{port}", "mirror:"]

    def server(self):
        """The C load client against wsc --listen --echo and websocat's mirror:, at each connection count with
        small and 64 KiB messages, alternating; a fresh server for every run."""
        s = self.sizes
        names = [name for name in ("wsc", "websocat") if name in self.clients]
        raise_descriptor_limit(max(s.server_connections) * 2 + 64)  # the load client and the server
        for connections in s.server_connections:
            for size in SERVER_SIZES:
                total = s.server_small_total if size == SERVER_SIZES[0] else s.server_large_total
                per_connection = max(1, total // connections)
                args = ["--count", str(per_connection), "--size", str(size), "--connections", str(connections)]
                for name in rotations(names, s.runs):
                    port = free_port()
                    argv = self._server_argv(name, port)
                    with timed_server(self.exes["timed_exec"], argv, port, os.path.join(self.work_dir, "server"),
                                      self.timeout + 60) as srv:
                        result = self._load_once(["ws", "--port", str(port), *args],
                                                 f"server {name}, {connections} × {size} B")
                    if result is None:
                        continue
                    run = ServerRun(result, srv.run)
                    self.servers.setdefault((connections, size, name), []).append(run)
                    log(f"  server {name:8} {connections:5} conn × {per_connection:6} × {size:6} B "
                        f"{result['messages'] / result['seconds']:12,.0f} msg/s  p99 {result['p99_ms']:8.2f} ms  "
                        f"{_memory(srv.run)}")


    # --- wsc bench against the C load client ------------------------------------------------------------------

    def _wsc_bench(self, args, what):
        """One `wsc bench --format json` run: its report, or None (smoke mode) when it failed or lost anything."""
        argv = [*self.clients["wsc"], "bench", "--format", "json", "-q", *args]
        code, result, err = run_json(argv, self.timeout + 30)
        if code != 0 or result is None or result["messages"]["received"] != result["messages"]["sent"]:
            found = f"{result['messages']}; " if result else ""
            self._fail(f"{what} [{' '.join(argv)}]", f"exit status {code}: {found}{err.strip()[-2000:]}")
            return None
        self._ok()
        return result

    def load_test(self):
        """`wsc bench` and the C load client, alternating, against one C echo server: closed loop with the same
        connections and messages in flight, then the same constant rate; every echo checked by both."""
        s = self.sizes
        raise_descriptor_limit(max(s.load_connections) * 2 + 64)  # the clients and the echo server
        with echo_server(self.exes["echo_server"]) as port:
            url = f"ws://127.0.0.1:{port}/"
            loads = [(c, max(s.load_each, s.load_total // c), s.load_pipeline, None) for c in s.load_connections]
            loads.append((s.load_rate_connections, s.load_rate_total // s.load_rate_connections, None, s.load_rate))
            for connections, each, pipeline, rate in loads:
                pace = ["--pipeline", str(pipeline)] if pipeline else ["--rate", str(rate)]
                key = (connections, pipeline, rate)
                for client in rotations(["wsc", "load"], s.runs):
                    if client == "load":
                        result = self._load_once(["ws", "--port", str(port), "--count", str(each), "--size", "32",
                                                  "--connections", str(connections), *pace], f"load test {key}")
                        if result:
                            rate_seen, p50 = result["messages"] / result["seconds"], result["p50_ms"]
                    else:
                        result = self._wsc_bench(["-c", str(connections), "-n", str(each * connections), *pace,
                                                  url], f"wsc bench {key}")
                        if result:
                            rate_seen = result["received"]["messages_per_second"]
                            p50 = result["round_trip_ms"]["p50"]
                    if result is None:
                        continue
                    self.load_tests.setdefault((key, client), []).append((rate_seen, p50))
                    log(f"  load test {client:5} {connections:5} conn, "
                        f"{f'pipeline {pipeline}' if pipeline else f'{rate} msg/s':>13} "
                        f"{rate_seen:12,.0f} msg/s  p50 {p50:7.3f} ms")


@dataclasses.dataclass
class ServerRun:
    """One load client run against one server: the client's JSON and the server's timed run."""

    load: dict
    server: object  # procs.ClientRun


def _memory(run):
    """A run's peak RSS and peak anonymous memory, for progress lines."""
    anon = "—" if run.max_anon_mib is None else f"{run.max_anon_mib:.1f}"
    return f"RSS {run.max_rss_mib:7.1f} MiB  anon {anon:>6} MiB"
