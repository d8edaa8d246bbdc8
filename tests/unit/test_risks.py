"""Rules of the risk register: the 5 x 5 bands, status moves, validation, mitigations, and the
visibility rule (one grant must cover every affected site and item) against a brute-force
reference."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.errors import InvalidTransition, ValidationFailed
from tandem.domain.risks import (
    Mitigation,
    MitigationStatus,
    Risk,
    RiskBand,
    RiskCategory,
    RiskStatus,
    band_of,
    complete_mitigation,
    ensure_move,
    grant_covering,
    heat_map,
    is_visible,
    risk_violations,
)
from tandem.domain.sharing import AccessScope, DataCategory, ScopeRule

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
OWNER, VIEWER, NETWORK = 2, 1, 7


def _risk(**changes: object) -> Risk:
    base = Risk(
        1, NETWORK, OWNER, "Roastery fire", RiskCategory.PLANT, 3, 4, RiskStatus.OPEN, NOW, NOW,
        site_ids=frozenset({10}),
    )  # fmt: skip
    return Risk(**{**base.__dict__, **changes})


def _scope(*rules: ScopeRule) -> AccessScope:
    return AccessScope(VIEWER, NETWORK, DataCategory.RISKS, rules)


def test_bands_follow_the_five_by_five_matrix() -> None:
    scores = sorted({lk * im for lk in range(1, 6) for im in range(1, 6)})
    bands = {s: band_of(s) for s in scores}

    assert [s for s in scores if bands[s] is RiskBand.LOW] == [1, 2, 3, 4]
    assert [s for s in scores if bands[s] is RiskBand.MEDIUM] == [5, 6, 8, 9]
    assert [s for s in scores if bands[s] is RiskBand.HIGH] == [10, 12, 15, 16]
    assert [s for s in scores if bands[s] is RiskBand.CRITICAL] == [20, 25]


def test_a_closed_risk_may_only_be_reopened() -> None:
    ensure_move(RiskStatus.CLOSED, RiskStatus.OPEN)
    for target in (RiskStatus.MITIGATING, RiskStatus.ACCEPTED, RiskStatus.CLOSED):
        with pytest.raises(InvalidTransition):
            ensure_move(RiskStatus.CLOSED, target)
    with pytest.raises(InvalidTransition):
        ensure_move(RiskStatus.OPEN, RiskStatus.OPEN)


def test_violations_name_each_field() -> None:
    bad = _risk(
        title="",
        likelihood=0,
        impact=True,
        site_ids=frozenset(),
        recovery_days=float("nan"),
        mitigations=(Mitigation(" "),),
    )

    found = [(v.location, v.field) for v in risk_violations(bad)]

    assert found == [
        ("risk", "title"),
        ("risk", "likelihood"),
        ("risk", "impact"),
        ("risk", "site_ids"),
        ("risk", "recovery_days"),
        ("risk.mitigations[1]", "text"),
    ]
    assert risk_violations(_risk(site_ids=frozenset(), lane_ids=frozenset({3}))) == []


def test_completing_a_mitigation_keeps_the_others() -> None:
    risk = _risk(mitigations=(Mitigation("a"), Mitigation("b")))

    done = complete_mitigation(risk, 2, NOW)

    assert done == (Mitigation("a"), Mitigation("b", MitigationStatus.DONE, None, NOW))
    with pytest.raises(ValidationFailed):
        complete_mitigation(risk, 0, NOW)


def test_owner_sees_its_risks_and_nobody_sees_another_networks() -> None:
    own = _risk(owner_member_id=VIEWER)

    assert is_visible(_scope(), own)
    assert not is_visible(_scope(), _risk())
    assert not is_visible(_scope(ScopeRule(OWNER, 5, None, None)), _risk(network_id=8))


def test_a_lane_only_risk_needs_a_grant_not_narrowed_to_sites() -> None:
    lanes_only = _risk(site_ids=frozenset(), lane_ids=frozenset({4}))

    assert grant_covering(_scope(ScopeRule(OWNER, 5, None, frozenset({10}))), lanes_only) is None
    assert grant_covering(_scope(ScopeRule(OWNER, 6, None, None)), lanes_only) is not None


ids = st.frozensets(st.integers(1, 4), max_size=4)


@given(
    sites=ids,
    items=ids,
    rules=st.lists(
        st.tuples(st.sampled_from([OWNER, 3]), st.none() | ids, st.none() | ids), max_size=3
    ),
)
def test_grant_covering_matches_a_brute_force_reference(
    sites: frozenset[int],
    items: frozenset[int],
    rules: list[tuple[int, frozenset[int] | None, frozenset[int] | None]],
) -> None:
    risk = _risk(site_ids=sites, item_ids=items)
    scope = _scope(*(ScopeRule(o, n, i, s) for n, (o, i, s) in enumerate(rules, start=1)))

    def covers(
        owner: int, item_ids: frozenset[int] | None, site_ids: frozenset[int] | None
    ) -> bool:
        site_ok = site_ids is None or (bool(sites) and all(x in site_ids for x in sites))
        item_ok = item_ids is None or (bool(items) and all(x in item_ids for x in items))
        return owner == OWNER and site_ok and item_ok

    expected = next((n for n, r in enumerate(rules, start=1) if covers(*r)), None)
    found = grant_covering(scope, risk)
    assert (None if found is None else found.grant_id) == expected


def test_heat_map_counts_every_cell() -> None:
    counts = heat_map([_risk(), _risk(likelihood=5, impact=5), _risk()])

    assert len(counts) == 25
    assert (counts[(3, 4)], counts[(5, 5)], sum(counts.values())) == (2, 1, 3)
