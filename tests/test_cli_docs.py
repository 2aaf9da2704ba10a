"""docs/cli.md is the command reference generated from the Typer app, and nothing lacks help."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import typer

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "tools" / "gen_cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_cli_docs", module)
    spec.loader.exec_module(module)
    return module


gen = _generator()


def test_docs_cli_md_is_the_generated_reference() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == gen.render(), "docs/cli.md is stale: run .venv/bin/python tools/gen_cli_docs.py"


def test_every_command_and_option_has_help_text() -> None:
    assert gen.missing_help(gen.root_command()) == []


def test_every_command_and_option_is_in_docs_cli_md() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    commands = list(gen.walk(gen.root_command()))
    assert len(commands) > 40
    for path, cmd in commands:
        section = text.split(f"`{' '.join(('nightleaf', *path))}`\n", 1)
        assert len(section) == 2, f"nightleaf {' '.join(path)} has no section in docs/cli.md"
        body = section[1].split("\n#", 1)[0]
        for param in cmd.params:
            if param.param_type_name == "option" and param.name != "help":
                assert f"`{param.opts[0]}`" in body, (path, param.opts[0])


def test_missing_help_names_what_lacks_it() -> None:
    """The check above can fail: a command and an option without help are both reported."""
    app = typer.Typer(add_completion=False, help="A demo app.")

    @app.command()
    def first(x: str = typer.Option(None, "--x", help="has help")) -> None:
        """Has help."""

    @app.command()
    def second(y: str = typer.Option(None, "--why")) -> None:  # no docstring, no option help
        pass

    assert gen.missing_help(typer.main.get_command(app)) == ["nightleaf second", "nightleaf second --why"]


def test_check_mode_reports_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(gen, "OUT", stale)
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0 and gen.main(["--check"]) == 0
