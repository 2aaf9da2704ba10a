"""Issue 13: the dashboard shows wearable nights beside (never mixed into) the diary, labelled by
source, with the file's own figures (the real Oura v1 sample)."""

from __future__ import annotations

import html
import json
import re
from statistics import mean

from fastapi.testclient import TestClient

from nightleaf.services import Context
from nightleaf.services.imports import import_wearable
from tests.support.common import real_fixture


def test_the_dashboard_shows_oura_nights_beside_the_diary(profiled: TestClient,
                                                          ctx: Context) -> None:
    path = real_fixture("oura", "themontypython_oura_api_v1_sleep_2023-01_2023-02.json")
    assert import_wearable(ctx, path).added == 39
    raw = json.loads(path.read_text())["sleep"]
    r = profiled.get("/dashboard?days=90&last=2023-02-10")
    assert r.status_code == 200, r.text
    card = r.text[r.text.index('aria-labelledby="c-wear"'):]
    card = card[:card.index("</section>")]
    tst_h = mean(p["total"] for p in raw) / 3600
    m = re.search(r"<b>Oura</b>: (\d+) nights; total sleep ([\d.]+) h on average", card)
    assert m is not None, card
    assert int(m.group(1)) == 39
    assert float(m.group(2)) == round(tst_h, 1)
    assert "never averaged with it" in card
    # the diary's series stays empty: the device's nights are not mixed into it
    found = re.search(r"data-series='([^']*)'", r.text)
    assert found is not None
    series = json.loads(html.unescape(found.group(1)))
    assert all(v is None for v in series["tst_h"])
    assert any(v is not None for v in series["wearable"]["oura"]["tst_h"])
