"""Stock that moves without an order between members: the opening balances, the roaster's weekly
roast-and-pack run and each café's weekly sales (drinks made by its machines, bags sold over the
counter), each booked as one transaction per member."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from tandem.domain.inventory import MovementKind
from tandem.services import inventory
from tandem.services.demo_flows.loading import LOOKAHEAD_DAYS
from tandem.services.demo_flows.model import Key, World, exact, round_up, whole
from tandem.services.demo_flows.state import Phase, Sim

OPENING_SHARE = (0.7, 1.1)  # of the order-up-to level, where stock is replenished
SOURCE_MARGIN = 1.25  # a supplier with no inbound flow holds the whole period's need and more
PRODUCTION_COVER_DAYS = 7
OPENING_NOTE = "opening balance of the demo flows"


def open_stock(sim: Sim) -> None:
    """Opening balances on the first morning (a receipt movement each): near the order-up-to
    level where stock is replenished, the whole period's need and a lot per review of every
    buyer at the sources."""
    world = sim.world
    sim.clock.set(sim.start, Phase.OPEN.value - 1)
    for key in sorted(world.physical & world.need.series.keys()):
        amount = whole(_opening(sim, key), up=True)
        if amount > 0:
            command = inventory.RecordMovement(
                *key, MovementKind.RECEIPT, amount, reference="opening-balance", note=OPENING_NOTE
            )
            inventory.record_movement(sim.ctx, world.owner(key[0]).principal, command)
            sim.tally["movements"] += 1


def _opening(sim: Sim, key: Key) -> float:
    world = sim.world
    rate = world.need.rate(key, sim.start)
    if key in world.made:
        return rate * (PRODUCTION_COVER_DAYS + world.buyer_cycle(key)) + world.lot_size(key)
    if world.cover_days(key) > 0:
        return (rate * world.cover_days(key) + world.lot_size(key)) * sim.rng.uniform(
            *OPENING_SHARE
        )
    horizon = sim.end + timedelta(days=LOOKAHEAD_DAYS)
    lots = sum(
        world.multiple((x.to_site_id, key[1]))
        * ((sim.end - x.first_review).days // (7 * x.interval_weeks) + 1)
        for x in world.links
        if x.from_site_id == key[0] and key[1] in x.item_ids
    )
    return world.need.total(key, sim.start, horizon) * SOURCE_MARGIN + lots


def consume(sim: Sim, day: date) -> None:
    """On Sundays (and on the last day) each member books the week's sales of its sites in one
    transaction, as far as their stock goes."""
    if day.weekday() != 6 and day != sim.end - timedelta(days=1):
        return
    first = max(sim.start, day - timedelta(days=day.weekday()))
    reference = f"sales:{first.isoformat()}..{day.isoformat()}"
    by_member: dict[str, list[inventory.StockChange]] = defaultdict(list)
    for key in sorted(sim.world.consumption.series):
        used = exact(sim.world.consumption.total(key, first, day + timedelta(days=1)))
        used = min(used, sim.available(*key))
        if used > 0:
            change = _change(*key, -used, MovementKind.CONSUMPTION, reference)
            by_member[sim.world.owner(key[0]).code].append(change)
    for code, changes in sorted(by_member.items()):
        _book(sim, code, changes)


def produce(sim: Sim, day: date) -> None:
    """Every Monday a site that makes products roasts and packs what its open orders still need,
    a week of need and its buyers' order cycle on top, as far as its raw materials go."""
    if day.weekday() != 0:
        return
    for site_id in sorted({site for site, _ in sim.world.made}):
        plan = _plan(sim, site_id, day)
        reference = f"production:{day.isoformat()}"
        _book(sim, sim.world.owner(site_id).code, _production(sim.world, site_id, plan, reference))


def _plan(sim: Sim, site_id: int, day: date) -> dict[int, float]:
    world = sim.world
    made = sorted(item for site, item in world.made if site == site_id)
    parts = {c for item in made for c, _ in world.recipes[item]}
    wanted: dict[int, float] = {}
    for item_id in (x for x in made if x not in parts):
        key = (site_id, item_id)
        cover = PRODUCTION_COVER_DAYS + world.buyer_cycle(key)
        target = world.need.forecast(key, day, cover) + world.lot_size(key)
        short = target - float(sim.available(*key) - sim.backlog(*key))
        if short > 0:
            wanted[item_id] = float(round_up(short, world.multiple(key)))
    needed = _explode(world, site_id, wanted)[1]
    scale = min(
        [1.0]
        + [
            0.98 * float(sim.available(site_id, c)) / q
            for c, q in needed.items()
            if (site_id, c) not in world.made and q > 0
        ]
    )
    return {i: float(whole(q * scale)) for i, q in wanted.items() if whole(q * scale) > 0}


def _explode(
    world: World, site_id: int, plan: dict[int, float]
) -> tuple[dict[int, float], dict[int, float]]:
    """What a plan produces and uses of every item, through the products made on the way."""
    produced: dict[int, float] = defaultdict(float)
    used: dict[int, float] = defaultdict(float)

    def make(item_id: int, quantity: float) -> None:
        produced[item_id] += quantity
        for component, per in world.recipes[item_id]:
            used[component] += quantity * per
            if (site_id, component) in world.made:
                make(component, quantity * per)

    for item_id, quantity in sorted(plan.items()):
        make(item_id, quantity)
    return produced, used


def _production(
    world: World, site_id: int, plan: dict[int, float], reference: str
) -> list[inventory.StockChange]:
    """Raw materials out first, then each product in (and out again where it goes into another),
    from the innermost product outwards."""
    produced, used = _explode(world, site_id, plan)
    changes = [
        _change(site_id, c, -exact(q), MovementKind.CONSUMPTION, reference)
        for c, q in sorted(used.items())
        if c not in produced
    ]
    for item_id in sorted(produced, key=lambda i: (_height(world, site_id, i), i)):
        changes.append(
            _change(site_id, item_id, exact(produced[item_id]), MovementKind.RECEIPT, reference)
        )
        if item_id in used:
            changes.append(
                _change(
                    site_id, item_id, -exact(used[item_id]), MovementKind.CONSUMPTION, reference
                )
            )
    return [c for c in changes if c.on_hand != 0]


def _height(world: World, site_id: int, item_id: int) -> int:
    if (site_id, item_id) not in world.made:
        return 0
    return 1 + max(_height(world, site_id, c) for c, _ in world.recipes[item_id])


def _change(
    site_id: int, item_id: int, quantity: Decimal, kind: MovementKind, reference: str
) -> inventory.StockChange:
    return inventory.StockChange(site_id, item_id, on_hand=quantity, kind=kind, reference=reference)


def _book(sim: Sim, member: str, changes: list[inventory.StockChange]) -> None:
    """Book ``changes`` at sites of ``member`` in one transaction through the inventory ledger."""
    if not changes:
        return
    owner = sim.party(member).principal
    with sim.ctx.uow() as uow:
        inventory.apply_stock_changes(uow, changes, sim.ctx.clock.now(), owner.user_id)
        uow.commit()
    sim.tally["movements"] += len(changes)
    for site_id in sorted({c.site_id for c in changes}):
        sim.forget_stock(site_id)
