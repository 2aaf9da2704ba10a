"""scripts/system-deps.sh waits for another apt/dpkg process's lock, bounded and saying so."""

from __future__ import annotations

import fcntl
import os
import subprocess
import threading
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "system-deps.sh"


def _run(lock: Path, wait: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NIGHTLEAF_APT_LOCKS": str(lock), "NIGHTLEAF_APT_WAIT": str(wait)}
    return subprocess.run(["bash", str(SCRIPT), "--wait-only"], env=env, capture_output=True,
                          text=True, timeout=60)


def test_a_free_lock_does_not_wait(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    lock.touch()
    r = _run(lock, 5)
    assert r.returncode == 0 and r.stderr == ""


def test_a_held_lock_is_waited_for_then_given_up_with_a_message(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    with lock.open("a") as held:  # held open and locked, as dpkg does
        fcntl.lockf(held, fcntl.LOCK_EX)
        t = time.monotonic()
        r = _run(lock, 2)
        elapsed = time.monotonic() - t
    assert r.returncode == 1
    assert f"another apt/dpkg process holds {lock}; waiting for it (up to 2s)" in r.stderr
    assert "gave up after 2s" in r.stderr
    assert 1.5 < elapsed < 30


def test_a_lock_released_while_waiting_lets_it_go_on(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    held = lock.open("a")
    fcntl.lockf(held, fcntl.LOCK_EX)
    threading.Timer(2.0, held.close).start()  # the other apt run finishes
    r = _run(lock, 30)
    assert r.returncode == 0, r.stderr
    assert "waiting for it" in r.stderr and "the package lock is free after" in r.stderr


def _list_missing(tmp_path: Path, present: tuple[str, ...]) -> list[str]:
    """The script's answer on a PATH holding only stand-ins for ``present`` (and ``ls``)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in present:
        exe = fake / name
        exe.write_text("#!/bin/sh\nexit 0\n")
        exe.chmod(0o755)
    (fake / "ls").symlink_to("/bin/ls")
    env = {**os.environ, "PATH": str(fake), "NIGHTLEAF_SBIN": str(tmp_path / "no-sbin")}
    r = subprocess.run(["/bin/bash", str(SCRIPT), "--list-missing"], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


BASE = ("chromium", "pdftoppm", "initdb", "tmux", "npm")


def test_caddy_pgbouncer_and_certutil_are_installed_when_missing(tmp_path: Path) -> None:
    assert _list_missing(tmp_path, BASE) == ["caddy", "pgbouncer", "libnss3-tools"]


def test_nothing_is_missing_when_all_are_there(tmp_path: Path) -> None:
    assert _list_missing(tmp_path, (*BASE, "caddy", "pgbouncer", "certutil")) == []
