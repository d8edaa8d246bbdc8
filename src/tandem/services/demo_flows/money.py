"""Money between members: the seller invoices each received shipment; the buyer's three-way
match blocks short ones (most are settled by a credit note and released; the first stays in
dispute); the buyer pays mostly on time, sometimes late, in part or not at all, and closes the
order once it is paid; sellers run their dunning every Monday."""

from __future__ import annotations

from datetime import date, timedelta

from tandem.domain.finance import Invoice, MatchStatus
from tandem.services import finance, invoices, payments, purchase_orders, shipments
from tandem.services.demo_flows.state import Phase, Sim, Tracked

SETTLED = 0.6  # chance that a blocked invoice is settled by a credit note and released
ON_TIME, LATE, IN_PART = 0.72, 0.86, 0.94  # cumulative; the rest stays unpaid


def invoice(
    sim: Sim, tracked: Tracked, detail: shipments.ShipmentDetail, shortfall_minor: int
) -> None:
    """The seller invoices a received shipment as shipped; the buyer's match decides whether
    it is paid or blocked (``shortfall_minor``: the value of what arrived short or damaged)."""
    seller = sim.party(tracked.link.seller).principal
    lines = tuple(invoices.InvoiceLineInput(x.order_line_id, x.quantity) for x in detail.lines)
    command = invoices.IssueInvoice(tracked.order.id, lines)
    issued = invoices.issue_invoice(sim.ctx, seller, command).invoice
    sim.tally["invoices"] += 1
    sim.money["invoiced"] += issued.total_minor
    tracked.invoiced_shipments += 1
    tracked.unsettled_invoices += 1
    if issued.match_status is MatchStatus.BLOCKED:
        sim.tally["blocked"] += 1
        if shortfall_minor > 0 and _settles(sim):
            later = sim.today + timedelta(days=2)
            sim.at(later, Phase.SETTLE, lambda: _credit(sim, tracked, issued, shortfall_minor))
    else:
        plan_payment(sim, tracked, issued)


def _settles(sim: Sim) -> bool:
    """Whether a blocked invoice is settled: the first stays in dispute, the second is settled,
    later ones by chance."""
    blocked = sim.tally["blocked"]
    return blocked == 2 or (blocked > 2 and sim.chance(SETTLED))


def _credit(sim: Sim, tracked: Tracked, issued: Invoice, shortfall_minor: int) -> None:
    seller = sim.party(tracked.link.seller).principal
    reason = f"credit for goods short or damaged on delivery against {issued.number}"
    amount = min(shortfall_minor, issued.open_minor)
    command = payments.IssueCreditNote(issued.id, amount, reason)
    note = payments.issue_credit_note(sim.ctx, seller, command)
    sim.tally["credit_notes"] += 1
    sim.money["credited"] += note.amount_minor
    tomorrow = sim.today + timedelta(days=1)
    sim.at(tomorrow, Phase.SETTLE, lambda: _release(sim, tracked, issued, note.number))


def _release(sim: Sim, tracked: Tracked, issued: Invoice, credit_note: str) -> None:
    buyer = sim.party(tracked.link.buyer).principal
    note = f"shortfall credited by {credit_note}"
    released = invoices.release_invoice(sim.ctx, buyer, issued.id, note)
    sim.tally["released"] += 1
    plan_payment(sim, tracked, released)


def plan_payment(sim: Sim, tracked: Tracked, issued: Invoice) -> None:
    """Mostly within the terms, sometimes weeks late, now and then in two parts or never."""
    due, amount, draw = issued.due_date, issued.open_minor, sim.rng.random()
    tomorrow = sim.today + timedelta(days=1)
    if draw < ON_TIME:
        early = due - timedelta(days=sim.rng.randint(0, 5))
        _pay_on(sim, tracked, issued, max(tomorrow, early), amount)
    elif draw < LATE:
        _pay_on(sim, tracked, issued, due + timedelta(days=sim.rng.randint(3, 45)), amount)
    elif draw < IN_PART:
        first = amount // 2
        _pay_on(sim, tracked, issued, max(tomorrow, due - timedelta(days=1)), first, final=False)
        rest = due + timedelta(days=sim.rng.randint(10, 40))
        _pay_on(sim, tracked, issued, rest, amount - first)


def _pay_on(
    sim: Sim, tracked: Tracked, issued: Invoice, day: date, amount: int, final: bool = True
) -> None:
    """Pay ``amount`` of the invoice on ``day``; once the final part is paid and nothing else
    is owed on the order, the buyer closes it the next day."""

    def pay() -> None:
        buyer = sim.party(tracked.link.buyer).principal
        reference = f"SEPA {issued.number} {sim.today.isoformat()}"
        payments.pay_invoice(sim.ctx, buyer, payments.PayInvoice(issued.id, amount, reference))
        sim.tally["payments"] += 1
        sim.money["paid"] += amount
        if final:
            tracked.unsettled_invoices -= 1
        if tracked.settled():
            sim.at(sim.today + timedelta(days=1), Phase.CLOSE, lambda: _close(sim, tracked))

    if amount > 0:
        sim.at(day, Phase.PAY, pay)


def _close(sim: Sim, tracked: Tracked) -> None:
    """The buyer closes an order once everything shipped was invoiced and paid."""
    buyer = sim.party(tracked.link.buyer).principal
    tracked.seen(purchase_orders.close_order(sim.ctx, buyer, tracked.order.id))
    sim.tally["closed"] += 1


def dunning(sim: Sim, day: date) -> None:
    """Every Monday each seller reminds its customers of overdue invoices."""
    if day.weekday() != 0:
        return
    for code in sorted({link.seller for link in sim.world.links}):
        run = finance.run_dunning(sim.ctx, sim.party(code).principal, as_of=day)
        sim.tally["dunning_notices"] += len(run.notices)
