"""The pages: who sees what (as an attacker too), the scores landing as key figures with rank
and percentile in the network comparison, the movement between rounds, query counts flat at
two sizes, and the admin editing a question."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment import services
from assessment.models import Answer, Question, Response
from networks.models import Role

from .. import factories as f
from .helpers import answer_and_submit, every_answer, gatherings_of, seed_first_questionnaire


def _round(world, questionnaire, number, year):
    return services.round_open(
        network=world.network,
        questionnaire=questionnaire,
        gathering=gatherings_of(world.network)[number - 1],
        year=year,
        user=world.users["facilitator"],
    )


@pytest.fixture
def two_rounds(world):
    """A baseline (2010) and a second round (2011), answered by Alta and Hammerfest and closed."""
    questionnaire = seed_first_questionnaire()
    chief, neighbour = world.users["chief_executive"], world.users["neighbour_chief_executive"]
    rounds = []
    for number, year, alta, hammerfest in [(1, 2010, 2, 3), (4, 2011, 4, 3)]:
        round_ = _round(world, questionnaire, number, year)
        answer_and_submit(
            round_, world.municipality, chief, every_answer(questionnaire, lambda q, v=alta: v)
        )
        answer_and_submit(
            round_,
            world.neighbour,
            neighbour,
            every_answer(questionnaire, lambda q, v=hammerfest: v),
        )
        services.round_close(round_=round_, user=world.users["facilitator"])
        rounds.append(round_)
    return questionnaire, rounds


def _score(value):
    return 100 * (value - 1) / 4  # the same answer everywhere: every theme scores this


def test_the_chief_sees_the_networks_scores_with_ranks_and_the_movement(two_rounds, world, client):
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("network_assessment", args=[world.network.pk]))
    assert page.status_code == 200
    results = page.context["results"]
    latest = results.rounds[-1]
    assert [row.municipality.name for row in latest.rows] == ["Alta", "Hammerfest"]
    assert [c.value for c in latest.rows[0].cells] == [_score(4)] * 9
    assert [c.rank for c in latest.rows[0].cells] == [1] * 9
    assert latest.rows[0].own
    assert not latest.rows[1].own
    movement = {row.municipality.name: row.cells for row in results.movement}
    assert [c.change for c in movement["Alta"]] == [_score(4) - _score(2)] * 9
    assert [c.change for c in movement["Hammerfest"]] == [0.0] * 9
    assert "Movement from 2010 to 2011" in page.content.decode()


def test_the_scores_land_on_the_key_figure_page_with_rank_and_percentile(two_rounds, world, client):
    client.force_login(world.users["chief_executive"])
    url = reverse("municipality_keyfigures_export", args=[world.municipality.pk, "csv"])
    export = client.get(url, {"compare": f"network-{world.network.pk}", "year": 2011})
    assert export.status_code == 200
    content = b"".join(export.streaming_content) if export.streaming else export.content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    overall = next(r for r in rows if r["Indicator code"] == "DM-dm1-overall")
    assert float(overall["Value"]) == _score(4)
    assert overall["Rank"] == "1"
    assert float(overall["Percentile"]) == 100.0
    assert sum(1 for r in rows if r["Indicator code"].startswith("DM-dm1-")) == 9
    page = client.get(reverse("municipality_keyfigures", args=[world.municipality.pk]))
    assert "Digital maturity: Strategy" in page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("neighbour_chief_executive", 404),  # another member's answers
        ("other_chief_executive", 404),
        ("other_facilitator", 404),
        ("project_officer", 404),
        ("no_role", 404),
    ],
)
def test_a_municipalitys_answers_are_closed_to_outsiders(world, client, who, status):
    questionnaire = seed_first_questionnaire()
    round_ = _round(world, questionnaire, 1, 2010)
    if who != "anonymous":
        client.force_login(world.users[who])
    url = reverse("response_edit", args=[round_.pk, world.municipality.pk])
    before = (Response.objects.count(), Answer.objects.count())
    data = {f"q{q}": lv for q, lv in every_answer(questionnaire, lambda q: 3).items()}
    assert client.get(url).status_code == status
    assert client.post(url, {**data, "version": 0, "action": "submit"}).status_code == status
    assert (Response.objects.count(), Answer.objects.count()) == before


def test_the_mayor_and_the_facilitator_read_but_do_not_answer(world, client):
    questionnaire = seed_first_questionnaire()
    round_ = _round(world, questionnaire, 1, 2010)
    url = reverse("response_edit", args=[round_.pk, world.municipality.pk])
    for who in ("mayor", "facilitator"):
        client.force_login(world.users[who])
        assert client.get(url).status_code == 200
        assert client.post(url, {"version": 0, "action": "save"}).status_code == 403
    assert not Response.objects.exists()


def test_an_invitee_who_has_not_accepted_sees_no_answers(world, client):
    """Invitations give nothing until accepted: a person invited as Alta's staff gets 404."""
    questionnaire = seed_first_questionnaire()
    round_ = _round(world, questionnaire, 1, 2010)
    invitee = f.UserFactory()
    f.InvitationFactory(
        network=world.network,
        municipality=world.municipality,
        email=invitee.email,
        invited_by=world.users["chief_executive"],
    )
    client.force_login(invitee)
    url = reverse("response_edit", args=[round_.pk, world.municipality.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": 0, "action": "save"}).status_code == 404
    assert not Response.objects.exists()


def test_an_inviter_without_a_role_in_the_network_sees_nothing(world, client):
    """Someone who invited people elsewhere (another network's facilitator) gets 404."""
    questionnaire = seed_first_questionnaire()
    round_ = _round(world, questionnaire, 1, 2010)
    inviter = world.users["other_facilitator"]
    f.InvitationFactory(network=world.other_network, invited_by=inviter)
    client.force_login(inviter)
    for url in (
        reverse("round_detail", args=[round_.pk]),
        reverse("network_assessment", args=[world.network.pk]),
    ):
        assert client.get(url).status_code == 404


def _grow(world, count):
    """``count`` more member municipalities, each with a chief executive who submits."""
    for _n in range(count):
        municipality = f.MunicipalityFactory(region=world.municipality.region)
        f.NetworkMembershipFactory(network=world.network, municipality=municipality)
        f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)


def _answer_all(world, round_, questionnaire):
    members = world.network.municipalities.all()
    for n, municipality in enumerate(members):
        chief = municipality.roles.filter(kind=Role.Kind.CHIEF_EXECUTIVE).first().user
        value = 1 + n % 5
        answer_and_submit(
            round_, municipality, chief, every_answer(questionnaire, lambda q, v=value: v)
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_stay_flat_whatever_the_number_of_members(world, client):
    questionnaire = seed_first_questionnaire()
    client.force_login(world.users["facilitator"])
    counts = []
    for year, grow in ((2010, 0), (2011, 4)):
        _grow(world, grow)
        round_ = _round(world, questionnaire, 1 if year == 2010 else 4, year)
        _answer_all(world, round_, questionnaire)
        urls = [
            reverse("round_detail", args=[round_.pk]),
            reverse("response_edit", args=[round_.pk, world.municipality.pk]),
        ]
        services.round_close(round_=round_, user=world.users["facilitator"])
        urls.append(reverse("network_assessment", args=[world.network.pk]))
        counts.append([_queries(client, url) for url in urls])
    assert counts[0] == counts[1]


def test_the_admin_edits_a_questions_text(world, client):
    questionnaire = seed_first_questionnaire()
    question = Question.objects.filter(theme__questionnaire=questionnaire).first()
    client.force_login(world.users["staff"])
    url = reverse("admin:assessment_question_change", args=[question.pk])
    assert client.get(url).status_code == 200
    changed = client.post(
        url,
        {
            "theme": question.theme_id,
            "order": question.order,
            "text_en": "Has the council adopted a digital strategy?",
            "text_nb": "Har kommunestyret vedtatt en digital strategi?",
            "weight": "1.50",
        },
    )
    assert changed.status_code == 302
    question.refresh_from_db()
    assert question.text_en == "Has the council adopted a digital strategy?"
    assert str(question.weight) == "1.50"
    round_ = _round(world, questionnaire, 1, 2010)
    client.force_login(world.users["chief_executive"])
    form = client.get(reverse("response_edit", args=[round_.pk, world.municipality.pk]))
    assert "Has the council adopted a digital strategy?" in form.content.decode()
