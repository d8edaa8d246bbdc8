"""Reader for the Willems (2008) chains in their processed CSV form (pure: text in).

S. P. Willems, "Data Set — Real-World Multiechelon Supply Chains Used for Inventory
Optimization", *Manufacturing & Service Operations Management* 10(1):19–23, 2008.

Columns: ``stage_id, lead_time, max_s_time, cost_rate, risk_pool, ext_demand_mean,
ext_demand_std, ext_demand_thres, up_stages...`` with ``up_stages`` as pairs
``supplier, quantity``. ``cost_rate`` is the cost *added* at a stage; a stage's holding cost is
its cumulative cost (added cost plus its suppliers' cumulative costs times the quantities)
times ``holding_rate``. ``ext_demand_thres`` is the safety factor ``z`` of a demand stage;
internal stages pool ``z_k sigma_k`` of the demand stages they serve.
"""

from __future__ import annotations

import csv
import io

from scipy import special  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.meio.gsm.network import Arc, GSMNetwork, Stage

__all__ = ["parse_willems_chain"]


def parse_willems_chain(
    text: str, holding_rate: float = 1.0, exact_service_factors: bool = False
) -> GSMNetwork:
    """Build a :class:`GSMNetwork` from the text of a ``willems_NN.csv`` file.

    Parameters
    ----------
    text
        The CSV text, header included.
    holding_rate
        Holding cost per unit of cumulative cost (1: the objective is the value of the safety
        stock).
    exact_service_factors
        The file rounds ``z`` to three decimals (1.645, 1.751, ...). With ``True`` the service
        level is recovered (``Phi(z)`` rounded to three decimals: 0.95, 0.96, ...) and ``z`` is
        recomputed exactly as ``Phi^{-1}`` of it (1.644854, 1.750686, ...).

    Examples
    --------
    >>> text = (
    ...     "stage_id,lead_time,max_s_time,cost_rate,risk_pool,ext_demand_mean,"
    ...     "ext_demand_std,ext_demand_thres,up_stages\\n"
    ...     "Part,5,,2,2,,,\\n"
    ...     "Retail,1,0,3,,10,4,2.0,Part,1\\n"
    ... )
    >>> net = parse_willems_chain(text)
    >>> [(s.name, s.holding_cost) for s in net.stages]
    [('Part', 2.0), ('Retail', 5.0)]
    """
    rows = [row for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
    header, body = rows[0], rows[1:]
    if header[:8] != [
        "stage_id",
        "lead_time",
        "max_s_time",
        "cost_rate",
        "risk_pool",
        "ext_demand_mean",
        "ext_demand_std",
        "ext_demand_thres",
    ]:
        raise ValueError("not a processed Willems chain")
    added: dict[str, float] = {}
    suppliers: dict[str, list[tuple[str, float]]] = {}
    exponents: set[float] = set()
    for row in body:
        name = row[0]
        added[name] = float(row[3] or 0.0)
        pairs = row[8:]
        suppliers[name] = [
            (pairs[i], float(pairs[i + 1] or 1.0)) for i in range(0, len(pairs) - 1, 2) if pairs[i]
        ]
        if row[4]:
            exponents.add(float(row[4]))
    if len(exponents) > 1:
        raise ValueError("chains with mixed risk-pool exponents are not supported")
    cumulative: dict[str, float] = {}

    def cum(name: str, depth: int = 0) -> float:
        if name not in cumulative:
            if depth > len(added):
                raise ValueError("the chain has a cycle")
            cumulative[name] = added[name] + sum(q * cum(s, depth + 1) for s, q in suppliers[name])
        return cumulative[name]

    stages = []
    for row in body:
        name = row[0]
        std = float(row[6]) if row[6] else 0.0
        stages.append(
            Stage(
                name=name,
                processing_time=float(row[1]),
                holding_cost=holding_rate * cum(name),
                demand_std=std,
                max_service_time=float(row[2]) if row[2] else None,
                service_factor=_service_factor(row[7], exact_service_factors),
            )
        )
    arcs = tuple(Arc(s, row[0], q) for row in body for s, q in suppliers[row[0]])
    exponent = exponents.pop() if exponents else 2.0
    return GSMNetwork(tuple(stages), arcs, service_factor=1.0, risk_pool_exponent=exponent)


def _service_factor(cell: str, exact: bool) -> float | None:
    if not cell:
        return None
    z = float(cell)
    if not exact:
        return z
    level = round(float(special.ndtr(z)), 3)
    return float(special.ndtri(level))
