"""Customer feedback: pushed by devices or entered by staff, summarised per site and item for the
owner and for partners whose grants cover the site (audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.services.signal_world import NOW, RecipeWorld, recipe_world

from tandem.adapters.memory import FixedClock
from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.identity import Principal
from tandem.domain.sharing import DataCategory
from tandem.domain.signals import FeedbackComment, FeedbackSummary
from tandem.services import devices, feedback, identity, sharing
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.devices import RegisterDevice
from tandem.services.feedback import SubmitFeedback


@pytest.fixture
def w(ctx: ServiceContext, clock: FixedClock) -> RecipeWorld:
    return recipe_world(ctx, clock)


def machine(w: RecipeWorld, code: str = "M-1", site: str = "CAFE-1") -> tuple[int, Principal]:
    registered = devices.register_device(w.ctx, w.cafe, RegisterDevice(w.sites[site], code, code))
    return registered.device.id, identity.authenticate_api_key(w.ctx, registered.api_key)


def test_a_device_gives_feedback_at_its_own_site(w: RecipeWorld) -> None:
    device_id, key = machine(w)

    given = feedback.submit_feedback(w.ctx, key, SubmitFeedback(4, "  Nice foam ", item="LATTE"))

    assert (given.site_id, given.device_id, given.item_id) == (
        w.sites["CAFE-1"],
        device_id,
        w.items["LATTE"],
    )
    assert (given.rating, given.comment, given.submitted_at) == (4, "Nice foam", NOW)
    assert given.owner_member_id == w.cafe.member_id


def test_feedback_is_checked_field_by_field(w: RecipeWorld) -> None:
    _, key = machine(w)
    command = SubmitFeedback(6, "x" * 1001, site_id=w.sites["CAFE-2"], item="NOPE")

    with pytest.raises(ValidationFailed) as caught:
        feedback.submit_feedback(w.ctx, key, command)

    assert caught.value.violations == [
        Violation("feedback", "must lie in [1, 5] (got 6)", "rating"),
        Violation("feedback", "must be at most 1000 characters", "comment"),
        Violation("feedback", "must be the device's own site", "site_id"),
        Violation("feedback", "unknown item 'NOPE'", "item"),
    ]


def test_staff_name_one_of_their_sites(w: RecipeWorld) -> None:
    with pytest.raises(ValidationFailed) as missing:
        feedback.submit_feedback(w.ctx, w.cafe, SubmitFeedback(3))
    with pytest.raises(ValidationFailed) as foreign:
        feedback.submit_feedback(w.ctx, w.cafe, SubmitFeedback(3, site_id=w.sites["PLANT"]))

    assert missing.value.violations == [Violation("feedback", "is required", "site_id")]
    assert foreign.value.violations == [
        Violation("feedback", f"site {w.sites['PLANT']} is not one of yours", "site_id")
    ]


def test_the_summary_counts_averages_and_shows_the_latest_comments(w: RecipeWorld) -> None:
    device_id, key = machine(w)
    latte, cafe_1, cafe_2 = w.items["LATTE"], w.sites["CAFE-1"], w.sites["CAFE-2"]
    for rating, comment in ((5, "Perfect"), (4, ""), (2, "Too cold"), (4, "Good")):
        feedback.submit_feedback(w.ctx, key, SubmitFeedback(rating, comment, item_id=latte))
        w.clock.advance(timedelta(minutes=10))
    feedback.submit_feedback(w.ctx, w.cafe, SubmitFeedback(1, "Queue", site_id=cafe_2))
    feedback.submit_feedback(w.ctx, w.cafe, SubmitFeedback(3, site_id=cafe_1))

    summaries = feedback.summarise(w.ctx, w.cafe)

    at = [NOW + timedelta(minutes=m) for m in (0, 10, 20, 30, 40)]
    assert summaries == (
        FeedbackSummary(cafe_1, None, 1, 3.0, (0, 0, 1, 0, 0), ()),
        FeedbackSummary(
            cafe_1,
            latte,
            4,
            3.75,
            (0, 1, 0, 2, 1),
            (
                FeedbackComment(4, "Good", at[3], device_id),
                FeedbackComment(2, "Too cold", at[2], device_id),
                FeedbackComment(5, "Perfect", at[0], device_id),
            ),
        ),
        FeedbackSummary(
            cafe_2,
            None,
            1,
            1.0,
            (1, 0, 0, 0, 0),
            (FeedbackComment(1, "Queue", at[4], None),),
        ),
    )
    only = feedback.summarise(w.ctx, w.cafe, site_id=cafe_1, item_id=latte)
    assert [(s.site_id, s.item_id, s.count) for s in only] == [(cafe_1, latte, 4)]


def test_partners_read_feedback_only_where_granted_and_each_read_is_audited(
    w: RecipeWorld,
) -> None:
    latte, cafe_1, cafe_2 = w.items["LATTE"], w.sites["CAFE-1"], w.sites["CAFE-2"]
    feedback.submit_feedback(w.ctx, w.cafe, SubmitFeedback(5, site_id=cafe_1, item_id=latte))
    feedback.submit_feedback(w.ctx, w.cafe, SubmitFeedback(2, site_id=cafe_2, item_id=latte))
    assert feedback.summarise(w.ctx, w.roaster) == ()

    grant = sharing.grant_access(
        w.ctx,
        w.cafe,
        sharing.GrantAccess(
            w.roaster.member_id, DataCategory.DEMAND_HISTORY, site_ids=frozenset({cafe_1})
        ),
    )

    seen = feedback.summarise(w.ctx, w.roaster)
    assert [(s.site_id, s.count, s.mean_rating) for s in seen] == [(cafe_1, 1, 5.0)]
    audit = sharing.read_audit_log(w.ctx, w.cafe, PageRequest(0, 10)).items
    assert [(a.grant_id, a.reader_member_id, a.resource, a.rows) for a in audit] == [
        (grant.id, w.roaster.member_id, "feedback summary", 1)
    ]
