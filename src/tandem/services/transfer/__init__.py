"""Whole-network import and export through a :class:`NetworkSnapshot`.

An import checks every row against the rules of the model first and reports *all* problems, each
naming sheet, row and column; only a clean snapshot is written, in one transaction. Nothing is
ever half-imported.

An import either creates a network (the default) or, with ``update=True``, upserts the rows of
the file into an existing network by natural key. An update never deletes: rows of the network
that the file does not list are kept as they are.
"""

from __future__ import annotations

from tandem.domain.errors import DuplicateCode, ImportRejected
from tandem.domain.snapshot import NetworkSnapshot
from tandem.services.context import ServiceContext
from tandem.services.transfer.common import EntityCounts, ImportSummary, Progress
from tandem.services.transfer.create import _create
from tandem.services.transfer.export import export_snapshot, network_exists
from tandem.services.transfer.rules import validate_snapshot
from tandem.services.transfer.update import _upsert

__all__ = [
    "EntityCounts",
    "ImportSummary",
    "Progress",
    "export_snapshot",
    "import_snapshot",
    "network_exists",
    "validate_snapshot",
]


def import_snapshot(
    ctx: ServiceContext,
    snapshot: NetworkSnapshot,
    progress: Progress | None = None,
    update: bool = False,
) -> ImportSummary:
    """Create the network of ``snapshot``; reject it whole if any row breaks a rule.

    With ``update=True`` and a network of that code already there, upsert instead, in one
    transaction (all or nothing), matching rows by natural key: members and sites by code, items
    by SKU, item-sites by (item, site), BOM lines by (parent, component, site), lanes by (from
    site, to site, item, mode), demand by (site, item, day), users by e-mail. Existing users keep
    their password unless the row gives one. **Nothing is deleted**: rows of the network that
    the file does not list are kept unchanged. Moving a site, an item or a user to another member
    is rejected (naming sheet, row and column). Without a network of that code, ``update=True``
    creates it as a plain import does.
    """
    found = validate_snapshot(snapshot)
    if found:
        raise ImportRejected(
            f"network {snapshot.code!r} rejected: {len(found)} problems, nothing imported",
            violations=found,
        )
    report = progress or (lambda _stage, _done, _total: None)
    with ctx.uow() as uow:
        existing = uow.networks.find(code=snapshot.code)
        if existing and not update:
            raise DuplicateCode(f"network {snapshot.code!r} already exists")
        if existing:
            summary = _upsert(ctx, uow, existing[0], snapshot, report)
        else:
            summary = _create(ctx, uow, snapshot, report)
        uow.commit()
    return summary
