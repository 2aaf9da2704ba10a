"""``/experiments``: set up a self-experiment, follow it night by night, read the result."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from nightleaf.errors import NightleafError
from nightleaf.io.experiment_chart import effect_svg, nights_svg
from nightleaf.services import Context
from nightleaf.services import experiments as svc
from nightleaf.services.journal import list_products
from nightleaf.web.deps import CtxDep
from nightleaf.web.pages._common import text
from nightleaf.web.render import form_error, form_values, page, redirect

router = APIRouter()

INPUTS = tuple(svc.ExperimentInput.__dataclass_fields__)
COMPARE = (("timing", "timing (minutes between intake and bed)"),
           ("amount", "amount (your own grams)"), ("product", "product"),
           ("none", "kratom or none"))
OUTCOMES = (("tst", "total sleep time (TST)"), ("sol", "time to fall asleep (SOL)"),
            ("waso", "awake after sleep onset (WASO)"), ("se", "sleep efficiency (SE)"),
            ("pain", "morning pain (NRS)"))


def _list(request: Request, ctx: Context, *, status_code: int = 200, **extra: object
          ) -> Response:
    sources = [(s, svc.source_text(s)) for s in svc.outcome_sources(ctx)]
    return page(request, "experiments.html", {
        "active": "experiments", "rows": svc.list_experiments(ctx),
        "products": [v.product.name for v in list_products(ctx)],
        "compare_opts": COMPARE, "outcome_opts": OUTCOMES, "source_opts": sources, **extra},
        status_code=status_code)


@router.get("/experiments")
def experiments_page(request: Request, ctx: CtxDep) -> Response:
    return _list(request, ctx)


@router.post("/experiments")
async def new_experiment(request: Request, ctx: CtxDep) -> Response:
    form = await request.form()
    try:
        v = svc.create(ctx, svc.ExperimentInput.from_mapping(
            {k: text(form, k) for k in INPUTS}))
    except NightleafError as exc:
        return _list(request, ctx, status_code=exc.status_code, values=form_values(form),
                     errors=form_error(exc, INPUTS))
    return redirect(f"/experiments/{v.id}?saved=new" + ("&warn=withdrawal" if v.warnings else ""))


@router.get("/experiments/{experiment_id}")
def experiment_page(request: Request, ctx: CtxDep, experiment_id: str) -> Response:
    view, nights, adherence = svc.progress(ctx, experiment_id)
    res = svc.result(ctx, experiment_id)
    primary = res["outcomes"][0]
    chart = nights_svg([{"night": n.night, "arm": n.arm, "washout": n.washout,
                         "value": n.outcome} for n in nights],
                       label=f"{primary['metric'].upper()} ({primary['unit']})"
                       + ("" if primary["metric"] == "pain" or view.source == svc.DIARY
                          else f", {view.source}"))
    effect = effect_svg(primary["effect"], primary["interval"], primary["mid"],
                        higher_is_better=primary["higher_is_better"], unit=primary["unit"])
    return page(request, "experiment.html", {
        "active": "experiments", "v": view, "nights": nights, "adherence": adherence,
        "res": res, "primary": primary, "chart": Markup(chart),  # noqa: S704 - our own SVG
        "effect": Markup(effect),  # noqa: S704 - built from numbers and escaped text
        "saved": request.query_params.get("saved"),
        "warn": svc.WITHDRAWAL_WARNING.format(n="5 or more")
        if request.query_params.get("warn") else None})


@router.post("/experiments/{experiment_id}/stop")
async def stop_experiment(request: Request, ctx: CtxDep, experiment_id: str) -> Response:
    form = await request.form()
    svc.stop(ctx, experiment_id, text(form, "reason"))
    return redirect(f"/experiments/{experiment_id}?saved=stopped")
