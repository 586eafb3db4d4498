"""Home as a to-do list: what waits for a municipality's person, and for a facilitator."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import Network, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def _todo(page: str) -> str:
    """The to-do section of the home page only."""
    start = page.index('id="todo-heading"')
    return page[start : page.index("</section>", start)]


def test_chief_executive_sees_next_gathering_open_assignments_and_own_measures(client, world):
    chief = world.users["chief_executive"]
    today = timezone.localdate()
    held = f.GatheringFactory(
        network=world.network, number=1, starts_at=timezone.now() - timedelta(days=20)
    )
    coming = f.GatheringFactory(network=world.network, number=2, title="Digital services")
    f.GatheringFactory(network=world.other_network, number=1, title="Elsewhere")
    late = f.AssignmentFactory(
        gathering=held, title="Map the services", due_date=today - timedelta(days=3)
    )
    open_one = f.AssignmentFactory(
        gathering=held, title="Draft the vision", due_date=today + timedelta(days=9)
    )
    done = f.AssignmentFactory(
        gathering=held, title="Already done", due_date=today + timedelta(days=9)
    )
    f.AssignmentCompletionFactory(assignment=done, municipality=world.municipality)
    strategy = f.StrategyFactory(network=world.network, municipality=world.municipality)
    mine = f.MeasureFactory(
        strategy=strategy, owner=chief, title="Open the portal", due_on=today - timedelta(days=1)
    )
    f.MeasureFactory(strategy=strategy, owner=chief, title="Finished measure", status="done")
    f.MeasureFactory(
        strategy=strategy, owner=world.users["municipal_staff"], title="Staff's measure"
    )

    todo = _todo(_home(client, chief))

    assert reverse("gathering_detail", args=[coming.pk]) in todo
    assert "Digital services" in todo
    assert "Elsewhere" not in todo
    assert late.title in todo
    assert open_one.title in todo
    assert "Already done" not in todo
    assert todo.index(late.title) < todo.index(open_one.title)  # by due date
    assert "late: was due" in todo
    assert reverse("measure_edit", args=[mine.pk]) in todo
    assert "Finished measure" not in todo
    assert "Staff&#x27;s measure" not in todo
    assert "Staff's measure" not in todo


def test_finished_network_leaves_nothing_to_do(client, world):
    Network.objects.filter(pk=world.network.pk).update(state=Network.State.FINISHED)
    held = f.GatheringFactory(network=world.network, starts_at=timezone.now() - timedelta(days=20))
    f.AssignmentFactory(gathering=held, due_date=timezone.localdate() - timedelta(days=3))

    assert 'id="todo-heading"' not in _home(client, world.users["chief_executive"])
    assert 'id="todo-heading"' not in _home(client, world.users["facilitator"])


def test_facilitator_sees_open_invitations_and_who_is_behind(client, world):
    facilitator = world.users["facilitator"]
    today = timezone.localdate()
    held = f.GatheringFactory(network=world.network, starts_at=timezone.now() - timedelta(days=40))
    first = f.AssignmentFactory(gathering=held, due_date=today - timedelta(days=10))
    f.AssignmentFactory(gathering=held, due_date=today - timedelta(days=2))
    f.AssignmentFactory(gathering=held, due_date=today + timedelta(days=5))  # not yet due
    f.AssignmentCompletionFactory(assignment=first, municipality=world.neighbour)
    f.InvitationFactory(
        network=world.network, email="kari@alta.example", municipality=world.municipality
    )
    f.InvitationFactory(
        network=world.network,
        email="gone@alta.example",
        municipality=world.municipality,
        expires_at=timezone.now() - timedelta(days=1),
    )
    f.InvitationFactory(
        network=world.other_network,
        email="other@bodo.example",
        municipality=world.other_municipality,
    )

    todo = _todo(_home(client, facilitator))

    assert "kari@alta.example" in todo
    assert "gone@alta.example" not in todo  # expired
    assert "other@bodo.example" not in todo  # another network's
    assert (
        f"{world.municipality.name} ({world.network.name}): 2 assignments past their due date"
        in todo
    )
    assert f"{world.neighbour.name} ({world.network.name}): 1 assignment past its due date" in todo
    assert world.other_municipality.name not in todo


def _fill(world, n: int) -> None:
    chief = world.users["chief_executive"]
    today = timezone.localdate()
    for i in range(n):
        network = f.NetworkFactory(programme=world.programme, members=[world.municipality])
        Role.objects.create(
            user=world.users["facilitator"], kind=Role.Kind.FACILITATOR, network=network
        )
        held = f.GatheringFactory(network=network, starts_at=timezone.now() - timedelta(days=20))
        f.GatheringFactory(network=network, number=2, invitations_sent_at=timezone.now())
        f.NoticeFactory(recipient=chief)
        f.NoticeFactory(recipient=world.users["facilitator"], kind="strategy_shared")
        f.AssignmentFactory(gathering=held, due_date=today - timedelta(days=1 + i))
        strategy = f.StrategyFactory(network=network, municipality=world.municipality)
        f.MeasureFactory(strategy=strategy, owner=chief, due_on=today - timedelta(days=i))
        draft = f.RoundFactory(network=network, gathering=held, year=2011)
        f.RoundFactory(
            network=network, gathering=held, year=2012, questionnaire=draft.questionnaire
        )
        f.ResponseFactory(round=draft, municipality=world.municipality)
        f.InvitationFactory(
            network=world.network, email=f"p{n}-{i}@alta.example", municipality=world.municipality
        )


@pytest.mark.parametrize("role", ["chief_executive", "facilitator"])
def test_home_queries_do_not_grow_with_what_waits(client, world, role):
    user = world.users[role]
    client.force_login(user)
    _fill(world, 1)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    _fill(world, 3)
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("home")).content.decode()
    assert 'id="todo-heading"' in page
    assert len(large) == len(small)


def test_chief_executive_sees_whether_they_answered_the_next_gathering(client, world):
    chief = world.users["chief_executive"]
    gathering = f.GatheringFactory(
        network=world.network, number=2, invitations_sent_at=timezone.now()
    )

    todo = _todo(_home(client, chief))
    assert "You have not answered the invitation yet." in todo
    assert f"{reverse('gathering_detail', args=[gathering.pk])}#answer-heading" in todo

    f.GatheringAnswerFactory(gathering=gathering, person=chief, answer="no")
    todo = _todo(_home(client, chief))
    assert "You said you cannot come" in todo
    assert "You have not answered" not in todo


def test_staff_are_not_asked_to_answer_a_gathering_they_are_not_invited_to(client, world):
    f.GatheringFactory(network=world.network, number=2, invitations_sent_at=timezone.now())

    todo = _todo(_home(client, world.users["municipal_staff"]))

    assert "Next gathering" in todo
    assert "You have not answered" not in todo  # chief executives are invited, staff are not


def test_cancelled_gathering_is_not_the_next(client, world):
    f.GatheringFactory(
        network=world.network, number=2, title="Called off", cancelled_at=timezone.now()
    )

    assert "Called off" not in _home(client, world.users["chief_executive"])


def test_unread_notices_head_the_list_and_read_ones_are_gone(client, world):
    chief = world.users["chief_executive"]
    commenter = world.users["facilitator"]
    unread = f.NoticeFactory(recipient=chief, actor=commenter, excerpt="Say more about the costs.")
    f.NoticeFactory(recipient=chief, actor=commenter, about="Read already", read_at=timezone.now())
    f.NoticeFactory(recipient=world.users["neighbour_chief_executive"], about="Someone else's")

    todo = _todo(_home(client, chief))

    assert f"{commenter} commented on “Benefits realisation (Alta)”." in todo
    assert reverse("notice_open", args=[unread.pk]) in todo
    assert "Say more about the costs." in todo
    assert "Read already" not in todo
    assert "Someone else" not in todo


def test_an_open_self_assessment_round_waits_until_the_municipality_submits(client, world):
    """Its chief executive (who answers) is asked until the response is submitted; a mayor
    (who reads), another network's chief executive and a closed round ask nobody."""
    round_ = f.RoundFactory(network=world.network, year=2011)
    f.RoundFactory(
        network=world.network,
        gathering=round_.gathering,
        year=2010,
        state="closed",
        questionnaire=round_.questionnaire,
    )
    answer_url = reverse("response_edit", args=[round_.pk, world.municipality.pk])
    todo = _todo(_home(client, world.users["chief_executive"]))
    assert "Self-assessment to answer" in todo
    assert f"Digital maturity 2011 ({world.network.name})" in todo
    assert answer_url in todo
    assert "not started" in todo
    assert "Digital maturity 2010" not in todo
    response = f.ResponseFactory(round=round_, municipality=world.municipality)
    assert "a draft, not submitted yet" in _todo(_home(client, world.users["chief_executive"]))
    for user in ("mayor", "other_chief_executive"):
        assert "Self-assessment to answer" not in _home(client, world.users[user])
    response.state = "submitted"
    response.save()
    assert "Self-assessment to answer" not in _home(client, world.users["chief_executive"])
