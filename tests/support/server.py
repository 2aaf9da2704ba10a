"""A real ``nightleaf serve`` on a free port, for the serve and browser tests.

The server's stdout and stderr go into one pipe that a thread drains as it runs, so a chatty
server can never fill the pipe and block; what it printed is kept for failure messages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from tests.support.pgserver import free_port as free_port  # the e2e tests' port helper

SRC = str(Path(__file__).resolve().parents[2] / "src")  # this checkout's code, not an installed copy
KEEP = 2000  # lines of output kept for a failure message


class Server:
    """A child process whose combined output is read continuously by a daemon thread."""

    def __init__(self, cmd: Sequence[str], env: Mapping[str, str]) -> None:
        self.proc = subprocess.Popen(list(cmd), env=dict(env), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors="replace")
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._lock:
                self._lines.append(line)
                del self._lines[:-KEEP]

    def output(self) -> str:
        with self._lock:
            return "".join(self._lines)

    def poll(self) -> int | None:
        return self.proc.poll()

    def terminate(self) -> None:
        self.proc.terminate()

    def kill(self) -> None:
        self.proc.kill()

    def wait(self, timeout: float | None = None) -> int:
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def stop(self) -> None:
        """Terminate (kill after 10 s) and wait."""
        self.proc.terminate()
        try:
            self.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.wait(timeout=10)


#: generous: a loaded CI machine imports FastAPI and the knowledge base slowly
READY_SECONDS = 90


def start_server(db: Path, port: int, env_extra: dict[str, str] | None = None) -> Server:
    """``nightleaf serve`` on ``port`` with the journal ``db``; returns once /healthz answers."""
    pythonpath = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": pythonpath, "NIGHTLEAF_DATABASE_URL": f"sqlite:///{db}",
           "NIGHTLEAF_NOW": "2026-11-24T21:00:00+01:00", **(env_extra or {})}
    server = Server([sys.executable, "-m", "nightleaf", "serve", "--port", str(port)], env)
    return wait_ready(server, f"http://127.0.0.1:{port}/healthz")


def wait_ready(server: Server, url: str) -> Server:
    """``server`` once ``url`` answers 200 (polled every 0.1 s); its output in the error when it
    dies or is not ready in :data:`READY_SECONDS`."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            server.wait(timeout=5)
            raise RuntimeError(f"server died:\n{server.output()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.kill()
    server.wait(timeout=10)
    raise RuntimeError(f"server not ready in {READY_SECONDS} s:\n{server.output()}")
