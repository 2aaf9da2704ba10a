"""``serve``: the local web app."""

from __future__ import annotations

import typer

from nightleaf.cli.common import _state, console
from nightleaf.config import DEFAULT_PORT


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (local only by default)."),
    port: int = typer.Option(DEFAULT_PORT, "--port", min=1, max=65535, help="Port to listen on."),
) -> None:
    """Start the local web app (http://127.0.0.1:8765)."""
    import uvicorn

    from nightleaf.web.app import create_app

    app = create_app(_state["db"])
    console.print(f"nightleaf is running at http://{host}:{port} — press Ctrl+C to stop.")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
