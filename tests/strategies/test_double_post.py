"""A create sent twice makes one thing: a section's and a measure's title are unique in their
strategy in the database, whatever the case, and a second request (even one at the very same
moment) gets the form's message instead of a server error; a comment sent twice is one."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from strategies import services
from strategies.models import Measure, Section, SectionComment

from .helpers import move, section
from .helpers import signed_in_client as _client

SECTION_TAKEN = "The strategy already has a section called “%s”."
MEASURE_TAKEN = "The action plan already has a measure called “%s”."


@pytest.mark.django_db
def test_an_add_section_form_posted_twice_makes_one_section_and_says_why(world, strategy):
    client = _client(world.users["chief_executive"])
    url = reverse("section_add", args=[strategy.pk])

    first = client.post(url, {"title": "Velferdsteknologi"})
    second = client.post(url, {"title": "Velferdsteknologi"})

    added = strategy.sections.get(kind=Section.Kind.OWN)
    assert (first.status_code, first.url) == (302, reverse("section_edit", args=[added.pk]))
    assert second.status_code == 200
    assert second.context["form"].errors == {"title": [SECTION_TAKEN % "Velferdsteknologi"]}
    assert list(strategy.sections.filter(title__iexact="velferdsteknologi")) == [added]


@pytest.mark.django_db
def test_renaming_an_added_section_to_a_title_in_use_is_a_form_error(world, strategy):
    chief = world.users["chief_executive"]
    added = services.section_add(strategy=strategy, title="Velferdsteknologi", user=chief)
    taken = section(strategy).title

    response = _client(chief).post(
        reverse("section_edit", args=[added.pk]),
        {"title": taken.upper(), "body": "Tekst.", "version": str(added.version)},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"title": [SECTION_TAKEN % taken.upper()]}
    added.refresh_from_db()
    assert (added.title, added.body, added.version) == ("Velferdsteknologi", "", 0)


def _measure_form(world) -> dict:
    return {
        "title": "Selvbetjening for byggesak",
        "status": "planned",
        "progress": "0",
        "owner": str(world.users["chief_executive"].pk),
    }


@pytest.mark.django_db
def test_an_add_measure_form_posted_twice_makes_one_measure_and_says_why(world, strategy):
    client = _client(world.users["chief_executive"])
    url = reverse("measure_create", args=[strategy.pk])

    first = client.post(url, _measure_form(world))
    second = client.post(url, _measure_form(world))

    assert (first.status_code, first.url) == (302, reverse("action_plan", args=[strategy.pk]))
    assert second.status_code == 200
    assert second.context["form"].errors == {
        "title": [MEASURE_TAKEN % "Selvbetjening for byggesak"]
    }
    assert list(strategy.measures.values_list("title", flat=True)) == ["Selvbetjening for byggesak"]


@pytest.mark.django_db
def test_a_measure_keeps_its_own_title_and_cannot_take_another_ones(world, strategy):
    one = services.measure_save(strategy=strategy, data={"title": "Felles IKT-drift"})
    two = services.measure_save(strategy=strategy, data={"title": "Kurs i digital ledelse"})

    services.measure_save(strategy=strategy, measure=one, data={"progress": 40})
    with pytest.raises(ValidationError) as refused:
        services.measure_save(strategy=strategy, measure=two, data={"title": "felles ikt-drift"})

    assert refused.value.message_dict == {"title": [MEASURE_TAKEN % "felles ikt-drift"]}
    assert sorted(Measure.objects.values_list("title", "progress")) == [
        ("Felles IKT-drift", 40),
        ("Kurs i digital ledelse", 0),
    ]


@pytest.mark.django_db
def test_a_comment_posted_twice_is_one_comment(world, strategy):
    s = section(move(strategy, "shared"))
    client = _client(world.users["facilitator"])
    url = reverse("section_comment", args=[s.pk])

    for _ in range(2):
        assert client.post(url, {"body": "Godt utgangspunkt."}).status_code == 302

    assert list(SectionComment.objects.values_list("body", flat=True)) == ["Godt utgangspunkt."]
    # Saying it again after someone else spoke is a comment of its own.
    services.section_comment(section=s, user=world.users["chief_executive"], body="Takk.")
    services.section_comment(section=s, user=world.users["facilitator"], body="Godt utgangspunkt.")
    assert SectionComment.objects.count() == 3


# --- At the very same moment ------------------------------------------------------------------


def _at_the_same_moment(create):
    """Run ``create`` twice in two connections so that the second passes the service's own
    check while the first has inserted its row but not committed: the database makes the second
    wait, then refuses it. Returns what each call returned or raised."""
    inserted, commit = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                outcomes["first"] = create()
                inserted.set()
                commit.wait(timeout=30)
        finally:
            connection.close()

    def second():
        try:
            outcomes["second"] = create()
        except Exception as exc:  # the outcome under test
            outcomes["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert inserted.wait(timeout=30)
    threads[1].start()
    with connection.cursor() as cursor:
        for _ in range(300):  # until the second waits for the first's row: at most 30 s
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.1)
        else:
            pytest.fail("the second create never waited for the first")
    commit.set()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes["first"], outcomes["second"]


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two writing connections at once on PostgreSQL"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_adds_of_a_section_at_the_same_moment_make_one_and_a_title_error(world, strategy):
    chief = world.users["chief_executive"]

    first, second = _at_the_same_moment(
        lambda: services.section_add(strategy=strategy, title="Velferdsteknologi", user=chief)
    )

    assert isinstance(first, Section)
    assert isinstance(second, ValidationError)
    assert second.message_dict == {"title": [SECTION_TAKEN % "Velferdsteknologi"]}
    assert list(strategy.sections.filter(kind=Section.Kind.OWN)) == [first]
    assert first.revisions.count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_adds_of_a_measure_at_the_same_moment_make_one_and_a_title_error(world, strategy):
    first, second = _at_the_same_moment(
        lambda: services.measure_save(strategy=strategy, data={"title": "Felles IKT-drift"})
    )

    assert isinstance(first, Measure)
    assert isinstance(second, ValidationError)
    assert second.message_dict == {"title": [MEASURE_TAKEN % "Felles IKT-drift"]}
    assert list(strategy.measures.all()) == [first]
