"""Generators of pathological import inputs (zip bombs, endless lines) and a runner that reads
them in a fresh Python process and reports its peak RSS, for tests and bench/import_limits.py.

The bombs are made on the fly and cost almost nothing to make: one deflate block of ``fill``
bytes, flushed so that it is self-contained, repeated. The zip headers state the real sizes
(and a CRC of 0: no reader gets far enough to check it).
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

MiB = 1 << 20


def _deflate_repeated(fill: bytes, size: int, block: int = MiB) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = c.compress(fill * (block // len(fill))) + c.flush(zlib.Z_FULL_FLUSH)
    n, rest = divmod(size, block)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = tail.compress(fill * (rest // len(fill))) + tail.flush(zlib.Z_FINISH)
    return one * n + end


def zip_bomb(path: Path, member: str, size: int, *, head: bytes = b"", fill: bytes = b" ",
             declared: int | None = None) -> Path:
    """A zip holding ``member``: ``head`` then ``fill`` up to ``size`` bytes, deflated.
    ``declared`` overrides the inflated size the headers state (a lying header)."""
    hc = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = hc.compress(head) + hc.flush(zlib.Z_FULL_FLUSH) if head else b""
    data += _deflate_repeated(fill, size - len(head))
    usize = size if declared is None else declared
    name = member.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, 0, len(data),
                        usize, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, 0,
                          len(data), usize, len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central),
                      len(local) + len(data), 0)
    path.write_bytes(local + data + central + end)
    return path


def endless_file(path: Path, head: bytes, size: int, fill: bytes = b"0",
                 tail: bytes = b"") -> Path:
    """``head``, then ``fill`` up to ``size`` bytes, then ``tail``, written in 1 MiB steps."""
    with path.open("wb") as fh:
        fh.write(head)
        left = size - len(head) - len(tail)
        chunk = fill * (MiB // len(fill))
        while left > 0:
            fh.write(chunk[:left])
            left -= MiB
        fh.write(tail)
    return path


@dataclass
class Run:
    code: int
    message: str
    peak_mb: float
    seconds: float


_READ = """
import json, resource, sys, time
from nightleaf.errors import NightleafError
from nightleaf.io.detect import read_episodes
t = time.perf_counter()
try:
    n = sum(1 for _ in read_episodes(sys.argv[1], tz="UTC", fmt=sys.argv[2]))
    code, msg = 0, f"{n} episodes"
except NightleafError as exc:
    code, msg = 2, exc.message
secs = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:  # ru_maxrss keeps the high-water mark of the process that exec'd us (pytest): VmHWM
    # is this program's own peak
    with open("/proc/self/status") as fh:
        peak = next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    pass
print(json.dumps({"code": code, "message": msg, "peak_mb": peak, "seconds": secs}))
"""


def read_in_subprocess(path: Path, fmt: str, *, env: dict[str, str] | None = None,
                       timeout: float = 300) -> Run:
    """Read ``path`` as ``fmt`` in a fresh interpreter; its peak RSS and time. The peak is
    ``VmHWM`` (Linux), since ``getrusage``'s ``ru_maxrss`` carries over the parent's high-water
    mark through fork and exec; ``ru_maxrss`` elsewhere."""
    import os

    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _READ, str(path), fmt], capture_output=True,
                         text=True, timeout=timeout, env={**os.environ, **(env or {})})
    if out.returncode != 0 or not out.stdout.strip():
        raise AssertionError(f"reader crashed ({out.returncode}): {out.stderr[-2000:]}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return Run(r["code"], r["message"], r["peak_mb"], time.perf_counter() - t)
