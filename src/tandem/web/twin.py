"""The twin pages: the traditional-versus-SCM report (``/twin``) and the scenario builder with
side-by-side results (``/twin/scenarios``): order waves per stage and inventory over time as SVG
lines, cost bars with their 95 % intervals. The beer game lives at ``/twin/beer-game``.

Runs are plain GETs (they change nothing; the numbers come from the seed); saving a scenario or
adding a delta posts a form (CSRF token in a hidden field) and comes back to the builder.
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations, and the
# ``SignedIn`` alias is local to :func:`build_router`.
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import TandemError, ValidationFailed, Violation
from tandem.domain.scenarios import DELTA_FIELDS
from tandem.services.twin import (
    RunOptions,
    ScenarioSpec,
    compare_scenarios,
    scenarios,
    traditional_vs_scm,
)
from tandem.services.twin.views import comparison_json, report_json
from tandem.web.core import Viewer, Web, web_route_class
from tandem.web.flows import directory

COLOURS = ("#1f6f8b", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d5a97", "#30638e", "#555")
CHART_W, CHART_H = 560, 140
MAX_CHART_STAGES = 6
INTEGER_FIELDS = frozenset({"from_day", "to_day", "add_days"})
TEXT_FIELDS = frozenset({"item", "site", "supplier", "lane"})
DEFAULTS = {"periods": "120", "replications": "20", "batch_size": "4", "warmup": "14", "seed": "0"}


def _options(query: dict[str, str]) -> RunOptions:
    found, values = [], {}
    for name, default in DEFAULTS.items():
        text = query.get(name, "").strip() or default
        if not text.isdigit():
            found.append(Violation("options", "must be a whole number", name))
        values[name] = int(text) if text.isdigit() else int(default)
    if found:
        raise ValidationFailed("Check the run options", violations=found)
    return RunOptions(**values)


def delta_of(form: dict[str, str]) -> dict[str, Any]:
    """A delta from the builder's form: the type's fields that were filled in."""
    kind = form.get("type", "")
    required, optional = DELTA_FIELDS.get(kind, (frozenset(), frozenset()))
    delta: dict[str, Any] = {"type": kind}
    for name in sorted(required | optional):
        text = form.get(name, "").strip()
        if name == "on":
            delta["on"] = text == "on"
        elif text and name in TEXT_FIELDS:
            delta[name] = text
        elif text:
            try:
                delta[name] = int(text) if name in INTEGER_FIELDS else float(text)
            except ValueError:
                delta[name] = text  # the domain names it as not a number
    return delta


def polyline(values: list[float], top: float) -> str:
    """SVG points of ``values`` scaled into the chart (0 at the bottom, ``top`` at the top)."""
    if not values:
        return ""
    step = CHART_W / max(1, len(values) - 1)
    scale = CHART_H / top if top > 0 else 0.0
    return " ".join(f"{i * step:.1f},{CHART_H - v * scale:.1f}" for i, v in enumerate(values))


def _charts(results: list[Any], figure: str, stages: list[str]) -> list[dict[str, Any]]:
    charts = []
    for stage in stages:
        series = [r.paths.get(stage, {}).get(figure, ()) for r in results]
        top = max((max(s) for s in series if s), default=0.0)
        lines = [
            {"name": r.name, "colour": COLOURS[i % len(COLOURS)], "points": polyline(list(s), top)}
            for i, (r, s) in enumerate(zip(results, series, strict=True))
        ]
        charts.append({"stage": stage, "top": top, "lines": lines})
    return charts


def bars(entries: list[tuple[str, dict[str, float | None]]]) -> dict[str, Any]:
    """Cost bars with interval whiskers: ``[(label, {"value", "half_width"})]``."""
    top = max(((e["value"] or 0.0) + (e["half_width"] or 0.0) for _, e in entries), default=0.0)
    scale = (CHART_H - 10) / top if top > 0 else 0.0
    width = CHART_W / max(1, len(entries))
    out = []
    for i, (label, e) in enumerate(entries):
        value, half = e["value"] or 0.0, e["half_width"] or 0.0
        out.append(
            {
                "label": label,
                "x": i * width + width * 0.2,
                "w": width * 0.6,
                "y": CHART_H - value * scale,
                "h": value * scale,
                "low": CHART_H - max(0.0, value - half) * scale,
                "high": CHART_H - (value + half) * scale,
                "colour": COLOURS[i % len(COLOURS)],
                "value": value,
            }
        )
    return {"bars": out, "width": CHART_W, "height": CHART_H}


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    def choices(viewer: Viewer) -> dict[str, Any]:
        d = directory(web, viewer)
        codes = {s.id: s.code for s in d.sites.values()}
        return {
            "sites": sorted(codes.values()),
            "skus": sorted(i.sku for i in d.items.values()),
            "members": sorted(m.code for m in d.members.values()),
            "lanes": sorted({f"{codes[x.from_site_id]}>{codes[x.to_site_id]}" for x in d.lanes}),
        }

    @router.get("/twin", response_class=HTMLResponse)
    def report_page(
        request: Request,
        viewer: SignedIn,
        run: Annotated[str, Query()] = "",
        periods: Annotated[str, Query()] = "",
        replications: Annotated[str, Query()] = "",
        batch_size: Annotated[str, Query()] = "",
        warmup: Annotated[str, Query()] = "",
        seed: Annotated[str, Query()] = "",
    ) -> HTMLResponse:
        query = {k: v for k, v in locals().items() if isinstance(v, str)}
        report, error = None, None
        if run:
            try:
                report = report_json(
                    traditional_vs_scm(web.services, viewer.principal, _options(query))
                )
            except TandemError as failure:
                error = failure
        cost = (
            bars([(c["mode"], c["figures"]["total_cost"]) for c in report["columns"]])
            if report
            else None
        )
        shown = {**DEFAULTS, **{k: v for k, v in query.items() if v}}
        return web.render(
            request, "twin.html", viewer, nav="twin", query=shown, report=report, error=error,
            cost=cost,
        )  # fmt: skip

    @router.get("/twin/scenarios", response_class=HTMLResponse)
    def scenarios_page(
        request: Request,
        viewer: SignedIn,
        run: Annotated[list[str] | None, Query()] = None,
        periods: Annotated[str, Query()] = "",
        replications: Annotated[str, Query()] = "",
        batch_size: Annotated[str, Query()] = "",
        warmup: Annotated[str, Query()] = "",
        seed: Annotated[str, Query()] = "",
    ) -> HTMLResponse:
        query = {k: v for k, v in locals().items() if isinstance(v, str)}
        saved = scenarios.list_scenarios(web.services, viewer.principal)
        wanted = [int(x) for x in run or [] if x.isdigit()]
        result, error, charts = None, None, {}
        if wanted:
            specs = [ScenarioSpec(s.name, tuple(s.deltas)) for s in saved if s.id in wanted]
            try:
                comparison = compare_scenarios(
                    web.services, viewer.principal, specs, _options(query)
                )
                result = comparison_json(comparison)
                stages = list(comparison.results[0].node_names)[-MAX_CHART_STAGES:]
                charts = {
                    "orders": _charts(list(comparison.results), "orders", stages),
                    "on_hand": _charts(list(comparison.results), "on_hand", stages),
                    "cost": bars(
                        [(s["name"], s["figures"]["total_cost"]) for s in result["scenarios"]]
                    ),
                }
            except TandemError as failure:
                error = failure
        return web.render(
            request, "twin_scenarios.html", viewer, nav="twin", saved=saved, wanted=wanted,
            query={**DEFAULTS, **{k: v for k, v in query.items() if v}}, result=result,
            error=error, charts=charts, types=sorted(DELTA_FIELDS), choices=choices(viewer),
            width=CHART_W, height=CHART_H,
        )  # fmt: skip

    @router.post("/twin/scenarios", dependencies=checked)
    def create_scenario(
        viewer: SignedIn, name: Annotated[str, Form(max_length=200)] = ""
    ) -> Response:
        scenarios.create_scenario(web.services, viewer.principal, name, [])
        return RedirectResponse("/twin/scenarios", status_code=303)

    @router.post("/twin/scenarios/{scenario_id}/deltas", dependencies=checked)
    async def add_delta(request: Request, viewer: SignedIn, scenario_id: int) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        current = scenarios.get_scenario(web.services, viewer.principal, scenario_id)
        deltas = [*current.deltas, delta_of(form)]
        scenarios.update_scenario(web.services, viewer.principal, scenario_id, current.name, deltas)
        return RedirectResponse("/twin/scenarios", status_code=303)

    @router.post("/twin/scenarios/{scenario_id}/delete", dependencies=checked)
    def delete_scenario(viewer: SignedIn, scenario_id: int) -> Response:
        scenarios.delete_scenario(web.services, viewer.principal, scenario_id)
        return RedirectResponse("/twin/scenarios", status_code=303)

    return router
