"""A throwaway PostgreSQL server for the test session (the server refuses to run as root)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """A throwaway PostgreSQL in a temporary directory (as ``postgres`` when root: it refuses
    root). ``options``: more server settings for ``pg_ctl -o`` (e.g. ``-c max_connections=200``)."""

    def __init__(self, options: str = "") -> None:
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found: run `make test` (it installs "
                               "Debian's postgresql) or set NIGHTLEAF_TEST_PG_URL")
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="nightleaf-pg-"))
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.url = f"postgresql+psycopg://nightleaf@127.0.0.1:{self.port}/postgres"
        self.options = options
        self.postmaster_pid: int | None = None

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{res.stdout}\n{res.stderr}\n{log}")

    def start(self) -> PgServer:
        data = self.dir / "data"
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "nightleaf",
                  "--no-sync", "-E", "UTF8")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                  f"{self.options}".strip(), "-l", str(self.dir / "log"), "-w", "start")
        self.postmaster_pid = int((data / "postmaster.pid").read_text().split()[0])
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast",
                      "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def _as_postgres(cmd: list[str]) -> list[str]:
    """``cmd`` run as the ``postgres`` user when we are root (PostgreSQL and PgBouncer refuse
    to run as root)."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _own_dir(prefix: str) -> Path:
    d = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(d, pw.pw_uid, pw.pw_gid)
    return d


def create_database(admin_url: str, template: str | None = None) -> str:
    """A new database on the server of ``admin_url`` (copied from ``template``); its URL."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    eng = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with eng.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'
                              + (f' TEMPLATE "{template}"' if template else "")))
    finally:
        eng.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


class PgReplica:
    """A streaming replica of a :class:`PgServer` (``pg_basebackup -R -X stream``) on its own
    loopback port: read-only, a moment behind the primary."""

    def __init__(self, primary: PgServer) -> None:
        self.primary = primary
        self.dir = _own_dir("nightleaf-replica-")
        self.port = free_port()
        self.url = primary.url.replace(f":{primary.port}/", f":{self.port}/")

    def _run(self, *args: str) -> None:
        res = subprocess.run(_as_postgres(list(args)), capture_output=True, text=True,
                             timeout=120)
        if res.returncode != 0:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{res.stdout}\n{res.stderr}\n{log}")

    def start(self) -> PgReplica:
        bindir = self.primary.bindir
        self._run(str(bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port),
                  "-U", "nightleaf", "-D", str(self.dir / "data"), "-R", "-X", "stream",
                  "--no-sync", "--checkpoint=fast")
        self._run(str(bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
                  "-l", str(self.dir / "log"), "-w", "start")
        return self

    def halt(self) -> None:
        """Stop the replica server (as a crash or an outage would), keeping its files."""
        if (self.dir / "data" / "postmaster.pid").exists():
            self._run(str(self.primary.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-m",
                      "fast", "stop")

    def stop(self) -> None:
        try:
            self.halt()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


#: PgBouncer's configuration for the tests, as docs/server.md recommends (transaction pooling)
PGBOUNCER_INI = """\
[databases]
* = host={pg_host} port={pg_port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {dir}/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 8
ignore_startup_parameters = extra_float_digits
logfile = {dir}/pgbouncer.log
pidfile = {dir}/pgbouncer.pid
"""


class PgBouncer:
    """PgBouncer in transaction mode in front of the PostgreSQL at ``pg_url`` (it refuses to
    run as root, so root runs it as ``postgres``). ``url(db_url)`` points a URL at it."""

    def __init__(self, pg_url: str, users: tuple[str, ...] = ("nightleaf", "nightleaf_app")
                 ) -> None:
        from sqlalchemy.engine import make_url

        exe = shutil.which("pgbouncer") or (
            "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)
        if exe is None:
            raise RuntimeError("pgbouncer is not installed: run `make system-deps`")
        self.exe = exe
        parsed = make_url(pg_url)
        self.pg_host, self.pg_port = parsed.host or "127.0.0.1", parsed.port or 5432
        self.dir = _own_dir("nightleaf-pgbouncer-")
        self.port = free_port()
        self.users = users

    def url(self, db_url: str) -> str:
        """``db_url`` through the pooler, psycopg's prepared statements off (PgBouncer 1.18
        cannot carry them from one server connection to the next)."""
        from sqlalchemy.engine import make_url

        u = make_url(db_url).set(host="127.0.0.1", port=self.port)
        return u.update_query_dict({"prepare_threshold": "none"}).render_as_string(
            hide_password=False)

    def start(self) -> PgBouncer:
        import time

        (self.dir / "userlist.txt").write_text("".join(f'"{u}" ""\n' for u in self.users))
        ini = self.dir / "pgbouncer.ini"
        ini.write_text(PGBOUNCER_INI.format(pg_host=self.pg_host, pg_port=self.pg_port,
                                            port=self.port, dir=self.dir))
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            for f in (ini, self.dir / "userlist.txt"):
                os.chown(f, pw.pw_uid, pw.pw_gid)
        res = subprocess.run(_as_postgres([self.exe, "-d", str(ini)]), capture_output=True,
                             text=True, timeout=30)
        if res.returncode != 0:
            raise RuntimeError(f"pgbouncer failed to start:\n{res.stdout}\n{res.stderr}")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"pgbouncer not listening:\n{self.log()}")

    def log(self) -> str:
        f = self.dir / "pgbouncer.log"
        return f.read_text(errors="replace") if f.exists() else ""

    def stop(self) -> None:
        import signal

        try:
            pid = int((self.dir / "pgbouncer.pid").read_text().strip())
            os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            pass
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
