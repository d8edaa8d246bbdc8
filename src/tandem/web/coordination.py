"""The coordination pages: the network's inventory proposals, and one proposal with what it
means for each member (cost under (a) and (c), transfer, cost after it), the stocking points
before → after as far as the viewer may read them, the votes so far, who is still to vote, the
approve/reject form of an affected member, and the history of every step.

The forms post normally (CSRF token in a hidden field) and come back to the proposal's page.
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations, and the
# ``SignedIn`` alias is local to :func:`build_router`.
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.coordination import ProposalEvent, ProposalEventKind, ProposalStatus, VoteChoice
from tandem.domain.errors import ValidationFailed, Violation
from tandem.services import proposals
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.web.core import Viewer, Web, web_route_class
from tandem.web.flows import Directory, directory

LIST_PAGE = 100
PAST = {"approve": "approved", "reject": "rejected"}


def describe(event: ProposalEvent, d: Directory) -> str:
    """One line of the history, in words."""
    detail = event.detail
    if event.kind is ProposalEventKind.VOTED:
        comment = f" — “{detail['comment']}”" if detail.get("comment") else ""
        return f"{PAST[detail['choice']]}{comment}"
    if event.kind is ProposalEventKind.ADOPTED:
        shown = len(detail.get("parameters", []))
        elsewhere = sum(detail.get("written_elsewhere", {}).values())
        return f"parameters written to {shown + elsewhere} stocking points"
    if event.kind is ProposalEventKind.SUPERSEDED:
        return f"superseded by proposal #{detail.get('by')}"
    if event.kind is ProposalEventKind.CREATED:
        return f"put to the vote of {len(detail.get('affected_member_ids', []))} members"
    return event.kind.value


def _choice(text: str) -> VoteChoice:
    if text not in {c.value for c in VoteChoice}:
        found = [Violation("vote", "choose approve or reject", "choice")]
        raise ValidationFailed("choose approve or reject", violations=found)
    return VoteChoice(text)


def detail_context(web: Web, viewer: Viewer, proposal_id: int) -> dict[str, Any]:
    ctx, principal = web.services, viewer.principal
    detail = proposals.get_proposal(ctx, principal, proposal_id)
    events = proposals.proposal_events(ctx, principal, proposal_id, PageRequest(0, MAX_PAGE))
    d = directory(web, viewer)
    proposal = detail.proposal
    return {
        "d": d,
        "detail": detail,
        "proposal": proposal,
        "totals": proposal.totals,
        "events": [(e, describe(e, d)) for e in events.items],
        "can_vote": detail.can_vote(viewer.member_id),
        "can_withdraw": proposal.status is ProposalStatus.OPEN
        and proposal.created_by_member_id == viewer.member_id,
        "votes": {v.member_id: v for v in detail.votes},
    }


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.get("/coordination", response_class=HTMLResponse)
    def coordination_page(
        request: Request, viewer: SignedIn, status: Annotated[str, Query()] = ""
    ) -> HTMLResponse:
        chosen = ProposalStatus(status) if status in set(ProposalStatus) else None
        page = proposals.list_proposals(
            web.services, viewer.principal, PageRequest(0, LIST_PAGE), chosen
        )
        return web.render(
            request,
            "coordination.html",
            viewer,
            nav="coordination",
            rows=page.items,
            total=page.total,
            status=chosen.value if chosen else "",
            statuses=list(ProposalStatus),
            d=directory(web, viewer),
        )

    @router.get("/coordination/proposals/{proposal_id}", response_class=HTMLResponse)
    def proposal_page(request: Request, viewer: SignedIn, proposal_id: int) -> HTMLResponse:
        context = detail_context(web, viewer, proposal_id)
        return web.render(request, "proposal.html", viewer, nav="coordination", **context)

    @router.post("/coordination/proposals/{proposal_id}/votes", dependencies=checked)
    def vote(
        viewer: SignedIn,
        proposal_id: int,
        choice: Annotated[str, Form()] = "",
        comment: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        proposals.vote(web.services, viewer.principal, proposal_id, _choice(choice), comment)
        return RedirectResponse(f"/coordination/proposals/{proposal_id}", status_code=303)

    @router.post("/coordination/proposals/{proposal_id}/withdraw", dependencies=checked)
    def withdraw(viewer: SignedIn, proposal_id: int) -> Response:
        proposals.withdraw(web.services, viewer.principal, proposal_id)
        return RedirectResponse(f"/coordination/proposals/{proposal_id}", status_code=303)

    return router
