"""Write ``docs/cli.md``, the command reference, from the Typer app itself.

Every command and group with its help, usage, arguments and options (names, type, help with
default), plus how to get shell completion. Run after changing a command or an option::

    .venv/bin/python tools/gen_cli_docs.py           # rewrite docs/cli.md
    .venv/bin/python tools/gen_cli_docs.py --check   # exit 1 if docs/cli.md is stale

``tests/test_cli_docs.py`` fails when the committed file differs from what this prints, or when a
command or an option has no help text.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "cli.md"
PROG = "nightleaf"


def root_command() -> Any:
    """The click command tree of ``nightleaf``, in the app's own help style."""
    import typer.main

    from nightleaf.cli import main

    build = getattr(main, "command", None)  # the app's own, tidied tree where it has one
    return build() if callable(build) else typer.main.get_command(main.app)


def walk(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group under ``cmd`` (itself first), depth first, in declared order."""
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        if not getattr(sub, "hidden", False):
            yield from walk(sub, (*path, name))


def _context(cmd: Any, path: tuple[str, ...]) -> Any:
    return cmd.context_class(cmd, info_name=" ".join((PROG, *path)))


def _visible(cmd: Any) -> list[Any]:
    return [p for p in cmd.params if not getattr(p, "hidden", False) and p.name != "help"]


def missing_help(cmd: Any) -> list[str]:
    """``nightleaf log intake --note``-style names of commands and options without help text."""
    missing = []
    for path, c in walk(cmd):
        name = " ".join((PROG, *path))
        if not (c.help or "").strip():
            missing.append(name)
        for p in _visible(c):
            if p.param_type_name == "option" and not (p.help or "").strip():
                missing.append(f"{name} {p.opts[0]}")
    return missing


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or "—"


def _param_row(p: Any, ctx: Any) -> str:
    record = p.get_help_record(ctx)
    names_and_type, help_text = record if record else (", ".join(p.opts), "")
    names = ", ".join(f"`{o}`" for o in (*p.opts, *p.secondary_opts))
    # the record reads "-p, --product <str>": the type follows the last name
    _name, _, kind = names_and_type.split(", ")[-1].partition(" ")
    kind = "flag" if getattr(p, "is_flag", False) else kind.strip().strip("<>") or "text"
    if p.param_type_name == "argument":
        names = f"`{(p.metavar or p.name).upper()}`"
        help_text = help_text or (p.help or "")
    return f"| {names} | {_cell(kind)} | {_cell(help_text)} |"


def _section(path: tuple[str, ...], cmd: Any) -> list[str]:
    ctx = _context(cmd, path)
    level = "#" * min(2 + len(path), 4)
    title = " ".join((PROG, *path))
    lines = [f"{level} `{title}`", ""]
    lines += [inspect.cleandoc(cmd.help or ""), ""]
    usage = " ".join(cmd.collect_usage_pieces(ctx))
    lines += ["```", f"{title} {usage}".rstrip(), "```", ""]
    params = _visible(cmd)
    if params:
        lines += ["| argument / option | type | help |", "| --- | --- | --- |"]
        lines += [_param_row(p, ctx) for p in params]
        lines.append("")
    subs = [(n, s) for n, s in getattr(cmd, "commands", {}).items() if not getattr(s, "hidden", False)]
    if subs:
        lines += ["Commands:", ""]
        lines += [f"- `{title} {n}` — {_cell(s.get_short_help_str(limit=90))}" for n, s in subs]
        lines.append("")
    return lines


def _completion(root: Any) -> list[str]:
    options = {o for p in root.params for o in p.opts}
    lines = ["## Shell completion", ""]
    if "--install-completion" in options:
        lines += [
            "Typer provides completion for bash, zsh, fish and PowerShell:",
            "",
            "```sh",
            f"{PROG} --install-completion        # for the shell you are in; restart the shell",
            f"{PROG} --show-completion           # print the script instead, to install by hand",
            "```",
            "",
        ]
    else:
        lines += [
            f"`{PROG}` is built without Typer's completion options (`add_completion=False` in",
            "`src/nightleaf/cli/main.py`, which keeps start-up light), so it installs no completion",
            "script and a shell does not complete its commands. Turning it on adds",
            f"`{PROG} --install-completion` (bash, zsh, fish, PowerShell) and",
            f"`{PROG} --show-completion`; this page then documents them.",
            "",
        ]
    return lines


def render() -> str:
    root = root_command()
    commands = list(walk(root))
    lines = [
        "# Command reference",
        "",
        "<!-- generated by tools/gen_cli_docs.py from the Typer app: do not edit by hand;",
        "     tests/test_cli_docs.py fails when this file is stale -->",
        "",
        f"Every `{PROG}` command, its help, and every argument and option with its type and help.",
        f"`{PROG} COMMAND --help` prints the same in the terminal. Read commands take `--json`.",
        "",
        "Contents:",
        "",
    ]
    for path, _cmd in commands[1:]:
        title = " ".join((PROG, *path))
        anchor = title.replace(" ", "-")
        lines.append(f"{'  ' * (len(path) - 1)}- [`{title}`](#{anchor})")
    lines.append("")
    lines += _section((), root)
    for path, cmd in commands[1:]:
        lines += _section(path, cmd)
    lines += _completion(root)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python tools/gen_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
