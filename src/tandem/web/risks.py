"""The risk pages: the shared register (filters, the 5 x 5 heat map, a form to add a risk), one
risk (status, mitigations, history) and the time-to-survive / time-to-recover table with its
what-if form (Simchi-Levi et al. 2015, *Interfaces* 45(5)).

The forms post normally (CSRF token in a hidden field) and come back to the page; the analysis
form is a plain GET (it changes nothing) and shows its problems in place.
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations, and the
# ``SignedIn`` alias is local to :func:`build_router`.
import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import TandemError
from tandem.domain.risks import (
    RiskBand,
    RiskCategory,
    RiskEvent,
    RiskStatus,
    band_of,
    heat_map,
)
from tandem.services import risks
from tandem.services.risk_analysis import AnalysisRequest, ExtraStock, SecondSource, analyse_risks
from tandem.services.risks import RiskFields, RiskFilter
from tandem.web.core import Viewer, Web, web_route_class
from tandem.web.flows import Fields, directory

LIST_PAGE = 200
SCALE = range(1, 6)


def _choice(enum: Any, text: str) -> Any:
    return enum(text) if text in {e.value for e in enum} else None


def _number(fields: Fields, text: str, field: str, *, positive: bool = False) -> float | None:
    """A finite number (``None`` when blank); a problem is noted when it is not one."""
    if not text.strip():
        return None
    try:
        value = float(text.strip().replace(",", ""))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        fields.fail(field, f"{text.strip()!r} is not a {'positive' if positive else ''} number")
        return None
    return value


def _ids(values: list[str]) -> frozenset[int]:
    return frozenset(int(v) for v in values if v.strip().isdigit())


def _risk_fields(form: dict[str, Any]) -> RiskFields:
    fields = Fields("risk")
    category = _choice(RiskCategory, form["category"])
    if category is None:
        fields.fail("category", "choose a category")
    scale = {}
    for name in ("likelihood", "impact"):
        text = form[name].strip()
        scale[name] = int(text) if text.isdigit() else 0
    recovery = _number(fields, form["recovery_days"], "recovery_days")
    review = fields.optional_day(form["review_date"], "review_date")
    fields.raise_if_any("Check the risk")
    return RiskFields(
        form["title"].strip(),
        category,
        scale["likelihood"],
        scale["impact"],
        form["description"].strip(),
        _ids(form["site_ids"]),
        _ids(form["lane_ids"]),
        frozenset(),
        form["owner_name"].strip(),
        review,
        recovery,
    )


def describe(event: RiskEvent) -> str:
    """One line of a risk's history, in words."""
    detail = event.detail
    if "status" in detail and isinstance(detail["status"], list):
        note = f" — “{detail['note']}”" if detail.get("note") else ""
        return f"{detail['status'][0]} → {detail['status'][1]}{note}"
    if "number" in detail:
        return f"mitigation {detail['number']}: {detail.get('text', '')}"
    if event.kind.value == "updated":
        return "changed " + ", ".join(sorted(detail)) if detail else "no change"
    return f"recorded: {detail.get('title', '')}"


def _analysis_request(query: dict[str, str]) -> AnalysisRequest:
    fields = Fields("analysis")
    ttr = _number(fields, query["default_ttr"], "default_ttr_days")
    extra: tuple[ExtraStock, ...] = ()
    second: tuple[SecondSource, ...] = ()
    quantity = _number(fields, query["extra_quantity"], "extra_quantity", positive=True)
    if quantity is not None:
        site = fields.identifier(query["extra_site"], "extra_site", "choose a site")
        item = fields.identifier(query["extra_item"], "extra_item", "choose an item")
        extra = (ExtraStock(site, item, quantity),)
    if query["source_from"].strip():
        origin = fields.identifier(query["source_from"], "source_from", "choose a site")
        target = fields.identifier(query["source_to"], "source_to", "choose a site")
        item = fields.identifier(query["source_item"], "source_item", "choose an item")
        cap = _number(fields, query["source_capacity"], "source_capacity", positive=True)
        second = (SecondSource(origin, target, item, cap),)
    fields.raise_if_any("Check the analysis form")
    return AnalysisRequest(14.0 if ttr is None else ttr, extra_stock=extra, second_sources=second)


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.get("/risks", response_class=HTMLResponse)
    def risks_page(
        request: Request,
        viewer: SignedIn,
        status: Annotated[str, Query()] = "",
        category: Annotated[str, Query()] = "",
        band: Annotated[str, Query()] = "",
        site: Annotated[str, Query()] = "",
    ) -> HTMLResponse:
        wanted = RiskFilter(
            _choice(RiskStatus, status),
            _choice(RiskCategory, category),
            _choice(RiskBand, band),
            int(site) if site.isdigit() else None,
        )
        rows = risks.visible_risks(web.services, viewer.principal, wanted, "risks")
        d = directory(web, viewer)
        return web.render(
            request,
            "risks.html",
            viewer,
            nav="risks",
            d=d,
            rows=rows[:LIST_PAGE],
            total=len(rows),
            cells=heat_map(rows),
            band_of=band_of,
            scale=SCALE,
            wanted=wanted,
            statuses=list(RiskStatus),
            categories=list(RiskCategory),
            bands=list(RiskBand),
            lanes=d.lanes,
        )

    @router.post("/risks", dependencies=checked)
    def create_risk(
        viewer: SignedIn,
        title: Annotated[str, Form(max_length=200)] = "",
        category: Annotated[str, Form()] = "",
        likelihood: Annotated[str, Form()] = "",
        impact: Annotated[str, Form()] = "",
        description: Annotated[str, Form(max_length=2000)] = "",
        site_ids: Annotated[list[str] | None, Form()] = None,
        lane_ids: Annotated[list[str] | None, Form()] = None,
        owner_name: Annotated[str, Form(max_length=200)] = "",
        recovery_days: Annotated[str, Form()] = "",
        review_date: Annotated[str, Form()] = "",
    ) -> Response:
        form = {
            "title": title, "category": category, "likelihood": likelihood, "impact": impact,
            "description": description, "site_ids": site_ids or [], "lane_ids": lane_ids or [],
            "owner_name": owner_name, "recovery_days": recovery_days, "review_date": review_date,
        }  # fmt: skip
        risks.create_risk(web.services, viewer.principal, _risk_fields(form))
        return RedirectResponse("/risks", status_code=303)

    @router.get("/risks/analysis", response_class=HTMLResponse)
    def analysis_page(
        request: Request,
        viewer: SignedIn,
        run: Annotated[str, Query()] = "",
        default_ttr: Annotated[str, Query()] = "14",
        extra_site: Annotated[str, Query()] = "",
        extra_item: Annotated[str, Query()] = "",
        extra_quantity: Annotated[str, Query()] = "",
        source_from: Annotated[str, Query()] = "",
        source_to: Annotated[str, Query()] = "",
        source_item: Annotated[str, Query()] = "",
        source_capacity: Annotated[str, Query()] = "",
    ) -> HTMLResponse:
        query = {k: v for k, v in locals().items() if isinstance(v, str)}
        result, error = None, None
        if run:
            try:
                result = analyse_risks(web.services, viewer.principal, _analysis_request(query))
            except TandemError as problem:
                error = problem
        return web.render(
            request,
            "risks_analysis.html",
            viewer,
            nav="risks",
            d=directory(web, viewer),
            result=result,
            error=error,
            query=query,
        )

    @router.get("/risks/{risk_id}", response_class=HTMLResponse)
    def risk_page(request: Request, viewer: SignedIn, risk_id: int) -> HTMLResponse:
        risk = risks.get_risk(web.services, viewer.principal, risk_id)
        events = risks.risk_history(web.services, viewer.principal, risk_id)
        return web.render(
            request,
            "risk.html",
            viewer,
            nav="risks",
            d=directory(web, viewer),
            risk=risk,
            events=[(e, describe(e)) for e in events],
            statuses=list(RiskStatus),
            can_edit=risk.owner_member_id == viewer.member_id,
        )

    def back(risk_id: int) -> Response:
        return RedirectResponse(f"/risks/{risk_id}", status_code=303)

    @router.post("/risks/{risk_id}/status", dependencies=checked)
    def change_status(
        viewer: SignedIn,
        risk_id: int,
        status: Annotated[str, Form()] = "",
        version: Annotated[int | None, Form()] = None,
        note: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        chosen = _choice(RiskStatus, status)
        if chosen is None:
            fields = Fields("risk")
            fields.fail("status", "choose a status")
            fields.raise_if_any("Choose a status")
        risks.change_status(web.services, viewer.principal, risk_id, chosen, version, note)
        return back(risk_id)

    @router.post("/risks/{risk_id}/mitigations", dependencies=checked)
    def add_mitigation(
        viewer: SignedIn,
        risk_id: int,
        text: Annotated[str, Form(max_length=2000)] = "",
        due_date: Annotated[str, Form()] = "",
        version: Annotated[int | None, Form()] = None,
    ) -> Response:
        fields = Fields("mitigation")
        due = fields.optional_day(due_date, "due_date")
        fields.raise_if_any("Check the mitigation")
        risks.add_mitigation(web.services, viewer.principal, risk_id, text.strip(), due, version)
        return back(risk_id)

    @router.post("/risks/{risk_id}/mitigations/{number}/complete", dependencies=checked)
    def complete_mitigation(
        viewer: SignedIn,
        risk_id: int,
        number: int,
        version: Annotated[int | None, Form()] = None,
    ) -> Response:
        risks.finish_mitigation(web.services, viewer.principal, risk_id, number, version)
        return back(risk_id)

    return router
