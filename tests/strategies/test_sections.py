"""Editing a section together: a save on a version someone else changed is refused with both
texts shown and nothing lost; every save is a revision with its author, any revision can be
restored, the history shows what changed; editors see who else has the section open."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from strategies import selectors, services
from strategies.models import DlaPriority, Section, SectionPresence, SectionRevision
from strategies.selectors import DiffPart

from .helpers import element, input_value, section, textarea, write
from .helpers import signed_in_client as _client

pytestmark = pytest.mark.django_db

CHIEF_TEXT = "Alta & Hammerfest samarbeider om <drift>.\n\nVi velger tre satsinger."
STAFF_TEXT = "Alta samarbeider med hele Vest-Finnmark.\n\n- Felles drift\n- Felles innkjøp"


def test_second_editor_sees_the_conflict_with_both_texts_and_loses_nothing(world, strategy):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    s = section(strategy)
    url = reverse("section_edit", args=[s.pk])
    chief_client, staff_client = _client(chief), _client(staff)

    # Both open the editor on the same version.
    chief_version = input_value(chief_client.get(url).content.decode(), "version")
    staff_version = input_value(staff_client.get(url).content.decode(), "version")
    assert chief_version == staff_version == "0"

    # The chief executive saves first.
    first = chief_client.post(url, {"body": CHIEF_TEXT, "version": chief_version})
    assert first.status_code == 302
    assert first.url == reverse("strategy_detail", args=[strategy.pk]) + f"#s{s.pk}"

    # The staff member saves on the version they loaded: refused, both texts on the page.
    second = staff_client.post(url, {"body": STAFF_TEXT, "version": staff_version})
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else saved this section while you were writing" in page
    their_text = element(page, "their-text")
    assert their_text == (
        '<pre class="border rounded p-2 bg-light conflict-text" id="their-text">'
        "Alta &amp; Hammerfest samarbeider om &lt;drift&gt;.\n\nVi velger tre satsinger.</pre>"
    )
    assert textarea(page) == STAFF_TEXT
    assert input_value(page, "version") == "1"
    assert "Save my text" in page

    # Nothing lost: the stored text is the first editor's, only their save is a revision.
    s.refresh_from_db()
    assert (s.body, s.version, s.updated_by) == (CHIEF_TEXT, 1, chief)
    assert list(s.revisions.values_list("version", "author", "body")) == [(1, chief.pk, CHIEF_TEXT)]

    # The staff member saves again from the conflict page (now on version 1): it goes through.
    third = staff_client.post(
        url, {"body": textarea(page), "version": input_value(page, "version")}
    )
    assert third.status_code == 302
    s.refresh_from_db()
    assert (s.body, s.version, s.updated_by) == (STAFF_TEXT, 2, staff)
    assert list(s.revisions.order_by("version").values_list("version", "author", "body")) == [
        (1, chief.pk, CHIEF_TEXT),
        (2, staff.pk, STAFF_TEXT),
    ]


def test_conflict_page_shows_what_differs(world, strategy):
    s = section(strategy)
    write(s, world.users["chief_executive"], "Vi samarbeider med Hammerfest om drift")
    client = _client(world.users["municipal_staff"])
    response = client.post(
        reverse("section_edit", args=[s.pk]),
        {"body": "Vi samarbeider med Loppa om drift", "version": 0},
    )
    assert response.status_code == 409
    assert "Vi samarbeider med <del>Hammerfest</del><ins>Loppa</ins> om drift" in (
        response.content.decode()
    )


def test_section_save_rejects_stale_version_and_writes_nothing(world, strategy):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    s = write(section(strategy), chief, "First text.")
    revisions = SectionRevision.objects.count()

    with pytest.raises(services.EditConflict) as caught:
        services.section_save(section=s, user=staff, body="Stale text.", base_version=0)

    assert caught.value.section.body == "First text."
    assert caught.value.section.version == 1
    assert caught.value.yours == "Stale text."
    assert SectionRevision.objects.count() == revisions
    s.refresh_from_db()
    assert (s.body, s.version, s.updated_by) == ("First text.", 1, chief)


def test_section_save_rejects_a_version_from_the_future(world, strategy):
    s = section(strategy)
    with pytest.raises(services.EditConflict):
        services.section_save(
            section=s, user=world.users["chief_executive"], body="x", base_version=5
        )
    assert not SectionRevision.objects.filter(section=s).exists()


def test_each_save_is_one_revision_with_its_author(world, strategy):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    s = section(strategy)
    write(s, chief, "One.")
    write(s, staff, "One. Two.")
    write(s, chief, "One. Two. Three.")
    assert list(s.revisions.order_by("version").values_list("version", "author", "body")) == [
        (1, chief.pk, "One."),
        (2, staff.pk, "One. Two."),
        (3, chief.pk, "One. Two. Three."),
    ]


def test_saving_the_same_text_again_adds_no_revision(world, strategy):
    s = write(section(strategy), world.users["chief_executive"], "Same.")
    revision = services.section_save(
        section=s, user=world.users["municipal_staff"], body="Same.", base_version=1
    )
    assert revision.version == 1
    assert s.revisions.count() == 1
    s.refresh_from_db()
    assert s.version == 1


def test_restore_creates_a_new_revision_with_the_old_text(world, strategy):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    s = section(strategy)
    write(s, chief, "The first idea.")
    write(s, staff, "A second idea.")

    restored = services.section_restore(section=s, version=1, user=staff)

    assert (restored.version, restored.restored_from, restored.body, restored.author) == (
        3,
        1,
        "The first idea.",
        staff,
    )
    s.refresh_from_db()
    assert (s.body, s.version) == ("The first idea.", 3)
    assert list(
        s.revisions.order_by("version").values_list("version", "body", "restored_from")
    ) == [
        (1, "The first idea.", None),
        (2, "A second idea.", None),
        (3, "The first idea.", 1),
    ]


def test_restore_of_a_missing_revision_is_refused(world, strategy):
    s = write(section(strategy), world.users["chief_executive"], "Text.")
    with pytest.raises(ValidationError) as caught:
        services.section_restore(section=s, version=7, user=world.users["chief_executive"])
    assert caught.value.message_dict == {"version": ["This section has no revision 7."]}
    assert s.revisions.count() == 1


def test_restore_through_the_history_page(client, world, strategy):
    chief = world.users["chief_executive"]
    s = section(strategy)
    write(s, chief, "Old words.")
    write(s, chief, "New words.")
    client.force_login(world.users["municipal_staff"])

    response = client.post(reverse("section_restore", args=[s.pk, 1]))

    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.body, s.version, s.updated_by) == ("Old words.", 3, world.users["municipal_staff"])
    history = client.get(reverse("section_history", args=[s.pk])).content.decode()
    assert "restored from revision 1" in history


def test_history_page_shows_the_diff_and_the_authors(client, world, strategy):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    s = section(strategy)
    write(s, chief, "Vi samarbeider med Hammerfest om drift")
    write(s, staff, "Vi samarbeider med Loppa om drift")
    client.force_login(world.users["mayor"])

    response = client.get(reverse("section_history", args=[s.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Vi samarbeider med <del>Hammerfest</del><ins>Loppa</ins> om drift" in page
    assert "<ins>Vi samarbeider med Hammerfest om drift</ins>" in page
    assert [row.revision.author for row in response.context["revisions"]] == [staff, chief]
    for author in (staff, chief):
        assert f'<p class="small text-muted">{escape(author)}, ' in page
    # The mayor reads but does not edit: no restore button.
    assert reverse("section_restore", args=[s.pk, 1]) not in page


def test_word_diff_keeps_the_order_of_the_text():
    assert selectors.word_diff("a b c", "a x c d") == [
        DiffPart("equal", "a "),
        DiffPart("delete", "b"),
        DiffPart("insert", "x"),
        DiffPart("equal", " c"),
        DiffPart("insert", " d"),
    ]


def test_own_section_is_added_and_its_title_saved(client, world, strategy):
    chief = world.users["chief_executive"]
    client.force_login(chief)
    response = client.post(
        reverse("section_add", args=[strategy.pk]), {"title": " Velferdsteknologi "}
    )
    added = strategy.sections.get(kind=Section.Kind.OWN)
    assert response.status_code == 302
    assert response.url == reverse("section_edit", args=[added.pk])
    assert (added.title, added.position) == ("Velferdsteknologi", 7)
    response = client.post(
        reverse("section_edit", args=[added.pk]),
        {"title": "Velferdsteknologi i hjemmet", "body": "Sensorer.", "version": 0},
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.title, added.body, added.version) == (
        "Velferdsteknologi i hjemmet",
        "Sensorer.",
        1,
    )


def test_template_section_keeps_its_title(client, world, strategy):
    s = section(strategy)
    title = s.title
    client.force_login(world.users["chief_executive"])
    client.post(
        reverse("section_edit", args=[s.pk]), {"title": "Renamed", "body": "Text.", "version": 0}
    )
    s.refresh_from_db()
    assert (s.title, s.body) == (title, "Text.")


def test_section_priorities_are_saved_with_the_text(client, world, strategy):
    s = section(strategy)
    dla3 = DlaPriority.objects.get(code="DLA3")
    dla5 = DlaPriority.objects.get(code="DLA5")
    client.force_login(world.users["chief_executive"])
    response = client.post(
        reverse("section_edit", args=[s.pk]),
        {"body": "Text.", "version": 0, "dla_priorities": [dla3.pk, dla5.pk]},
    )
    assert response.status_code == 302
    assert sorted(s.dla_priorities.values_list("code", flat=True)) == ["DLA3", "DLA5"]


# --- Presence --------------------------------------------------------------------------------


def test_editors_see_who_else_has_the_section_open(world, strategy, settings):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    s = section(strategy)
    url = reverse("section_edit", args=[s.pk])
    chief_client, staff_client = _client(chief), _client(staff)

    alone = chief_client.get(url).content.decode()
    assert "Nobody else has this section open." in alone

    page = staff_client.get(url).content.decode()
    assert f"{escape(chief)} also has this section open." in page
    ping = staff_client.post(reverse("section_presence", args=[s.pk])).content.decode()
    assert f"{escape(chief)} also has this section open." in ping
    assert escape(staff) not in ping

    # The chief executive's page stops pinging: after the presence window they are gone.
    SectionPresence.objects.filter(section=s, user=chief).update(
        last_seen=timezone.now() - timedelta(seconds=settings.STRATEGY_PRESENCE_SECONDS + 1)
    )
    ping = staff_client.post(reverse("section_presence", args=[s.pk])).content.decode()
    assert "Nobody else has this section open." in ping
    assert escape(chief) not in ping


def test_presence_ends_when_the_editor_saves(world, strategy):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    s = section(strategy)
    url = reverse("section_edit", args=[s.pk])
    chief_client = _client(chief)
    chief_client.get(url)
    chief_client.post(url, {"body": "Done.", "version": 0})
    assert selectors.others_present(section=s, user=staff) == []


def test_presence_names_everyone_else_once(world, strategy):
    chief, staff, mayor = (world.users[n] for n in ("chief_executive", "municipal_staff", "mayor"))
    s = section(strategy)
    for user in (chief, staff):
        services.presence_touch(section=s, user=user)
        services.presence_touch(section=s, user=user)
    assert SectionPresence.objects.filter(section=s).count() == 2
    assert selectors.others_present(section=s, user=mayor) == sorted(
        [chief, staff], key=lambda u: (u.first_name, u.last_name)
    )
    assert selectors.others_present(section=s, user=chief) == [staff]


def test_presence_names_are_escaped(world, strategy):
    s = section(strategy)
    chief = world.users["chief_executive"]
    chief.first_name, chief.last_name = "<b>Anne", "Rådmann</b>"
    chief.save()
    services.presence_touch(section=s, user=chief)
    client = _client(world.users["municipal_staff"])
    ping = client.post(reverse("section_presence", args=[s.pk])).content.decode()
    assert "&lt;b&gt;Anne Rådmann&lt;/b&gt; also has this section open." in ping
    assert "<b>" not in ping


def test_adopted_strategy_keeps_its_text_until_moved_back(world, strategy):
    chief = world.users["chief_executive"]
    s = write(section(strategy), chief, "Vedtatt tekst.")
    services.strategy_set_status(strategy=strategy, status="shared", user=chief)
    services.strategy_set_status(
        strategy=strategy,
        status="adopted",
        user=chief,
        adopted_on=timezone.localdate(),
        decision_reference="PS 1/26",
    )
    with pytest.raises(ValidationError) as refused:
        services.section_save(section=s, user=chief, body="Endret.", base_version=s.version)
    assert refused.value.message_dict == {
        "body": ["The strategy is adopted: move it back to shared to change its text."]
    }
    client = _client(chief)
    url = reverse("section_edit", args=[s.pk])
    response = client.post(url, {"body": "Endret.", "version": s.version})
    assert response.status_code == 302
    assert response.url == reverse("strategy_detail", args=[strategy.pk]) + f"#s{s.pk}"
    s.refresh_from_db()
    assert (s.body, s.revisions.count()) == ("Vedtatt tekst.", 1)
    page = client.get(reverse("strategy_detail", args=[strategy.pk])).content.decode()
    assert url not in page  # no edit link while adopted
    services.strategy_set_status(strategy=strategy, status="shared", user=chief)
    write(s, chief, "Endret etter vedtak.")
    assert s.body == "Endret etter vedtak."


def test_saved_text_has_plain_line_breaks(world, strategy):
    chief = world.users["chief_executive"]
    s = section(strategy)
    services.section_save(section=s, user=chief, body="Første.\r\n\r\nAndre.", base_version=0)
    s.refresh_from_db()
    assert s.body == "Første.\n\nAndre."
    assert s.revisions.get().body == "Første.\n\nAndre."


def test_a_change_of_priorities_is_a_save_that_the_other_editor_meets(world, strategy):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    s = section(strategy)
    url = reverse("section_edit", args=[s.pk])
    staff_client = _client(staff)
    staff_version = input_value(staff_client.get(url).content.decode(), "version")
    dla5 = DlaPriority.objects.get(code="DLA5")
    response = _client(chief).post(
        url, {"body": s.body, "version": s.version, "dla_priorities": [dla5.pk]}
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.version, list(s.dla_priorities.values_list("code", flat=True))) == (1, ["DLA5"])
    conflict = staff_client.post(url, {"body": "Ny tekst.", "version": staff_version})
    assert conflict.status_code == 409
    s.refresh_from_db()
    assert list(s.dla_priorities.values_list("code", flat=True)) == ["DLA5"]


def test_an_added_section_can_be_removed_after_asking_and_its_measures_stay(world, strategy):
    chief = world.users["chief_executive"]
    added = services.section_add(strategy=strategy, title="Velferdsteknologi", user=chief)
    measure = services.measure_save(
        strategy=strategy, data={"title": "Trygghetsalarm", "section": added}
    )
    client = _client(chief)
    url = reverse("section_delete", args=[added.pk])
    assert "Remove the section “Velferdsteknologi”?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Section.objects.filter(pk=added.pk).exists()
    measure.refresh_from_db()
    assert measure.section is None
    template_section = section(strategy)
    response = client.post(reverse("section_delete", args=[template_section.pk]))
    assert response.status_code == 302
    assert Section.objects.filter(pk=template_section.pk).exists()


def test_an_added_section_needs_a_title_of_its_own(world, strategy):
    chief = world.users["chief_executive"]
    services.section_add(strategy=strategy, title="Velferdsteknologi", user=chief)
    with pytest.raises(ValidationError) as refused:
        services.section_add(strategy=strategy, title="velferdsteknologi ", user=chief)
    assert refused.value.message_dict == {
        "title": ["The strategy already has a section called “velferdsteknologi”."]
    }


def test_a_section_longer_than_forty_pages_is_refused(world, strategy):
    s = section(strategy)
    with pytest.raises(ValidationError) as refused:
        services.section_save(
            section=s, user=world.users["chief_executive"], body="x" * 50_001, base_version=0
        )
    assert refused.value.message_dict == {
        "body": ["A section holds at most 50,000 characters; this one has 50,001."]
    }
    assert s.revisions.count() == 0
