"""``serve``: the local web app."""

from __future__ import annotations

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
) -> None:
    """Start the local web app (http://127.0.0.1:8765)."""
    _check_port_free(host, port)
    import uvicorn

    from nightleaf.web.app import create_app, settle_memory

    app = create_app(_state["db"])
    console.print(f"nightleaf is running at http://{host}:{port} — press Ctrl+C to stop.")
    settle_memory()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
