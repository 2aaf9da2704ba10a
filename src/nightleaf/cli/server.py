"""``server``: set up and administer a multi-user nightleaf on PostgreSQL (server mode)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import typer

from nightleaf.cli.common import _state, console
from nightleaf.errors import ConfigError, InputError

server_app = typer.Typer(help="Server mode: many people on one PostgreSQL (init, accounts).",
                         no_args_is_help=True)

DB = typer.Option(None, "--db", metavar="URL", envvar="NIGHTLEAF_DATABASE_URL",
                  help="The server's PostgreSQL URL (postgresql+psycopg://user@host/db).")
PASSWORD_STDIN = typer.Option(False, "--password-stdin",
                              help="Read the password from the first line of standard input.")


def _url(db: str | None) -> str:
    url = db or _state["db"]
    if not url:
        raise ConfigError("give the server's database with --db postgresql+psycopg://user@host/db")
    return str(url)


def _now() -> datetime:
    from nightleaf.services.context import clock_from_env

    clock = clock_from_env()
    return clock() if clock else datetime.now(UTC)


def _password(from_stdin: bool) -> str:
    if not from_stdin:
        raise InputError("give the password on standard input with --password-stdin (it never "
                         "goes on the command line, where other users could read it)",
                         field="password")
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError("no password on standard input", field="password")
    return line


@server_app.command("init")
def init_cmd(db: str = DB) -> None:
    """Create or upgrade the server database: migrations, row-level security, the app role."""
    from nightleaf.services.accounts import init_server

    store = init_server(_url(db))
    store.dispose()
    console.print("The server database is ready (schema up to date, row-level security on, "
                  "role nightleaf_app for the web app).")


@server_app.command("add-user")
def add_user_cmd(
    email: str = typer.Argument(..., help="The account's email address (its sign-in name)."),
    db: str = DB,
    password_stdin: bool = PASSWORD_STDIN,
    role: str = typer.Option("person", "--role", help="person, clinician or admin."),
) -> None:
    """Add an account; a person gets their own empty journal."""
    from nightleaf.services.accounts import add_user, open_server_store

    password = _password(password_stdin)
    store = open_server_store(_url(db))
    try:
        acc = add_user(store, email, password, role=role, now=_now())
    finally:
        store.dispose()
    console.print(f"Added {acc.email} ({acc.role}).")


@server_app.command("reset-password")
def reset_password_cmd(
    email: str = typer.Argument(..., help="The account whose password an administrator resets."),
    db: str = DB,
    password_stdin: bool = PASSWORD_STDIN,
) -> None:
    """Set a new password for an account (administrator); all its sessions end."""
    from nightleaf.services.accounts import open_server_store, reset_password

    password = _password(password_stdin)
    store = open_server_store(_url(db))
    try:
        ended = reset_password(store, email, password, now=_now())
    finally:
        store.dispose()
    console.print(f"New password set for {email.strip().lower()}; {ended} session(s) ended.")


def register(app: typer.Typer) -> None:
    app.add_typer(server_app, name="server")
