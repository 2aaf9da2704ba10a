"""Heights of the evening pages (``document.body.scrollHeight``) on a year of simulated data, at
390×844 and 1366×900 in Debian's Chromium, as served by the source tree given (default: this one).

    PYTHONPATH=src .venv/bin/python bench/page_heights.py [--src OTHER/src]

Prints one line per page and size: as shown, and with every <details> opened.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parents[1]
NOW = "2026-11-24T21:30:00-05:00"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default=str(HERE / "src"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from nightleaf.services import open_context
    from nightleaf.simulate import simulate_journal

    tmp = Path(tempfile.mkdtemp())
    db = tmp / "year.db"
    ctx = open_context(f"sqlite:///{db}")
    with ctx.tx() as repo:
        repo.save_journal(simulate_journal(365, seed=14, last_night=date(2026, 11, 23)))
    port = 8700 + os.getpid() % 200
    env = {**os.environ, "PYTHONPATH": args.src, "NIGHTLEAF_DATABASE_URL": f"sqlite:///{db}",
           "NIGHTLEAF_NOW": NOW}
    proc = subprocess.Popen([sys.executable, "-m", "nightleaf", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            first = True
            for size, (w, h) in {"390x844": (390, 844), "1366x900": (1366, 900)}.items():
                page = b.new_context(viewport={"width": w, "height": h}).new_page()
                page.goto(base + "/tonight")
                if first:  # a drink after kratom tonight: a DANGER finding
                    page.request.post(base + "/api/intakes", data={"amount": "3g", "at": "20:00"})
                    page.request.post(base + "/api/substances",
                                      data={"kind": "alcohol", "amount": "2", "at": "20:30"})
                    first = False
                page.goto(base + "/tonight")
                report(page, size, "/tonight")
                form = page.locator("#intake")
                form.get_by_label("Amount").fill("1g")
                form.get_by_label("Time", exact=True).fill("21:10")
                form.get_by_role("button", name="Check before saving").click()
                report(page, size, "check (21:10, past)")
            b.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def report(page, size: str, name: str) -> None:  # type: ignore[no-untyped-def]
    shown = page.evaluate("document.body.scrollHeight")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    opened = page.evaluate("document.body.scrollHeight")
    print(f"{size:9} {name:22} {shown:6} px as shown, {opened:6} px with every <details> open")


if __name__ == "__main__":
    main()
