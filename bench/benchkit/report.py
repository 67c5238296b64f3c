"""The Markdown report: wsc against websocat with the targets, then the machine's limits."""

import os
import statistics

NA = "—"


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
    if value is None:
        return NA
    return "met" if (value >= limit if op == ">=" else value <= limit) else "**missed**"


class Report:
    """Turns a finished Bench into Markdown lines."""

    def __init__(self, bench, wss_note):
        self.b, self.wss_note = bench, wss_note
        self.small_bytes = os.path.getsize(bench.small_input)
        self.large_bytes = os.path.getsize(bench.large_input)
        self.met = self.targets = 0

    def _runs(self, workload, key):
        return self.b.results.get((workload, key), [])

    def _values(self, workload, key, kind):
        runs = self._runs(workload, key)
        lines = {"small": self.b.sizes.small_lines, "big": self.b.sizes.big_lines}.get(workload)
        if kind == "msg/s":
            return [lines / r.seconds for r in runs]
        if kind == "MB/s":
            size = {"small": self.small_bytes, "large": self.large_bytes}[workload]
            return [size / r.seconds / 1e6 for r in runs]
        if kind == "ms":
            return [r.seconds * 1000 for r in runs]
        return [r.max_rss_mib for r in runs]  # MiB

    def _row(self, label, workload, kind, digits, op, limit):
        wsc = _stat(self._values(workload, "wsc ws", kind))
        other = _stat(self._values(workload, "websocat ws", kind))
        ratio = _ratio(wsc, other)
        verdict = _judge(ratio, op, limit)
        self._count(verdict)
        return (f"| {label} | {_cell(wsc, digits)} | {_cell(other, digits)} | "
                f"{NA if ratio is None else f'{ratio:.2f}×'} | {op.replace('>=', '≥ ').replace('<=', '≤ ')}"
                f"{limit:g}× | {verdict} |")

    def _count(self, verdict):
        if verdict != NA:
            self.targets += 1
            self.met += verdict == "met"

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

    def _wss_row(self, label, workload, kind, digits, limit):
        if self.wss_note:
            return f"| {label} | skipped: {self.wss_note} | {NA} | {NA} | {NA} | {NA} |"
        wss = _stat(self._values(workload, "wsc wss", kind))
        ratio = _ratio(wss, _stat(self._values(workload, "wsc ws", kind)))
        verdict = _judge(ratio, ">=", limit) if limit else NA
        self._count(verdict)
        target = f"≥ {limit:.0%} of ws" if limit else NA
        return (f"| {label} | {_cell(wss, digits)} | {NA} | {NA if ratio is None else f'{ratio:.0%} of ws'} | "
                f"{target} | {verdict} |")

    def main_table(self):
        s = self.b.sizes
        large = f"{s.large_lines} × {s.large_len // 1024} KiB" if s.large_len < 1 << 20 else \
            f"{s.large_lines} × {s.large_len >> 20} MiB"
        return [
            "| Workload | wsc | websocat | wsc/websocat | Target | Result |",
            "|---|---|---|---|---|---|",
            self._row(f"small: {s.small_lines:,} × {s.small_len} B lines, msg/s", "small", "msg/s", 0, ">=", 2),
            self._row(f"large: {large} lines, MB/s", "large", "MB/s", 1, ">=", 5),
            self._row("latency: start, connect, 1 echo, exit, ms", "latency", "ms", 2, "<=", 1),
            self._row("peak RSS, small, MiB", "small", "MiB", 1, "<=", 1.5),
            self._row("peak RSS, large, MiB", "large", "MiB", 1, "<=", 1.5),
            self._row(f"peak RSS, {s.big_lines:,} small lines, MiB", "big", "MiB", 1, "<=", 1.5),
            self._growth_row(),
            self._wss_row("wss small (wsc only), msg/s", "small", "msg/s", 0, None),
            self._wss_row("wss large (wsc only), MB/s", "large", "MB/s", 1, 0.70),
        ]

    def _limit_values(self, name, unit):
        results = self.b.limits.get(name, [])
        if unit == "msg/s":
            return [r["messages"] / r["seconds"] for r in results]
        return [r["bytes"] / r["seconds"] / 1e6 for r in results]

    def _limit_row(self, label, name, unit, client_workload, client_keys):
        limit = _stat(self._limit_values(name, unit))
        if not limit:
            return f"| {label} | {NA} | {NA} | {NA} |"
        shares = []
        for key in client_keys:
            client = _stat(self._values(client_workload, key, unit))
            share = _ratio(client, limit)
            shares.append(NA if share is None else f"{share:.1%}")
        return f"| {label} | {_cell(limit, 0 if unit == 'msg/s' else 1)} {unit} | {shares[0]} | {shares[1]} |"

    def limits_table(self):
        plain = ("wsc ws", "websocat ws")
        tls = ("wsc wss", "none")
        return [
            "| Limit, same volume | Rate | wsc as % of it | websocat as % of it |",
            "|---|---|---|---|",
            self._limit_row("raw TCP loopback echo, small volume", "raw small", "MB/s", "small", plain),
            self._limit_row("raw TCP loopback echo, large volume", "raw large", "MB/s", "large", plain),
            self._limit_row("C load client, small, ws", "load small", "msg/s", "small", plain),
            self._limit_row("C load client, large, ws", "load large", "MB/s", "large", plain),
            self._limit_row("C load client, small, wss", "load wss small", "msg/s", "small", tls),
            self._limit_row("C load client, large, wss", "load wss large", "MB/s", "large", tls),
        ]

    def tls_share(self):
        """How much of its plaintext rate each client keeps over TLS with large messages, or None without
        the figures. The C load client's share is what TLS itself costs here, with the echo server's TLS on
        the same cores: the bar against which wsc's share reads."""
        load = [_stat(self._limit_values(name, "MB/s")) for name in ("load large", "load wss large")]
        wsc = [_stat(self._values("large", key, "MB/s")) for key in ("wsc ws", "wsc wss")]
        shares = [_ratio(tls, plain) for plain, tls in (load, wsc)]
        if None in shares:
            return None
        return (f"Over TLS, large messages: the C load client keeps {shares[0]:.0%} of its plaintext rate, "
                f"wsc {shares[1]:.0%}. The C client's share is what TLS costs on this machine, where the echo "
                "server's TLS runs on the same cores.")
