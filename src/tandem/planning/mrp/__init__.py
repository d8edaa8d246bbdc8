"""Material requirements planning: time-phased multi-level netting over item-sites.

Pure engine: frozen inputs (:class:`MRPProblem`) in, a frozen :class:`MRPPlan` out; regenerate
with :func:`plan`, net change with :func:`replan`. Sources: Orlicky (1975); Vollmann, Berry,
Whybark & Jacobs, *Manufacturing Planning and Control for Supply Chain Management* (5th ed.,
2005), ch. 6; Wagner & Whitin (1958). See docs/engines/mrp.md.
"""

from tandem.planning.mrp.calendar import BucketSize, LeadTimeOffset, PlanningCalendar
from tandem.planning.mrp.engine import plan, replan
from tandem.planning.mrp.inputs import (
    BOMLine,
    ConsumptionWindow,
    Demand,
    DemandKind,
    ItemSite,
    ItemSiteKey,
    LotSizing,
    LotSizingRule,
    MRPInputError,
    ScheduledReceipt,
    SupplyKind,
    TransferLane,
)
from tandem.planning.mrp.problem import MRPChanges, MRPProblem, apply_changes
from tandem.planning.mrp.results import (
    ExceptionCode,
    ItemSitePlan,
    MRPException,
    MRPPlan,
    Peg,
    PlannedOrder,
    SupplyPegging,
    TimePhasedRecord,
    on_hand_id,
)

__all__ = [
    "BOMLine",
    "BucketSize",
    "ConsumptionWindow",
    "Demand",
    "DemandKind",
    "ExceptionCode",
    "ItemSite",
    "ItemSiteKey",
    "ItemSitePlan",
    "LeadTimeOffset",
    "LotSizing",
    "LotSizingRule",
    "MRPChanges",
    "MRPException",
    "MRPInputError",
    "MRPPlan",
    "MRPProblem",
    "Peg",
    "PlannedOrder",
    "PlanningCalendar",
    "ScheduledReceipt",
    "SupplyKind",
    "SupplyPegging",
    "TimePhasedRecord",
    "TransferLane",
    "apply_changes",
    "on_hand_id",
    "plan",
    "replan",
]
