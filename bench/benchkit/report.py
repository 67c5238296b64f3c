"""The Markdown report: wsc against websocat with the targets, the machine's limits, the server workload."""

import os
import statistics

NA = "—"
SERVER_METRICS = (  # (column, digits, value of one ServerRun)
    ("msg/s", 0, lambda r: r.load["messages"] / r.load["seconds"]),
    ("MB/s", 1, lambda r: r.load["bytes"] / r.load["seconds"] / 1e6),
    ("p50 ms", 2, lambda r: r.load["p50_ms"]),
    ("p99 ms", 2, lambda r: r.load["p99_ms"]),
    ("peak RSS MiB", 1, lambda r: r.server.max_rss_mib),
)


def _stat(values):
    return (statistics.median(values), min(values), max(values), len(values)) if values else None


def _cell(stat, digits):
    if not stat:
        return NA
    med, lo, hi, n = stat
    f = lambda x: f"{x:,.{digits}f}"  # noqa: E731
    return f"{f(med)} ({f(lo)}–{f(hi)})" if n > 1 else f(med)


def _ratio(a, b):
    return a[0] / b[0] if a and b and b[0] else None


def _judge(value, op, limit):
    """Whether `value` meets the target: at least or at most `limit`, or within `limit` of 1 (op "±")."""
    if value is None or op is None:
        return NA
    met = value >= limit if op == ">=" else value <= limit if op == "<=" else abs(value - 1) <= limit
    return "met" if met else "**missed**"


def _target(op, limit, unit="×"):
    if op == "±":
        return f"within {limit:.0%}"
    return NA if op is None else f"{'≥' if op == '>=' else '≤'} {limit:g}{unit}"


def _size(n):
    return f"{n >> 20} MiB" if n >= 1 << 20 else f"{n >> 10} KiB" if n >= 1 << 10 else f"{n} B"


class Report:
    """Turns a finished Bench into Markdown lines; counts the targets met on the way."""

    def __init__(self, bench, wss_note):
        self.b, self.wss_note = bench, wss_note
        self.small_bytes = os.path.getsize(bench.small_input)
        self.large_bytes = os.path.getsize(bench.large_input)
        self.met = self.targets = 0

    def _values(self, workload, key, kind):
        runs = self.b.results.get((workload, key), [])
        volume = workload.removeprefix("h2 ")  # the HTTP/2 rows send the same files
        lines = {"small": self.b.sizes.small_lines, "big": self.b.sizes.big_lines}.get(volume)
        if kind == "msg/s":
            return [lines / r.seconds for r in runs]
        if kind == "MB/s":
            size = {"small": self.small_bytes, "large": self.large_bytes}[volume]
            return [size / r.seconds / 1e6 for r in runs]
        if kind == "ms":
            return [r.seconds * 1000 for r in runs]
        if kind == "anon":
            return [r.max_anon_mib for r in runs if r.max_anon_mib is not None]
        return [r.max_rss_mib for r in runs]  # MiB

    def _count(self, verdict):
        if verdict != NA:
            self.targets += 1
            self.met += verdict == "met"

    def _row(self, label, workload, kind, digits, op, limit, transport="ws", other_client="websocat"):
        """wsc against another client on one workload and transport, judged by their ratio (op None: not
        judged)."""
        wsc = _stat(self._values(workload, f"wsc {transport}", kind))
        other = _stat(self._values(workload, f"{other_client} {transport}", kind))
        ratio = _ratio(wsc, other)
        verdict = _judge(ratio, op, limit)
        self._count(verdict)
        return (f"| {label} | {_cell(wsc, digits)} | {_cell(other, digits)} | "
                f"{NA if ratio is None else f'{ratio:.2f}×'} | {_target(op, limit)} | {verdict} |")

    def _growth_row(self):
        cells, verdict = [], NA
        for key in ("wsc ws", "websocat ws"):
            small, big = _stat(self._values("small", key, "MiB")), _stat(self._values("big", key, "MiB"))
            growth = _ratio(big, small)
            cells.append(NA if growth is None else f"{growth:.2f}×")
            if key == "wsc ws":
                verdict = _judge(growth, "<=", 1.2)
        self._count(verdict)
        return f"| RSS growth, {self.b.sizes.small_lines:,} → {self.b.sizes.big_lines:,} lines | " \
               f"{cells[0]} | {cells[1]} | {NA} | wsc ≤ 1.2× (flat) | {verdict} |"

    def _tls_limit_row(self):
        """Each client's wss large rate as a share of the C load client's over TLS; wsc's is judged."""
        limit = _stat(self._limit_values("load wss large", "MB/s"))
        shares = [_ratio(_stat(self._values("large", f"{c} wss", "MB/s")), limit) for c in ("wsc", "websocat")]
        verdict = _judge(shares[0], ">=", 0.70)
        self._count(verdict)
        cells = [NA if share is None else f"{share:.0%}" for share in shares]
        return (f"| wss large, % of the C load client's TLS rate | {cells[0]} | {cells[1]} | {NA} | "
                f"wsc ≥ 70 % | {verdict} |")

    def _skipped(self, label):
        return f"| {label} | skipped: {self.wss_note} | {NA} | {NA} | {NA} | {NA} |"

    def main_table(self):
        """The rows of the parts this run measured (ws, wss); wss rows say why when wsc cannot do TLS."""
        s = self.b.sizes
        ws, wss = "ws" in self.b.parts, "wss" in self.b.parts
        small = f"{s.small_lines:,} × {s.small_len} B lines"
        large = f"{s.large_lines} × {_size(s.large_len)} lines"
        rows = ["| Workload | wsc | websocat | wsc/websocat | Target | Result |", "|---|---|---|---|---|---|"]
        if ws:
            # The first round's lead, kept (a figure under these is a regression).
            rows += [self._row(f"small: {small}, msg/s", "small", "msg/s", 0, ">=", 3),
                     self._row(f"large: {large}, MB/s", "large", "MB/s", 1, ">=", 8),
                     self._row("latency: start, connect, 1 echo, exit, ms", "latency", "ms", 2, "<=", 1)]
        tls_rows = [("wss small, msg/s", "small", "msg/s", 0, ">=", 2),
                    ("wss large, MB/s", "large", "MB/s", 1, ">=", 5),
                    ("wss latency: start, connect, 1 echo, exit, ms", "latency", "ms", 2, "<=", 1)]
        if wss:
            rows += [self._row(*row, transport="wss") for row in tls_rows] + [self._tls_limit_row()]
        elif self.wss_note:
            rows += [self._skipped(row[0]) for row in tls_rows]
        memory = [("small", "small", "ws"), ("large", "large", "ws"), (f"{s.big_lines:,} small lines", "big", "ws")]
        memory = [m for m in memory if ws] + [m for m in [("wss small", "small", "wss"), ("wss large", "large", "wss")]
                                              if wss]
        for label, workload, transport in memory:
            rows.append(self._row(f"peak RSS, {label}, MiB", workload, "MiB", 1, "<=", 1.5, transport))
            rows.append(self._row(f"peak anonymous memory, {label}, MiB", workload, "anon", 1, "<=", 1, transport))
        if ws:
            rows.append(self._growth_row())
        return rows

    def compare_table(self):
        """wsc against the --compare binary on the client workloads; no targets."""
        if not any(key.startswith("compare ") for _, key in self.b.results):
            return []
        rows = ["| Workload | wsc | --compare | wsc/--compare |", "|---|---|---|---|"]
        workloads = [("small, msg/s", "small", "msg/s", 0), ("large, MB/s", "large", "MB/s", 1),
                     ("latency, ms", "latency", "ms", 2), ("peak RSS, small, MiB", "small", "MiB", 1),
                     ("peak anonymous memory, small, MiB", "small", "anon", 1)]
        for transport in [t for t in ("ws", "wss") if t in self.b.parts]:
            for name, workload, kind, digits in workloads:
                row = self._row(f"{transport} {name}", workload, kind, digits, None, None, transport, "compare")
                rows.append(row.rsplit(" | ", 2)[0] + " |")  # without the Target and Result cells
        return rows

    def _limit_values(self, name, unit):
        results = self.b.limits.get(name, [])
        if unit == "msg/s":
            return [r["messages"] / r["seconds"] for r in results]
        return [r["bytes"] / r["seconds"] / 1e6 for r in results]

    def _limit_row(self, label, name, unit, client_workload, transport):
        limit = _stat(self._limit_values(name, unit))
        if not limit:
            return f"| {label} | {NA} | {NA} | {NA} |"
        shares = []
        for client in ("wsc", "websocat"):
            share = _ratio(_stat(self._values(client_workload, f"{client} {transport}", unit)), limit)
            shares.append(NA if share is None else f"{share:.1%}")
        return f"| {label} | {_cell(limit, 0 if unit == 'msg/s' else 1)} {unit} | {shares[0]} | {shares[1]} |"

    def limits_table(self):
        rows = [("raw TCP loopback echo, small volume", "raw small", "MB/s", "small", "ws"),
                ("raw TCP loopback echo, large volume", "raw large", "MB/s", "large", "ws"),
                ("C load client, small, ws", "load small", "msg/s", "small", "ws"),
                ("C load client, large, ws", "load large", "MB/s", "large", "ws"),
                ("C load client, small, wss", "load wss small", "msg/s", "small", "wss"),
                ("C load client, large, wss", "load wss large", "MB/s", "large", "wss")]
        return ["| Limit, same volume | Rate | wsc as % of it | websocat as % of it |", "|---|---|---|---|"] + [
            self._limit_row(*row) for row in rows if row[-1] in self.b.parts]

    def http2_table(self):
        """wsc over wss through nghttpx: HTTP/2 streams against HTTP/1.1 upgrades; HTTP/2 must keep 85 % of the
        HTTP/1.1 rate."""
        if "h2" not in self.b.parts:
            return []
        rows = ["| Workload, wss through nghttpx | HTTP/1.1 | HTTP/2 (--http2) | HTTP/2 / HTTP/1.1 | Target | Result |",
                "|---|---|---|---|---|---|"]
        s = self.b.sizes
        for label, workload, kind, digits in ((f"small: {s.small_lines:,} × {s.small_len} B lines, msg/s",
                                               "h2 small", "msg/s", 0),
                                              (f"large: {s.large_lines} × {_size(s.large_len)} lines, MB/s",
                                               "h2 large", "MB/s", 1)):
            http1, http2 = (_stat(self._values(workload, key, kind)) for key in ("wsc wss", "wsc wss h2"))
            ratio = _ratio(http2, http1)
            verdict = _judge(ratio, ">=", 0.85)
            self._count(verdict)
            rows.append(f"| {label} | {_cell(http1, digits)} | {_cell(http2, digits)} | "
                        f"{NA if ratio is None else f'{ratio:.0%}'} | ≥ 85 % | {verdict} |")
        return rows

    def tls_share(self):
        """How much of its plaintext rate each client keeps over TLS with large messages, or None without
        the figures. The C load client's share is what TLS itself costs here, with the echo server's TLS on
        the same cores: the bar against which the clients' shares read."""
        pairs = {"the C load client": [_stat(self._limit_values(n, "MB/s")) for n in ("load large", "load wss large")]}
        for client in ("wsc", "websocat"):
            pairs[client] = [_stat(self._values("large", f"{client} {t}", "MB/s")) for t in ("ws", "wss")]
        shares = {who: _ratio(tls, plain) for who, (plain, tls) in pairs.items()}
        if shares["the C load client"] is None or shares["wsc"] is None:
            return None
        kept = ", ".join(f"{who} {share:.0%}" for who, share in shares.items() if share is not None)
        return (f"Over TLS, large messages, the share of its plaintext rate each keeps: {kept}. The C client's "
                "share is what TLS costs on this machine, where the echo server's TLS runs on the same cores.")

    def server_table(self):
        """One row per load and server; the websocat row carries wsc/websocat for msg/s and peak RSS."""
        if not self.b.servers:
            return []
        head = " | ".join(column for column, _, _ in SERVER_METRICS)
        rows = [f"| Load (connections × messages each × size) | Server | {head} | RSS/conn KiB "
                "| wsc/websocat msg/s, peak RSS |",
                "|---|---|" + "---|" * len(SERVER_METRICS) + "---|---|"]
        loads = sorted({(c, size) for c, size, _ in self.b.servers})
        for connections, size in loads:
            stats = {}
            for name in ("wsc", "websocat"):
                runs = self.b.servers.get((connections, size, name))
                if not runs:
                    continue
                stats[name] = [_stat([value(r) for r in runs]) for _, _, value in SERVER_METRICS]
                each = runs[0].load["messages"] // connections
                cells = " | ".join(_cell(st, digits) for st, (_, digits, _) in zip(stats[name], SERVER_METRICS))
                ratio = NA
                if name == "websocat" and "wsc" in stats:
                    rate, rss = (_ratio(stats["wsc"][i], stats["websocat"][i]) for i in (0, 4))
                    ratio = f"{rate:.2f}×, {rss:.2f}×"
                per_connection = self._rss_per_connection(connections, size, name)
                rows.append(f"| {connections:,} × {each:,} × {_size(size)} | {name} | {cells} | "
                            f"{NA if per_connection is None else f'{per_connection:,.1f}'} | {ratio} |")
        return rows

    def server_targets_table(self):
        """wsc's echo server against websocat's at each load: msg/s at least 2×, p99 and RSS per connection no
        more than websocat's (every echo is checked by the run itself: a loss or an error fails it)."""
        loads = sorted({(c, size) for c, size, name in self.b.servers if name == "websocat"})
        if not loads:
            return []
        rows = ["| Server target | wsc | websocat | wsc/websocat | Target | Result |", "|---|---|---|---|---|---|"]
        for connections, size in loads:
            runs = {name: self.b.servers.get((connections, size, name), []) for name in ("wsc", "websocat")}
            if not runs["wsc"]:
                continue
            load = f"{connections:,} × {_size(size)}"
            for label, index, digits, op, limit in (("msg/s", 0, 0, ">=", 2), ("p99 ms", 3, 2, "<=", 1)):
                value = SERVER_METRICS[index][2]
                stats = [_stat([value(r) for r in runs[name]]) for name in ("wsc", "websocat")]
                ratio = _ratio(*stats)
                verdict = _judge(ratio, op, limit)
                self._count(verdict)
                rows.append(f"| {load}, {label} | {_cell(stats[0], digits)} | {_cell(stats[1], digits)} | "
                            f"{NA if ratio is None else f'{ratio:.2f}×'} | {_target(op, limit)} | {verdict} |")
            if connections > 1:
                per = [self._rss_per_connection(connections, size, name) for name in ("wsc", "websocat")]
                ratio = per[0] / per[1] if None not in per and per[1] > 0 else None
                verdict = _judge(ratio, "<=", 1)
                self._count(verdict)
                cells = [NA if p is None else f"{p:,.1f}" for p in per]
                rows.append(f"| {load}, RSS per connection, KiB | {cells[0]} | {cells[1]} | "
                            f"{NA if ratio is None else f'{ratio:.2f}×'} | {_target('<=', 1)} | {verdict} |")
        return rows

    def load_table(self):
        """wsc bench beside the C load client at the same load: msg/s closed loop (target ≥ 50 % of the C
        client's), p50 at a low constant rate (target within 10 % of the C client's)."""
        if not self.b.load_tests:
            return []
        rows = ["| Load (32 B messages, one C echo server) | wsc bench | C load client | wsc bench / C | Target "
                "| Result |", "|---|---|---|---|---|---|"]
        for key in sorted({key for key, _ in self.b.load_tests}, key=lambda k: (k[2] is not None, k[0])):
            connections, pipeline, rate = key
            column, digits, op, limit = (1, 3, "±", 0.10) if rate else (0, 0, ">=", 0.50)
            stats = [_stat([run[column] for run in self.b.load_tests.get((key, c), [])]) for c in ("wsc", "load")]
            ratio = _ratio(*stats)
            verdict = _judge(ratio, op, limit)
            self._count(verdict)
            target = "within 10 % of C" if rate else "≥ 50 % of C"
            label = (f"p50 ms at {rate:,} msg/s over {connections:,} connections" if rate else
                     f"msg/s, {connections:,} connection{'s' * (connections > 1)} × {pipeline} in flight")
            rows.append(f"| {label} | {_cell(stats[0], digits)} | {_cell(stats[1], digits)} | "
                        f"{NA if ratio is None else f'{ratio:.0%}'} | {target} | {verdict} |")
        return rows

    def _rss_per_connection(self, connections, size, name):
        """What one more connection adds to the server's peak RSS, in KiB: (median peak at `connections` −
        median peak at 1 connection, same message size) / (connections − 1). Against 1 connection rather than
        the idle server, so the code pages a first connection faults in do not count as per-connection."""
        peaks = [_stat([r.server.max_rss_mib for r in self.b.servers.get((n, size, name), [])])
                 for n in (connections, 1)]
        if connections == 1 or None in peaks:
            return None
        return (peaks[0][0] - peaks[1][0]) * 1024 / (connections - 1)
