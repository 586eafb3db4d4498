"""A person's notices and notice settings: in their download, deleted by their erasure; the
notices others got about what they did stay, naming a former participant."""

import pytest

from notices.models import Notice, NoticePreference
from notices.wording import describe
from privacy import services
from privacy.selectors import personal_data
from strategies import services as strategy_services
from strategies.models import SectionComment
from tests import factories as f
from tests.strategies.helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def threads(world):
    """Alta's shared strategy: the facilitator comments, the chief executive replies and marks
    the thread resolved, and chose a weekly digest for comments and Norwegian."""
    chief = world.users["chief_executive"]
    chief.language = "nb"
    chief.save()
    world.strategy = start(world, status="shared", user=chief)
    world.section = world.strategy.sections.order_by("position").first()
    first = strategy_services.section_comment(
        section=world.section, user=world.users["facilitator"], body="Who owns it?"
    )
    strategy_services.section_comment(
        section=world.section, user=chief, body="Our CIO.", parent=first
    )
    strategy_services.comment_resolve(comment=first, user=chief, resolved=True)
    f.NoticePreferenceFactory(user=chief, kind="comment", rhythm="weekly")
    world.first = first
    return world


def test_download_holds_the_persons_notices_settings_and_language(threads):
    chief = threads.users["chief_executive"]

    data = personal_data(chief)

    assert data["profile"]["language"] == "nb"
    assert [(n["kind"], n["from"], n["excerpt"]) for n in data["notices"]] == [
        ("comment", str(threads.users["facilitator"]), "Who owns it?")
    ]
    assert sorted(n["kind"] for n in data["notices_about_you"]) == ["reply", "strategy_shared"]
    assert data["notice_settings"] == {"comment": "weekly"}
    assert [c["comment"] for c in data["comment_threads_resolved"]] == ["Who owns it?"]


def test_erasure_deletes_the_persons_notices_and_keeps_others_naming_a_former_one(threads):
    chief = threads.users["chief_executive"]

    services.person_erase(person=chief, erased_by=threads.users["staff"])

    assert not Notice.objects.filter(recipient=chief).exists()
    assert not NoticePreference.objects.filter(user=chief).exists()
    # The facilitator's notice of the reply stays, by a former participant.
    [told] = Notice.objects.filter(recipient=threads.users["facilitator"], kind="reply")
    assert told.actor_id == chief.pk
    assert "Siri" not in describe(told)
    assert describe(told).startswith("A former participant replied")
    # The resolved thread stays resolved, as the erased person's comments stay.
    assert SectionComment.objects.get(pk=threads.first.pk).resolved_by_id == chief.pk
