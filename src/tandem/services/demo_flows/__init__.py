"""Months of flows between the members of a demo network, generated through the services.

:func:`generate_demo_flows` lives through a period day by day on a simulated clock, acting as
each member's planner: purchase orders placed by periodic order-up-to reviews along the supply
links, acknowledged (sometimes for less or later), changed or cancelled, shipped (sometimes in
parts), received (sometimes short or damaged), invoiced, matched, credited, paid (mostly on
time) and dunned; weekly orders of B2B customers promised and shipped; opening balances,
production and weekly sales in the inventory ledger. Nothing is written into tables directly:
every document comes from the service that owns it, so the pages of every member show real
content with consistent stock, history and money.
"""

from tandem.services.demo_flows.clock import SimulatedClock
from tandem.services.demo_flows.run import DEFAULT_SEED, FlowSummary, generate_demo_flows

__all__ = ["DEFAULT_SEED", "FlowSummary", "SimulatedClock", "generate_demo_flows"]
