"""Runs a command with stdout discarded and prints "MAXRSS <KiB>", the command's peak resident set size as
getrusage(RUSAGE_CHILDREN) reports it, then exits with the command's status. Used to show that wsc's
memory stays bounded; Python's own pages may be counted in too (fork before exec), which only raises it.
"""

import resource
import subprocess
import sys

status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(f"MAXRSS {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", flush=True)
sys.exit(status if status >= 0 else 128 - status)
