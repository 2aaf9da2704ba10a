"""The API says what it returns: named schemas for every JSON answer, answers that match them,
and the same shapes as the CLI's ``--json`` for the same journal."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import TypeAdapter

from nightleaf.cli.main import main
from nightleaf.services import open_context
from nightleaf.simulate import simulate_journal
from nightleaf.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

NOW = "2026-11-24T21:00:00-05:00"


# -- the OpenAPI document -----------------------------------------------------------------------
def _json_responses(doc: dict[str, Any], *, success_only: bool) -> list[tuple[str, dict]]:
    out = []
    for path, ops in doc["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in ops.items():
            for code, resp in op["responses"].items():
                if success_only and not str(code).startswith("2"):
                    continue
                schema = resp.get("content", {}).get("application/json", {}).get("schema")
                if schema is not None:
                    out.append((f"{method.upper()} {path} {code}", schema))
    return out


def _named(schema: dict[str, Any]) -> bool:
    """A ``$ref`` to a component, or an array of them (e.g. ``/api/interactions``)."""
    return "$ref" in schema or "$ref" in schema.get("items", {})


@pytest.mark.parametrize("success_only", [True, False], ids=["2xx", "all"])
def test_at_least_90_percent_of_api_json_responses_name_a_schema(tmp_path: Path,
                                                                success_only: bool) -> None:
    doc = create_app(f"sqlite:///{tmp_path / 'j.db'}").openapi()
    responses = _json_responses(doc, success_only=success_only)
    assert len(responses) >= 34  # every route is counted: none has gone missing
    unnamed = [where for where, schema in responses if not _named(schema)]
    ratio = 1 - len(unnamed) / len(responses)
    assert ratio >= 0.9, unnamed
    for where, schema in responses:  # and each named schema is documented with its fields
        ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
        if ref:
            component = doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
            assert component.get("properties"), where


# -- a journal both shells read -----------------------------------------------------------------
@pytest.fixture(scope="module")
def journal_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('shapes') / 'journal.db'}"
    ctx = open_context(url, clock=lambda: datetime.fromisoformat(NOW))
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(30, seed=3))
    ctx.store.dispose()
    return url


@pytest.fixture(scope="module")
def api(journal_url: str) -> Iterator[TestClient]:
    ctx = open_context(journal_url, clock=lambda: datetime.fromisoformat(NOW))
    with TestClient(create_app(context=ctx), base_url="http://127.0.0.1") as c:
        yield c
    ctx.store.dispose()


@pytest.fixture
def cli_json(journal_url: str, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Callable[..., Any]:
    monkeypatch.setenv("NIGHTLEAF_DATABASE_URL", journal_url)
    monkeypatch.setenv("NIGHTLEAF_NOW", NOW)

    def run(*args: str) -> Any:
        capsys.readouterr()
        code = main([*args, "--json"])
        out = capsys.readouterr()
        assert code == 0, out.err
        return json.loads(out.out)

    return run


def shape(value: Any) -> Any:
    """Keys recursively; a list's shape is the union of its items' shapes; scalars by JSON type
    (``null`` matches any type: one record may lack a value another has)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        merged: Any = None
        for item in value:
            merged = _merge(merged, shape(item))
        return [merged]
    if value is None:
        return None
    return {bool: "boolean", int: "number", float: "number", str: "string"}[type(value)]


def _merge(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: _merge(a.get(k), b.get(k)) for k in a.keys() | b.keys()}
    if isinstance(a, list) and isinstance(b, list):
        return [_merge(a[0], b[0])]
    return a if a == b else f"{a}|{b}"


def same_shape(a: Any, b: Any, where: str = "") -> None:
    sa, sb = shape(a), shape(b)
    _compare(sa, sb, where or "$")


def _compare(a: Any, b: Any, where: str) -> None:
    if a is None or b is None:
        return
    if isinstance(a, dict) or isinstance(b, dict):
        assert isinstance(a, dict) and isinstance(b, dict), where
        assert a.keys() == b.keys(), (where, sorted(a.keys() ^ b.keys()))
        for k in a:
            _compare(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list) or isinstance(b, list):
        assert isinstance(a, list) and isinstance(b, list), where
        _compare(a[0], b[0], f"{where}[]")
    else:
        assert {"number"} >= {a, b} or a == b, (where, a, b)


READS: list[tuple[tuple[str, ...], str, Callable[[Any], Any]]] = [
    (("summary",), "/api/summary", lambda r: r),
    (("summary", "--days", "7"), "/api/summary?days=7", lambda r: r),
    (("nights",), "/api/nights", lambda r: r),
    (("tonight",), "/api/tonight", lambda r: r),
    (("legal",), "/api/legal", lambda r: r),
    (("legal", "US-CA"), "/api/legal?region=US-CA", lambda r: r),
    (("interactions", "sertraline", "tramadol", "nosuchpill"),
     "/api/interactions?name=sertraline&name=tramadol&name=nosuchpill", lambda r: r),
    (("check",), "/api/check", lambda r: r),
    (("check", "--amount", "3g"), "/api/check?amount=3g", lambda r: r),
    # the same records inside the API's wrapper (it adds findings beside them)
    (("product", "list"), "/api/products", lambda r: r["products"]),
    (("med", "list"), "/api/medicines", lambda r: [m["medicine"] for m in r["medicines"]]),
    (("condition", "list"), "/api/conditions",
     lambda r: [c["condition"] for c in r["conditions"]]),
    (("profile", "show"), "/api/profile", lambda r: r["profile"]),
    (("experiment", "list"), "/api/experiments", lambda r: r),
    (("experiment", "show", "1"), "/api/experiments/1", lambda r: r),
    (("experiment", "result", "1"), "/api/experiments/1/result", lambda r: r),
]


@pytest.mark.parametrize(("argv", "url", "part"), READS, ids=[" ".join(a) for a, _, _ in READS])
def test_cli_json_and_api_have_the_same_shape(cli_json: Callable[..., Any], api: TestClient,
                                             argv: tuple[str, ...], url: str,
                                             part: Callable[[Any], Any]) -> None:
    r = api.get(url)
    assert r.status_code == 200, r.text
    cli_out = cli_json(*argv)
    assert cli_out not in ({}, [], None)  # a comparison of nothing proves nothing
    same_shape(cli_out, part(r.json()))


def test_the_export_file_and_api_export_are_the_same_journal(
        journal_url: str, api: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIGHTLEAF_DATABASE_URL", journal_url)
    monkeypatch.setenv("NIGHTLEAF_NOW", NOW)
    assert main(["export", "json", "--out", str(tmp_path / "j.json")]) == 0
    assert json.loads((tmp_path / "j.json").read_text()) == api.get("/api/export").json()


WRITES: list[tuple[tuple[str, ...], str, dict[str, Any]]] = [
    (("med", "add", "melatonin"), "/api/medicines", {"name": "melatonin"}),
    (("condition", "add", "insomnia"), "/api/conditions", {"name": "insomnia"}),
    (("log", "pain", "4", "--context", "evening", "--at", "20:00"), "/api/pain",
     {"nrs": "4", "context": "evening", "at": "20:00"}),
    (("log", "substance", "caffeine", "--amount", "1", "--unit", "cup", "--at", "15:00"),
     "/api/substances", {"kind": "caffeine", "amount": "1", "unit": "cup", "at": "15:00"}),
    (("routine", "add", "Read a paper book", "--minutes", "20"), "/api/routine/items",
     {"text": "Read a paper book", "minutes_before_bed": 20}),
]


@pytest.mark.parametrize(("argv", "url", "body"), WRITES, ids=[" ".join(a[:2]) for a, _, _ in WRITES])
def test_cli_writes_answer_in_the_api_shape(cli_json: Callable[..., Any], api: TestClient,
                                            argv: tuple[str, ...], url: str,
                                            body: dict[str, Any]) -> None:
    r = api.post(url, json=body)
    assert r.status_code == 201, r.text
    same_shape(cli_json(*argv), r.json())


# -- answers match their schemas ----------------------------------------------------------------
GETS = ["/api/nights", "/api/nights/2026-11-20", "/api/profile", "/api/medicines",
        "/api/conditions", "/api/products", "/api/routine", "/api/tonight", "/api/summary",
        "/api/summary?days=90", "/api/dashboard", "/api/safety", "/api/legal",
        "/api/legal?region=US-CA", "/api/check?amount=3g", "/api/interactions?name=tramadol",
        "/api/export"]


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for r in routes:  # included routers are kept nested by newer FastAPI
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        elif isinstance(r, APIRoute):
            yield r


def _route_for(api: TestClient, path: str, method: str = "GET") -> APIRoute:
    for route in _routes(api.app.routes):  # type: ignore[attr-defined]
        if method in route.methods and route.path_regex.match(path):
            return route
    raise AssertionError(f"no route for {method} {path}")


@pytest.mark.parametrize("url", GETS)
def test_every_get_answer_validates_against_its_response_model(api: TestClient, url: str) -> None:
    r = api.get(url)
    assert r.status_code == 200, r.text
    route = _route_for(api, url.split("?")[0])
    assert route.response_model is not None
    TypeAdapter(route.response_model).validate_python(r.json())  # extra keys are refused too
