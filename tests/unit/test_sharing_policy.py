"""The one access policy: tandem.domain.sharing.access_scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.sharing import AccessScope, DataCategory, Grant, access_scope

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
OWNER, VIEWER, OTHER = 1, 2, 3


def grant(**overrides: object) -> Grant:
    fields: dict[str, object] = {
        "id": 10,
        "network_id": 7,
        "grantor_member_id": OWNER,
        "grantee_member_id": VIEWER,
        "category": DataCategory.DEMAND_HISTORY,
        "item_ids": None,
        "site_ids": None,
        "created_at": NOW - timedelta(days=1),
    }
    fields.update(overrides)
    return Grant(**fields)  # type: ignore[arg-type]


def scope(*grants: Grant, category: DataCategory = DataCategory.DEMAND_HISTORY) -> AccessScope:
    return access_scope(VIEWER, 7, category, grants, NOW)


def test_own_data_is_always_visible_and_partner_data_never_without_grant() -> None:
    s = scope()
    assert s.permits(VIEWER, 1, 1) is True
    assert s.permits(OWNER, 1, 1) is False
    assert s.partner_rules == ()


def test_active_grant_makes_owner_data_visible_for_its_category_only() -> None:
    g = grant()
    assert scope(g).permits(OWNER, 5, 9) is True
    assert scope(g, category=DataCategory.FORECASTS).permits(OWNER, 5, 9) is False
    assert scope(g).permits(OTHER, 5, 9) is False


def test_revoked_grant_gives_nothing() -> None:
    assert scope(grant(revoked_at=NOW - timedelta(seconds=1))).permits(OWNER, 5, 9) is False
    assert scope(grant(revoked_at=NOW)).permits(OWNER, 5, 9) is False


def test_grant_expires_at_its_expiry_instant() -> None:
    assert scope(grant(expires_at=NOW + timedelta(seconds=1))).permits(OWNER, 5, 9) is True
    assert scope(grant(expires_at=NOW)).permits(OWNER, 5, 9) is False


def test_grant_for_another_grantee_or_network_gives_nothing() -> None:
    assert scope(grant(grantee_member_id=OTHER)).permits(OWNER, 5, 9) is False
    assert scope(grant(network_id=8)).permits(OWNER, 5, 9) is False


def test_narrowed_grant_covers_only_listed_items_and_sites() -> None:
    g = grant(item_ids=frozenset({5}), site_ids=frozenset({9, 10}))
    s = scope(g)
    assert s.permits(OWNER, 5, 9) is True
    assert s.permits(OWNER, 5, 10) is True
    assert s.permits(OWNER, 6, 9) is False
    assert s.permits(OWNER, 5, 11) is False
    assert s.permits(OWNER, 5, None) is False  # a site-agnostic row is not "at" a granted site


def test_rule_for_names_the_grant_used() -> None:
    narrow = grant(id=1, item_ids=frozenset({5}))
    wide = grant(id=2)
    s = scope(narrow, wide)
    rule = s.rule_for(OWNER, 6, 1)
    assert rule is not None
    assert rule.grant_id == 2


def test_status_reads_revoked_expired_active() -> None:
    assert grant().status(NOW) == "active"
    assert grant(expires_at=NOW).status(NOW) == "expired"
    assert grant(revoked_at=NOW, expires_at=NOW).status(NOW) == "revoked"


@given(
    owner=st.integers(1, 4),
    item=st.integers(1, 4),
    site=st.integers(1, 4),
    grants=st.lists(
        st.builds(
            grant,
            id=st.integers(1, 99),
            grantor_member_id=st.integers(1, 4),
            grantee_member_id=st.integers(1, 4),
            category=st.sampled_from(list(DataCategory)),
            item_ids=st.none() | st.frozensets(st.integers(1, 4), max_size=3),
            site_ids=st.none() | st.frozensets(st.integers(1, 4), max_size=3),
            expires_at=st.none()
            | st.sampled_from([NOW - timedelta(hours=1), NOW + timedelta(hours=1)]),
            revoked_at=st.none()
            | st.sampled_from([NOW - timedelta(hours=1), NOW + timedelta(hours=1)]),
        ),
        max_size=6,
    ),
)
def test_policy_equals_naive_reading_of_the_rules(
    owner: int, item: int, site: int, grants: list[Grant]
) -> None:
    expected = owner == VIEWER or any(
        g.grantee_member_id == VIEWER
        and g.grantor_member_id == owner
        and g.category == DataCategory.DEMAND_HISTORY
        and (g.revoked_at is None or g.revoked_at > NOW)
        and (g.expires_at is None or g.expires_at > NOW)
        and (g.item_ids is None or item in g.item_ids)
        and (g.site_ids is None or site in g.site_ids)
        for g in grants
    )
    assert scope(*grants).permits(owner, item, site) is expected
