"""Plain JSON views of twin results, shared by the CLI, the API and the pages.

Every estimate is ``{"value", "half_width"}`` (95 % interval; ``None`` where undefined, e.g.
the bullwhip ratio under constant demand or an interval from one replication).
"""

from __future__ import annotations

import math
from typing import Any

from tandem.planning.simulation import Estimate
from tandem.services.twin.compare import Comparison
from tandem.services.twin.report import Report
from tandem.services.twin.runner import NETWORK_FIGURES, Difference, ModeResult, RunOptions

__all__ = ["comparison_json", "estimate_json", "options_json", "report_json"]


def _number(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def estimate_json(e: Estimate) -> dict[str, float | None]:
    return {"value": _number(e.value), "half_width": _number(e.half_width)}


def difference_json(d: Difference) -> dict[str, float | None]:
    return estimate_json(d.paired) | {"unpaired_half_width": _number(d.unpaired_half_width)}


def options_json(o: RunOptions) -> dict[str, int]:
    return {
        "periods": o.periods,
        "replications": o.batches * o.per_batch,
        "batch_size": o.per_batch,
        "batches": o.batches,
        "warmup": o.warmup,
        "seed": o.seed,
    }


def _figures(result: ModeResult) -> dict[str, Any]:
    return {f: estimate_json(result.figure(f)) for f in NETWORK_FIGURES}


def _stages(result: ModeResult, figures: tuple[str, ...]) -> dict[str, Any]:
    return {
        name: {f: estimate_json(result.node(name, f)) for f in figures}
        for name in result.node_names
    }


def comparison_json(c: Comparison) -> dict[str, Any]:
    scenarios = []
    for i, r in enumerate(c.results):
        entry: dict[str, Any] = {
            "name": r.name,
            "figures": _figures(r),
            "stages": _stages(r, ("backlog", "on_hand", "fill_rate", "cost")),
            "notes": list(r.notes),
        }
        if i > 0:
            entry["difference"] = {f: difference_json(c.difference(i, f)) for f in NETWORK_FIGURES}
        scenarios.append(entry)
    return {
        "options": options_json(c.options),
        "scenarios": scenarios,
        "warnings": list(c.warnings),
    }


def report_json(r: Report) -> dict[str, Any]:
    columns = []
    for col in r.columns:
        columns.append(
            {
                "mode": col.mode.value,
                "figures": _figures(col.result),
                "landed_cost": estimate_json(col.landed_cost),
                "bullwhip": {
                    name: estimate_json(col.result.node(name, "variance_ratio"))
                    for name in col.result.node_names
                },
                "members": [
                    {
                        "member": m.member,
                        "safety_stock": estimate_json(m.safety_stock),
                        "average_inventory": estimate_json(m.average_inventory),
                    }
                    for m in col.members
                ],
            }
        )
    gain = {f: difference_json(r.sharing_gain(f)) for f in (*NETWORK_FIGURES, "landed_cost")}
    return {
        "options": options_json(r.options),
        "adopted": r.adopted_note,
        "adopted_proposal_id": r.adopted_proposal_id,
        "columns": columns,
        "sharing_gain": gain,
        "stage_members": r.members,
        "warnings": list(r.warnings),
    }
