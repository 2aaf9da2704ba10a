"""`nightleaf serve` starts a real server that answers the first page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, env_extra: dict[str, str] | None = None
                 ) -> subprocess.Popen[str]:
    src = str(Path(__file__).parents[2] / "src")  # this checkout's code, not an installed copy
    pythonpath = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": pythonpath, "NIGHTLEAF_DATABASE_URL": f"sqlite:///{db}",
           "NIGHTLEAF_NOW": "2026-11-24T21:00:00+01:00", **(env_extra or {})}
    proc = subprocess.Popen([sys.executable, "-m", "nightleaf", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server died:\n{proc.stdout.read() if proc.stdout else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server not ready in 30 s:\n{proc.stdout.read() if proc.stdout else ''}")


def test_serve_answers_the_first_page_with_recent_nights(tmp_path: Path) -> None:
    from nightleaf.cli.main import main

    db = tmp_path / "j.db"
    env = {"NIGHTLEAF_DATABASE_URL": f"sqlite:///{db}",
           "NIGHTLEAF_NOW": "2026-11-24T21:00:00+01:00"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        assert main(["init", "--tz", "Europe/Berlin"]) == 0
        assert main(["log", "intake", "2.5g", "--at", "yesterday 22:00"]) == 0
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    port = _free_port()
    proc = start_server(db, port)
    try:
        r = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert r.status_code == 200
        assert "Recent nights" in r.text
        assert "22:00" in r.text and "2.5" in r.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
