"""Runs wsc with unusual standard descriptors and reports what happened, for the end-to-end tests.

--slow-nonblocking-stdout: stdout is a pipe in non-blocking mode that is read 4 KiB at a time with a pause
after each read, so wsc meets EAGAIN again and again; prints "BYTES <count> <sha256 prefix>" of what came
out, and with --save FILE keeps it there. --closed: wsc starts with descriptors 0, 1 and 2 closed.
--pty-stdout: stdout is a pseudo-terminal (stdin stays a file or /dev/null), and what wsc wrote to it is
kept in --save FILE (the terminal's CR LF for each LF included). Either way, then "STATUS <exit status>" and
"CPU <seconds>", the user and system time wsc used. --stdin FILE feeds a file. Standard library only.
"""

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--slow-nonblocking-stdout", action="store_true")
    parser.add_argument("--closed", action="store_true")
    parser.add_argument("--pty-stdout", action="store_true")
    parser.add_argument("--stdin")
    parser.add_argument("--save")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    stdin = open(args.stdin, "rb") if args.stdin else subprocess.DEVNULL
    if args.closed:
        def close_standard_descriptors():
            for descriptor in (0, 1, 2):
                os.close(descriptor)
        child = subprocess.Popen(command, preexec_fn=close_standard_descriptors)
        status = child.wait()
    elif args.pty_stdout:
        master, slave = os.openpty()
        child = subprocess.Popen(command, stdin=stdin, stdout=slave)
        os.close(slave)
        output = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer of the terminal is gone
                break
            if not chunk:
                break
            output += chunk
        status = child.wait()
        with open(args.save, "wb") as saved:
            saved.write(output)
    else:
        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)
        child = subprocess.Popen(command, stdin=stdin, stdout=write_end)
        os.close(write_end)
        digest = hashlib.sha256()
        count = 0
        saved = open(args.save, "wb") if args.save else None
        while True:
            chunk = os.read(read_end, 4096)
            if not chunk:
                break
            count += len(chunk)
            digest.update(chunk)
            if saved:
                saved.write(chunk)
            time.sleep(0.02)
        if saved:
            saved.close()
        status = child.wait()
        print(f"BYTES {count} {digest.hexdigest()[:16]}", flush=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"STATUS {status}", flush=True)
    print(f"CPU {usage.ru_utime + usage.ru_stime:.2f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
