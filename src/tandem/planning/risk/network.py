"""Input dataclasses of the disruption-risk engine: a multi-tier supply network.

The network follows Simchi-Levi, Schmidt, Wei, Zhang, Combs, Ge, Gusikhin, Sanders & Zhang
(2015), "Identifying risks and mitigating disruptions in the automotive supply chain",
*Interfaces* 45(5), and Simchi-Levi, Wang & Wei (2018), "Increasing supply chain robustness
through process flexibility and inventory", *Production and Operations Management* 27(8).
Nodes (suppliers, plants, distribution centres) make products in :class:`Process` es limited by a
capacity per period, ship them along :class:`Arc` s, consume components through the
:class:`BomLine` s, hold :class:`Stock` (on hand and in the pipeline) and face :class:`Demand`
for finished products. Every quantity is a rate per period except stock, which is a quantity.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field, replace

__all__ = [
    "Arc",
    "BomLine",
    "Demand",
    "DownStock",
    "Process",
    "Stock",
    "SupplyNetwork",
    "with_arc",
    "with_capacity",
    "with_stock",
]


def _check_quantity(name: str, value: float, *, finite: bool = True) -> None:
    if math.isnan(value) or value < 0 or (finite and math.isinf(value)):
        kind = "finite and non-negative" if finite else "non-negative"
        raise ValueError(f"{name} must be {kind}, got {value!r}")


class DownStock(enum.Enum):
    """What happens to the stock held at a node while that node is down."""

    USABLE = "usable"
    """The stock can still be shipped or sold (the node cannot produce or receive)."""
    LOST = "lost"
    """The stock is unavailable for the whole outage (e.g. destroyed by fire or flood)."""


@dataclass(frozen=True)
class Process:
    """Node ``node`` can make ``product`` at up to ``capacity`` units per period.

    ``capacity`` may be ``math.inf`` (an uncapacitated source). Components are drawn at the same
    node according to the network's :class:`BomLine` s.
    """

    node: str
    product: str
    capacity: float

    def __post_init__(self) -> None:
        _check_quantity(f"capacity of {self.product} at {self.node}", self.capacity, finite=False)


@dataclass(frozen=True)
class Arc:
    """``source`` can ship ``product`` to ``destination``, up to ``capacity`` units per period."""

    source: str
    destination: str
    product: str
    capacity: float = math.inf

    def __post_init__(self) -> None:
        if self.source == self.destination:
            raise ValueError(f"arc of {self.product} from {self.source} to itself")
        _check_quantity(
            f"capacity of arc {self.source}->{self.destination} ({self.product})",
            self.capacity,
            finite=False,
        )


@dataclass(frozen=True)
class BomLine:
    """One unit of ``product`` consumes ``quantity`` units of ``component``."""

    product: str
    component: str
    quantity: float

    def __post_init__(self) -> None:
        if self.product == self.component:
            raise ValueError(f"product {self.product} cannot consume itself")
        _check_quantity(f"BOM quantity of {self.component} in {self.product}", self.quantity)


@dataclass(frozen=True)
class Stock:
    """``quantity`` units of ``product`` at ``node``, on hand or in the pipeline to it."""

    node: str
    product: str
    quantity: float

    def __post_init__(self) -> None:
        _check_quantity(f"stock of {self.product} at {self.node}", self.quantity)


@dataclass(frozen=True)
class Demand:
    """Customers at ``node`` want ``rate`` units of ``product`` per period.

    Each unit sold earns ``margin``; each unit lost costs it (the performance impact).
    """

    node: str
    product: str
    rate: float
    margin: float = 0.0

    def __post_init__(self) -> None:
        _check_quantity(f"demand of {self.product} at {self.node}", self.rate)
        _check_quantity(f"margin of {self.product} at {self.node}", self.margin)


@dataclass(frozen=True)
class SupplyNetwork:
    """A multi-tier supply network; see the module docstring for the model.

    ``nodes`` lists the nodes in order (the order of the results); every node referenced by a
    process, arc, stock or demand must be in it. ``down_stock`` says whether a down node's stock
    can still be used.

    Examples
    --------
    >>> net = SupplyNetwork(
    ...     nodes=("S", "P"),
    ...     processes=(Process("S", "C", 100.0), Process("P", "A", 100.0)),
    ...     arcs=(Arc("S", "P", "C"),),
    ...     bom=(BomLine("A", "C", 2.0),),
    ...     stocks=(Stock("P", "C", 60.0),),
    ...     demands=(Demand("P", "A", 10.0, margin=7.0),),
    ... )
    >>> with_stock(net, "P", "A", 5.0).stocks
    (Stock(node='P', product='C', quantity=60.0), Stock(node='P', product='A', quantity=5.0))
    """

    nodes: tuple[str, ...]
    processes: tuple[Process, ...] = ()
    arcs: tuple[Arc, ...] = ()
    bom: tuple[BomLine, ...] = ()
    stocks: tuple[Stock, ...] = ()
    demands: tuple[Demand, ...] = ()
    down_stock: DownStock = field(default=DownStock.USABLE)

    def __post_init__(self) -> None:
        known = set(self.nodes)
        if len(known) != len(self.nodes):
            raise ValueError(f"duplicate node names in {self.nodes}")
        referenced = [p.node for p in self.processes]
        referenced += [a.source for a in self.arcs] + [a.destination for a in self.arcs]
        referenced += [s.node for s in self.stocks] + [d.node for d in self.demands]
        unknown = sorted(set(referenced) - known)
        if unknown:
            raise ValueError(f"unknown nodes {unknown}; declare them in nodes")
        _unique("process", [(p.node, p.product) for p in self.processes])
        _unique("arc", [(a.source, a.destination, a.product) for a in self.arcs])
        _unique("BOM line", [(b.product, b.component) for b in self.bom])
        _unique("stock", [(s.node, s.product) for s in self.stocks])
        _unique("demand", [(d.node, d.product) for d in self.demands])

    def require_node(self, node: str) -> None:
        """Raise :class:`KeyError` unless ``node`` is in the network."""
        if node not in self.nodes:
            raise KeyError(f"node {node!r} is not in the network {self.nodes}")


def _unique(what: str, keys: list[tuple[str, ...]]) -> None:
    seen: set[tuple[str, ...]] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"duplicate {what} {key}")
        seen.add(key)


def with_stock(network: SupplyNetwork, node: str, product: str, quantity: float) -> SupplyNetwork:
    """What-if: ``quantity`` more units of strategic stock of ``product`` at ``node``."""
    network.require_node(node)
    stocks = list(network.stocks)
    for i, stock in enumerate(stocks):
        if (stock.node, stock.product) == (node, product):
            stocks[i] = replace(stock, quantity=stock.quantity + quantity)
            break
    else:
        stocks.append(Stock(node, product, quantity))
    return replace(network, stocks=tuple(stocks))


def with_arc(network: SupplyNetwork, arc: Arc, *, process: Process | None = None) -> SupplyNetwork:
    """What-if: a second source, the new ``arc`` and, if given, the new source's ``process``.

    A new source node named by the arc or process is appended to ``nodes``.
    """
    nodes = list(network.nodes)
    for node in (arc.source, arc.destination, *(() if process is None else (process.node,))):
        if node not in nodes:
            nodes.append(node)
    processes = network.processes if process is None else (*network.processes, process)
    return replace(network, nodes=tuple(nodes), arcs=(*network.arcs, arc), processes=processes)


def with_capacity(
    network: SupplyNetwork, node: str, product: str, capacity: float
) -> SupplyNetwork:
    """What-if: the capacity of ``node`` for ``product`` set to ``capacity`` (added if absent)."""
    network.require_node(node)
    processes = list(network.processes)
    for i, process in enumerate(processes):
        if (process.node, process.product) == (node, product):
            processes[i] = replace(process, capacity=capacity)
            break
    else:
        processes.append(Process(node, product, capacity))
    return replace(network, processes=tuple(processes))
