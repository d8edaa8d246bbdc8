"""Members of the network and the people who log in for them."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.identity import UserIn, UserOut
from tandem.api.schemas.network import MemberIn, MemberOut
from tandem.services import identity, network

router = APIRouter(prefix="/members", tags=["members"])


@router.get("", name="list_members")
def list_members(services: Services, caller: Caller, page: Paging) -> PageOut[MemberOut]:
    return PageOut[MemberOut].of(network.list_members(services, caller, page))


@router.get("/{member_id}", name="get_member")
def get_member(services: Services, caller: Caller, member_id: Id) -> MemberOut:
    return MemberOut.model_validate(network.get_member(services, caller, member_id))


@router.post("", name="add_member", status_code=201)
def add_member(
    services: Services, caller: Caller, body: MemberIn, request: Request, response: Response
) -> MemberOut:
    """Onboard a member (network administrators only)."""
    member = network.add_member(services, caller, body.fields())
    created(request, response, "get_member", member_id=member.id)
    return MemberOut.model_validate(member)


@router.put("/{member_id}", name="update_member")
def update_member(services: Services, caller: Caller, member_id: Id, body: MemberIn) -> MemberOut:
    return MemberOut.model_validate(
        network.update_member(services, caller, member_id, body.fields())
    )


@router.post("/{member_id}/users", name="add_user", status_code=201)
def add_user(services: Services, caller: Caller, member_id: Id, body: UserIn) -> UserOut:
    """Give a person a login for this member (own member, or any member for an admin)."""
    command = identity.AddUser(member_id, body.email, body.display_name, body.password)
    return UserOut.model_validate(identity.add_user(services, command, actor=caller))
