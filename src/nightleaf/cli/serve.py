"""``serve``: the local web app, or (``--multi-user``) server mode on PostgreSQL."""

from __future__ import annotations

import os

import typer

from nightleaf.cli.common import _state, console
from nightleaf.config import DEFAULT_PORT
from nightleaf.errors import ConfigError


def _check_port_free(host: str, port: int) -> None:
    """Fail in one line, before anything is printed, when ``host:port`` cannot be bound."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(f"port {port} on {host} is already taken (another nightleaf "
                                  f"serve?); choose another with --port, e.g. --port {port + 1}"
                                  ) from None
            raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror}); check --host "
                              "and --port") from None


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (local only by default)."),
    port: int = typer.Option(DEFAULT_PORT, "--port", min=1, max=65535, help="Port to listen on."),
    multi_user: bool = typer.Option(False, "--multi-user",
                                    help="Server mode: sign-in, many people, PostgreSQL only."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Worker processes (server mode)."),
    allowed_host: list[str] = typer.Option(
        [], "--allowed-host", help="A name this server answers to, e.g. nightleaf.example.org "
        "(server mode; repeat for several)."),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1", "--forwarded-allow-ips",
        help="Proxies trusted for X-Forwarded-Proto/For (server mode; e.g. Caddy's address)."),
    read_db: str = typer.Option(
        "", "--read-db", metavar="URL",
        help="A streaming read replica that reports read from (server mode; writes, sign-in "
        "and share checks stay on --db). Also NIGHTLEAF_READ_DATABASE_URL."),
) -> None:
    """Start the local web app (http://127.0.0.1:8765), or server mode with --multi-user."""
    _check_port_free(host, port)
    import uvicorn

    if multi_user:
        url = _state["db"]
        if not url:
            raise ConfigError("server mode needs --db postgresql+psycopg://user@host/db")
        from nightleaf.services.accounts import open_server_store

        open_server_store(str(url)).dispose()  # refuse SQLite or a dead server in one line
        os.environ["NIGHTLEAF_DATABASE_URL"] = str(url)
        if read_db:  # a dead replica, or SQLite, fails here in one line
            open_server_store(read_db).dispose()
            os.environ["NIGHTLEAF_READ_DATABASE_URL"] = read_db
        os.environ["NIGHTLEAF_ALLOWED_HOSTS"] = ",".join(
            [*allowed_host, "127.0.0.1", "localhost", "::1"])
        console.print(f"nightleaf server mode on http://{host}:{port} ({workers} worker(s)).")
        uvicorn.run("nightleaf.web.auth:server_app", factory=True, host=host, port=port,
                    workers=workers, proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips,
                    log_level="warning")
        return
    if read_db:
        raise ConfigError("--read-db is for server mode (--multi-user) on PostgreSQL")
    from nightleaf.web.app import create_app, settle_memory

    app = create_app(_state["db"])
    console.print(f"nightleaf is running at http://{host}:{port} — press Ctrl+C to stop.")
    settle_memory()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
