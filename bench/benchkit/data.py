"""Input files for the workloads (made once, kept in the build folder) and the check of what came back."""

import os
import string

LETTERS = string.ascii_lowercase.encode()


def _line(i, length):
    """Line `i` of `length` bytes: its number, then letters rotated by it, so lines differ and stay ASCII."""
    number = b"%010d" % i
    rot = i % 26
    pattern = LETTERS[rot:] + LETTERS[:rot]
    body = pattern * ((length - len(number)) // 26 + 1)
    return (number + body)[:length] + b"\n"


def lines_file(directory, count, length):
    """A file of `count` lines of `length` bytes each (plus newline); made once, reused after."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"lines-{count}x{length}.txt")
    if os.path.exists(path) and os.path.getsize(path) == count * (length + 1):
        return path
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        batch = []
        for i in range(count):
            batch.append(_line(i, length))
            if len(batch) * length >= 1 << 20:
                f.write(b"".join(batch))
                batch.clear()
        f.write(b"".join(batch))
    os.replace(tmp, path)
    return path


def _count_lines(path):
    lines = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def _first_difference(expected, got):
    with open(expected, "rb") as a, open(got, "rb") as b:
        for number, (x, y) in enumerate(zip(a, b), start=1):
            if x != y:
                return f"line {number} differs: expected {x[:60]!r}..., got {y[:60]!r}..."
    return "one output is a prefix of the other"


def verify_echo(expected, got):
    """None when `got` has exactly the lines of `expected`, else a description of the first difference."""
    want_size, got_size = os.path.getsize(expected), os.path.getsize(got)
    if want_size == got_size:
        with open(expected, "rb") as a, open(got, "rb") as b:
            while True:
                x, y = a.read(1 << 20), b.read(1 << 20)
                if x != y:
                    break
                if not x:
                    return None
    return (f"expected {_count_lines(expected)} lines / {want_size} bytes on stdout, got {_count_lines(got)} "
            f"lines / {got_size} bytes; {_first_difference(expected, got)}")
