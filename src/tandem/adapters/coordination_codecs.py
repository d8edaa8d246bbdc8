"""Row codecs of coordinated inventory (see :mod:`tandem.adapters.coordination_tables`)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tandem.adapters import coordination_tables as c
from tandem.adapters.codec import Codec, enum_codec
from tandem.domain.coordination import (
    MemberShare,
    Placement,
    Proposal,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
    TransferRule,
    Vote,
    VoteChoice,
)

COORDINATION_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "inventory_proposals": (
        c.inventory_proposal,
        enum_codec(Proposal, status=ProposalStatus, transfer_rule=TransferRule),
    ),
    "proposal_placements": (c.proposal_placement, Codec(Placement)),
    "proposal_shares": (c.proposal_share, Codec(MemberShare)),
    "proposal_votes": (c.proposal_vote, enum_codec(Vote, choice=VoteChoice)),
    "proposal_events": (c.proposal_event, enum_codec(ProposalEvent, kind=ProposalEventKind)),
}
