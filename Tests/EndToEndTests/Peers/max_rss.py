"""Runs a command with stdout discarded and prints "MAXRSS <KiB>", the command's peak resident set size as
getrusage(RUSAGE_CHILDREN) reports it, then exits with the command's status. Used to show that wsc's
memory stays bounded; Python's own pages may be counted in too (fork before exec), which only raises it.
With --zeros N first, the command's stdin is a pipe fed N zero bytes (as from /dev/zero), then closed.
"""

import resource
import subprocess
import sys

arguments = sys.argv[1:]
zeros = 0
if arguments[0] == "--zeros":
    zeros = int(arguments[1])
    arguments = arguments[2:]
child = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stdin=subprocess.PIPE if zeros else None)
if zeros:
    chunk = bytes(1 << 20)
    try:
        for start in range(0, zeros, len(chunk)):
            child.stdin.write(chunk[:min(len(chunk), zeros - start)])
        child.stdin.close()
    except BrokenPipeError:
        pass
status = child.wait()
print(f"MAXRSS {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", flush=True)
sys.exit(status if status >= 0 else 128 - status)
