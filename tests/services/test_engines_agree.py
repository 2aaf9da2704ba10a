"""SQLite and PostgreSQL agree: product names match ignoring case beyond ASCII, NUL characters
are refused before either engine sees them, and long names from wearable files fit both."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nightleaf.errors import Conflict, InputError
from nightleaf.model.entities import Product, SleepEpisode
from nightleaf.services import Context
from nightleaf.services import products as products_svc
from nightleaf.services.inputs import IntakeInput, ProductInput
from nightleaf.store.repo import fit_episode


def test_product_names_match_ignoring_case_beyond_ascii(ctx: Context) -> None:
    for name in ("Ärger Bali", "Straße Red", "ΣΙΣΥΦΟΣ"):
        products_svc.add_product(ctx, ProductInput(name=name))
    with ctx.tx() as repo:
        assert products_svc.find_product(repo, "ärger bali").name == "Ärger Bali"
        assert products_svc.find_product(repo, "STRASSE RED").name == "Straße Red"
        assert products_svc.find_product(repo, "σισυφοσ").name == "ΣΙΣΥΦΟΣ"
    with pytest.raises(Conflict, match="already exists"):
        products_svc.add_product(ctx, ProductInput(name="ÄRGER BALI"))


def test_nul_characters_are_refused_and_nothing_is_written(ctx: Context) -> None:
    with pytest.raises(InputError, match="NUL") as err:
        products_svc.add_product(ctx, ProductInput(name="Red\x00Bali"))
    assert err.value.field == "name"
    with pytest.raises(InputError, match="NUL"):
        IntakeInput(amount="3g", note="a\x00b")
    with ctx.tx() as repo:
        assert repo.all(Product) == []


def _episode(ext: str, device: str) -> SleepEpisode:
    start = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    return SleepEpisode(source="apple_health", external_id=ext, start=start,
                        end=start + timedelta(hours=8), tz="UTC", night=date(2026, 3, 1),
                        device=device, tst_minutes=420.0)


def test_long_source_names_fit_both_engines_and_import_once(ctx: Context) -> None:
    long = "Sleep Tracker " * 40  # 560 characters, longer than the columns
    ep = _episode(f"night/2026-03-01/{long}", long + "\x00")
    with ctx.tx() as repo:
        assert repo.upsert_episodes([ep]) == (1, 0, 0)
    with ctx.tx() as repo:
        assert repo.upsert_episodes([ep]) == (0, 0, 1)  # the same key on a second import
        (stored,) = repo.episodes()
    assert stored.external_id.startswith("sha256:") and len(stored.device or "") == 200
    assert "\x00" not in (stored.device or "")


@given(st.text(max_size=300))
def test_fitting_is_stable_and_always_fits(s: str) -> None:
    ep = fit_episode(_episode(s, s))
    assert len(ep.external_id) <= 200 and "\x00" not in ep.external_id
    assert len(ep.device or "") <= 200 and "\x00" not in (ep.device or "")
    assert fit_episode(_episode(s, s)) == ep
