"""A small committed network the repository, unit-of-work and scoped-read tests hang rows on."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.network import Item, Member, MemberRole, Network, Site, SiteKind


@dataclass(frozen=True)
class Seed:
    """Committed rows the repository tests hang their entities on."""

    network: Network
    other_network: Network
    members: tuple[Member, ...]
    sites: tuple[Site, ...]
    items: tuple[Item, ...]


def seed_network(engine: Engine) -> Seed:
    with SqlUnitOfWork(engine) as uow:
        network = uow.networks.add(Network(0, "coffee", "Coffee chain", "beans to cups"))
        other = uow.networks.add(Network(0, "tea", "Tea chain"))
        roles = (
            frozenset({MemberRole.MANUFACTURER}),
            frozenset({MemberRole.RETAILER, MemberRole.DISTRIBUTOR}),
            frozenset({MemberRole.SUPPLIER}),
        )
        members = tuple(
            uow.members.add(Member(0, network.id, code, code.title(), role, "NL"))
            for code, role in zip(("ROAST", "CAFE", "BEANS"), roles, strict=True)
        )
        sites = tuple(
            uow.sites.add(
                Site(0, network.id, member.id, f"S-{member.code}", member.name, kind, 52.0, 4.5)
            )
            for member, kind in zip(
                members, (SiteKind.PLANT, SiteKind.STORE, SiteKind.WAREHOUSE), strict=True
            )
        )
        items = tuple(
            uow.items.add(Item(0, network.id, member.id, f"I-{member.code}", "thing", "kg", 2.5))
            for member in members
        )
        uow.commit()
    return Seed(network, other, members, sites, items)
