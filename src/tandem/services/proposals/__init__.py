"""Network inventory proposals: put an optimum to the vote, vote, withdraw, adopt.

The optimum arrives as a complete :class:`ProposalDraft` (computed by the MEIO engines); this
service checks it against the platform (stocking points of the network, owners, members),
stores it, and runs the lifecycle of :mod:`tandem.domain.coordination`. Every step appends a
:class:`ProposalEvent`. Adoption — the last affected member approving — writes the planning
parameters of every placed stocking point in the same transaction.

Visibility: every member of the network sees every proposal, its member shares (costs under
(a) and (c), transfers), its votes and its history. A placement (one stocking point's before and
after) is shown in full only to the stocking point's owner and to members holding an active
``planning_parameters`` grant of the owner that covers it (such reads are audited); others see
the owner's placements aggregated: how many, how many change, their safety-stock holding cost.
"""

from tandem.services.proposals.lifecycle import (
    StockingPointMissing,
    adopted_parameters,
    create_proposal,
    vote,
    withdraw,
)
from tandem.services.proposals.views import (
    HiddenPlacements,
    PlacementView,
    ProposalDetail,
    get_proposal,
    list_proposals,
    proposal_events,
)

__all__ = [
    "HiddenPlacements",
    "PlacementView",
    "ProposalDetail",
    "StockingPointMissing",
    "adopted_parameters",
    "create_proposal",
    "get_proposal",
    "list_proposals",
    "proposal_events",
    "vote",
    "withdraw",
]
