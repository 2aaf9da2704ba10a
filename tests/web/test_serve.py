"""`nightleaf serve` starts a real server that answers the first page."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx

from tests.support.server import Server, free_port, start_server


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
    port = free_port()
    proc = start_server(db, port)
    try:
        r = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert r.status_code == 200, proc.output()
        assert "Recent nights" in r.text
        assert "22:00" in r.text and "2.5" in r.text
    finally:
        proc.stop()


def test_a_chatty_server_cannot_block_on_its_output_pipe() -> None:
    """2 MB of output is far more than a pipe holds (64 KiB): undrained, the child would hang."""
    chatty = Server([sys.executable, "-c", "import sys; sys.stdout.write('x' * 2_000_000); "
                     "sys.stdout.flush(); print(); print('done')"], os.environ)
    assert chatty.wait(timeout=30) == 0
    assert chatty.output().rstrip().endswith("done")
