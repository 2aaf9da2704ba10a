"""Every service error names a field id that exists as an input of the web form and as an option
(or argument) of the CLI command, so a missing mapping fails here, not in front of a person."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import typer.main
from fastapi.testclient import TestClient

from nightleaf.cli.common import error_line, option_for
from nightleaf.cli.main import app as cli_app
from nightleaf.errors import NightleafError
from nightleaf.services import Context, diary, plan, products, routine, safety, setup
from nightleaf.services.inputs import (
    BatchInput,
    IntakeInput,
    MorningInput,
    PainInput,
    ProductInput,
    ProfileInput,
    SleepInput,
    SubstanceInput,
)
from tests.support.web import post


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[Context], Any]  # a use case fed one bad value
    field: str  # the field id its error must carry
    form: str | None  # the web form's action (None: the use case has no web form)
    cli: tuple[str, ...]  # the CLI command


def _morning(**kw: Any) -> Callable[[Context], Any]:
    return lambda ctx: plan.save_morning(ctx, MorningInput(**kw))


CASES = [
    *[Case(f"morning {f}", _morning(**{f: v}), f, "/morning", ("morning",)) for f, v in (
        ("into_bed", "25:99"), ("tried_to_sleep", "x"), ("sol", "abc"), ("awakenings", "1.5"),
        ("waso", "³"), ("final_awakening", "nope"), ("out_of_bed", "2026-11-30 07:00"),
        ("quality", "9"), ("rested", "0"), ("nrs", "11"))],
    Case("morning side effects", _morning(side_effects=["nausea"]), "side_effects", "/morning",
         ("morning",)),
    Case("morning night", _morning(night="someday"), "night", "/morning", ("morning",)),
    *[Case(f"sleep {f}", lambda ctx, f=f: diary.log_sleep(ctx, SleepInput(**{f: "x"})), f, None,
           ("log", "sleep")) for f in SleepInput.field_ids() if f not in ("note",)],
    *[Case(f"intake {f}", lambda ctx, f=f, v=v: safety.preview_intake(
        ctx, IntakeInput(**{"amount": "3g", f: v})), f, "/tonight/check", ("log", "intake"))
      for f, v in (("amount", "³"), ("at", "25:99"), ("capsule_mg", "x"), ("tea_grams", "²"),
                   ("product", "³"), ("batch", "nope"))],
    *[Case(f"substance {f}", lambda ctx, f=f, v=v: diary.log_substance(
        ctx, SubstanceInput(**{"kind": "alcohol", f: v})), f, "/tonight/substance",
           ("log", "substance")) for f, v in (("kind", "beer"), ("amount", "x"), ("at", "x"))],
    Case("substance name", lambda ctx: diary.log_substance(ctx, SubstanceInput(kind="medicine")),
         "name", "/tonight/substance", ("log", "substance")),
    *[Case(f"pain {f}", lambda ctx, f=f, v=v: diary.log_pain(
        ctx, PainInput(**{"nrs": "3", f: v})), f, "/tonight/pain", ("log", "pain"))
      for f, v in (("nrs", "²"), ("at", "x"))],
    *[Case(f"product {f}", lambda ctx, f=f, v=v: products.add_product(
        ctx, ProductInput(**{"name": "Red", f: v})), f, "/products", ("product", "add"))
      for f, v in (("name", " "), ("vein", "purple"), ("form", "gas"), ("capsule_mg", "x"))],
    *[Case(f"batch {f}", lambda ctx, f=f, v=v: products.add_batch(
        ctx, BatchInput(**{"product": "Red", f: v})), f, "/products/batches", ("batch", "add"))
      for f, v in (("mitragynine_pct", "x"), ("seven_oh_pct", "200"), ("purchased_on", "x"),
                   ("test_date", "x"), ("heavy_metals", "x"), ("microbial", "x"),
                   ("pesticides", "x"), ("product", "³"))],
    *[Case(f"profile {f}", lambda ctx, f=f, v=v: setup.set_profile(
        ctx, ProfileInput(**{f: v})), f, "/settings/profile", ("profile", "set"))
      for f, v in (("tz", "Mars/Base"), ("region", "ZZ-??"), ("bedtime", "x"), ("lead", "³"),
                   ("wake", "x"), ("max_grams", "500"), ("max_nights", "9"),
                   ("work_days", "someday"))],
    *[Case(f"routine {f}", lambda ctx, f=f, v=v: routine.add_item(
        ctx, **{"text": "Screens off", "minutes_before_bed": None} | {
            {"minutes": "minutes_before_bed"}.get(f, f): v}), f, "/settings/routine",
           ("routine", "add")) for f, v in (("text", " "), ("minutes", "abc"))],
]


def _form_inputs(html: str, action: str) -> set[str]:
    m = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert m, f"no form posting to {action}"
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', m.group(1)))


def _cli_command(path: tuple[str, ...]) -> Any:
    cmd: Any = typer.main.get_command(cli_app)
    for token in path:
        cmd = cmd.commands[token]
    return cmd


@pytest.fixture
def journal(profiled: TestClient, ctx: Context) -> Context:
    post(profiled, "/products", {"name": "Red", "vein": "red", "form": "powder"})
    return ctx


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_service_error_names_an_input_of_the_form_and_an_option_of_the_cli(
        case: Case, journal: Context, profiled: TestClient) -> None:
    with pytest.raises(NightleafError) as info:
        case.call(journal)
    fields = [e.field for e in getattr(info.value, "errors", [])] or [info.value.field]
    assert case.field in fields, f"{case.name}: error fields {fields}, message {info.value}"
    assert option_for(_cli_command(case.cli), case.field), \
        f"`nightleaf {' '.join(case.cli)}` has no option or argument for {case.field!r}"
    if case.form is not None:
        page = "/" + case.form.strip("/").split("/")[0]
        assert case.field in _form_inputs(profiled.get(page).text, case.form), \
            f"the form {case.form} has no input named {case.field!r}"


def test_the_cli_names_its_own_flag_for_a_field() -> None:
    from nightleaf.errors import InputError

    exc = InputError("tried to sleep: cannot read the time 'x'", field="tried_to_sleep")
    assert error_line(exc, cli_app, ["log", "sleep", "--tried", "x"]) == \
        "--tried: tried to sleep: cannot read the time 'x'"


@pytest.mark.parametrize(("action", "data", "field"), [
    ("/morning", {"sol": "abc", "quality": "9"}, "sol"),
    ("/morning", {"tried_to_sleep": "x"}, "tried_to_sleep"),
    ("/tonight/intake/check", {"amount": "³"}, "amount"),
    ("/tonight/intake/check", {"amount": "3g", "tea_grams": "²"}, "tea_grams"),
    ("/products/batches", {"product": "Red", "seven_oh_pct": "x"}, "seven_oh_pct"),
    ("/settings/routine", {"text": "Tea", "minutes": "abc"}, "minutes"),
    ("/settings/profile", {"tz": "Europe/Berlin", "lead": "x", "max_nights": "9"},
     "max_nights"),
])
@pytest.mark.usefixtures("journal")
def test_a_form_error_lands_beside_its_input(profiled: TestClient, action: str,
                                             data: dict[str, str], field: str) -> None:
    r = post(profiled, action, data)
    assert r.status_code in (404, 422), r.text[-400:]
    m = re.search(rf'<p id="e-[\w-]*?{field}" class="field-error"[^>]*>([^<]+)</p>', r.text)
    assert m, f"no error beside {field!r}"
    assert "--" not in m.group(1)
    assert 'class="error" role="alert"' not in r.text, "an error fell to the general slot"
