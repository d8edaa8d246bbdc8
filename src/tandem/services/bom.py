"""Bills of materials: owned by the parent item's member, read by partners only with a grant
of the category ``bills_of_materials``; an item can never (indirectly) contain itself."""

from __future__ import annotations

from dataclasses import dataclass

from tandem.domain.errors import NotFound, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import BomLine, bom_line_violations, ensure_bom_acyclic, raise_if
from tandem.domain.sharing import DataCategory
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.sharing import read_one_scoped, read_scoped

FIELDS = ("parent_item_id", "site_id")


@dataclass(frozen=True)
class BomLineFields:
    parent_item_id: int
    component_item_id: int
    quantity_per: float
    site_id: int | None = None


def list_bom_lines(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    parent_item_id: int | None = None,
) -> Page[BomLine]:
    filters = {} if parent_item_id is None else {"parent_item_id": parent_item_id}
    resource = "bom" if parent_item_id is None else f"bom parent_item={parent_item_id}"
    return read_scoped(
        ctx,
        principal,
        DataCategory.BILLS_OF_MATERIALS,
        lambda u: u.bom_lines,
        FIELDS,
        page,
        resource,
        **filters,
    )


def get_bom_line(ctx: ServiceContext, principal: Principal, line_id: int) -> BomLine:
    return read_one_scoped(
        ctx,
        principal,
        DataCategory.BILLS_OF_MATERIALS,
        lambda u: u.bom_lines,
        FIELDS,
        line_id,
        "bom line",
    )


def add_bom_line(ctx: ServiceContext, principal: Principal, fields: BomLineFields) -> BomLine:
    principal.require(Scope.NETWORK_WRITE)
    found = bom_line_violations(
        fields.parent_item_id, fields.component_item_id, fields.quantity_per, "bom line"
    )
    raise_if(found, "invalid bill of materials line")
    with ctx.uow() as uow:
        parent = uow.items.get(fields.parent_item_id)
        component = uow.items.get(fields.component_item_id)
        for name, item, item_id in (
            ("parent_item_id", parent, fields.parent_item_id),
            ("component_item_id", component, fields.component_item_id),
        ):
            if item is None or item.network_id != principal.network_id:
                found.append(Violation("bom line", f"item {item_id} does not exist", name))
        if fields.site_id is not None:
            site = uow.sites.get(fields.site_id)
            if site is None or site.member_id != principal.member_id:
                found.append(Violation("bom line", "must be one of your sites", "site_id"))
        raise_if(found, "invalid bill of materials line")
        assert parent is not None and component is not None
        principal.require_owner(parent.member_id, "bill of materials (parent item)")
        # The acyclicity rule spans every member's lines: a cycle through a partner's item
        # would break everyone's explosion. Checked over all lines, none are returned.
        skus = {i.id: i.sku for i in uow.items.find(network_id=principal.network_id)}
        edges = [
            (line.parent_item_id, line.component_item_id)
            for member in uow.members.find(network_id=principal.network_id)
            for line in uow.bom_lines.find(owner_member_id=member.id)
        ]
        edges.append((parent.id, component.id))
        ensure_bom_acyclic(edges, skus, "bom line")
        line = uow.bom_lines.add(
            BomLine(
                0, principal.member_id, parent.id, component.id, fields.quantity_per, fields.site_id
            )
        )
        uow.commit()
    return line


def delete_bom_line(ctx: ServiceContext, principal: Principal, line_id: int) -> None:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        line = uow.bom_lines.get(line_id)
        if line is None or line.owner_member_id != principal.member_id:
            raise NotFound(f"bom line {line_id} not found")
        uow.bom_lines.delete(line_id)
        uow.commit()
