"""The review report's narrative: saves with conflicts and revisions, final and back to draft,
who writes and reads (tried as attackers), and the sections reaching the PDF's text in the
reader's language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from cemsdi_portal.core.models import AuditEntry
from reports import narrative_services as ns
from reports.models import NarrativeRevision, NarrativeSection, ReportingPeriod, ReportRequest
from reports.narrative import narrative_for
from reports.services import render_document
from tests import factories as f

from .conftest import pdf_text

pytestmark = pytest.mark.django_db
Kind = NarrativeSection.Kind


def _save(period, user, body, version=0, network=None, kind=Kind.EXECUTIVE_SUMMARY, lang="en"):
    return ns.narrative_save(
        period=period,
        network=network,
        kind=kind,
        language=lang,
        body=body,
        version=version,
        user=user,
    )


# --- Services ---------------------------------------------------------------------------------


def test_each_save_is_a_revision_and_logged(period, coordinator):
    first = _save(period, coordinator, "One")
    second = ns.narrative_save(section=first.section, body="Two", version=1, user=coordinator)
    section = NarrativeSection.objects.get()
    assert (section.body, section.version, section.updated_by) == ("Two", 2, coordinator)
    assert [(r.version, r.body) for r in section.revisions.all()] == [(2, "Two"), (1, "One")]
    assert second.author == coordinator
    assert AuditEntry.objects.filter(model="reports.narrativesection").count() == 2


def test_a_save_on_an_older_version_is_a_conflict_and_saves_nothing(period, coordinator, world):
    first = _save(period, coordinator, "Mine")
    ns.narrative_save(section=first.section, body="Theirs", version=1, user=world.users["staff"])
    with pytest.raises(ns.NarrativeConflict) as caught:
        ns.narrative_save(section=first.section, body="Late", version=1, user=coordinator)
    assert caught.value.section.body == "Theirs"
    assert caught.value.yours == "Late"
    assert NarrativeSection.objects.get().body == "Theirs"
    assert NarrativeRevision.objects.count() == 2


def test_two_first_saves_of_the_same_section_conflict(period, coordinator):
    _save(period, coordinator, "First")
    with pytest.raises(ns.NarrativeConflict):
        _save(period, coordinator, "Second")
    assert NarrativeSection.objects.get().body == "First"


def test_a_network_kind_for_a_network_of_another_programme_is_refused(period, coordinator):
    stranger = f.NetworkFactory()
    with pytest.raises(ValidationError) as caught:
        _save(period, coordinator, "x", network=stranger, kind=Kind.PROGRESS)
    assert "network" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        _save(period, coordinator, "x", kind=Kind.PROGRESS)
    assert "kind" in caught.value.error_dict
    assert not NarrativeSection.objects.exists()


def test_final_then_back_to_draft_is_logged(period, coordinator):
    section = _save(period, coordinator, "Done").section
    ns.narrative_finalise(section=section, user=coordinator)
    section.refresh_from_db()
    assert (section.status, section.finalised_by) == ("final", coordinator)
    ns.narrative_reopen(section=section, user=coordinator)
    section.refresh_from_db()
    assert (section.status, section.finalised_at) == ("draft", None)
    statuses = [
        e.changes["status"]
        for e in AuditEntry.objects.filter(model="reports.narrativesection").order_by("pk")
        if "status" in e.changes
    ]
    assert statuses == [["draft", "final"], ["final", "draft"]]


def test_an_empty_section_cannot_be_final(period, coordinator):
    section = _save(period, coordinator, "").section
    with pytest.raises(ValidationError):
        ns.narrative_finalise(section=section, user=coordinator)


def test_restore_brings_an_old_text_back_as_a_new_revision(period, coordinator):
    first = _save(period, coordinator, "Old")
    ns.narrative_save(section=first.section, body="New", version=1, user=coordinator)
    restored = ns.narrative_restore(revision=first, user=coordinator)
    assert (restored.version, restored.body, restored.restored_from) == (3, "Old", 1)
    assert NarrativeSection.objects.get().body == "Old"


# --- Rules, tried as attackers ----------------------------------------------------------------


def _unsaved(period, kind, network=None):
    return NarrativeSection(period=period, network=network, kind=kind, language="en")


def test_who_writes_the_programmes_sections(period, coordinator, world):
    section = _unsaved(period, Kind.EXECUTIVE_SUMMARY)
    assert coordinator.has_perm("reports.write_narrative", section)
    assert world.users["staff"].has_perm("reports.write_narrative", section)
    other_coordinator = f.coordinator_of(f.ProgrammeFactory())
    for attacker in [
        other_coordinator,
        world.users["project_officer"],
        world.users["facilitator"],
        world.users["chief_executive"],
    ]:
        assert not attacker.has_perm("reports.write_narrative", section), attacker


def test_who_writes_a_networks_sections(period, coordinator, world):
    section = _unsaved(period, Kind.PROGRESS, world.network)
    assert world.users["facilitator"].has_perm("reports.write_narrative", section)
    for attacker in [
        world.users["other_facilitator"],
        coordinator,
        world.users["project_officer"],
        world.users["chief_executive"],
    ]:
        assert not attacker.has_perm("reports.write_narrative", section), attacker
    # Not for a period of another programme, even by the network's own facilitator.
    elsewhere = ReportingPeriod.objects.create(
        programme=f.ProgrammeFactory(), number=1, first_month=1, last_month=12
    )
    assert not world.users["facilitator"].has_perm(
        "reports.write_narrative", _unsaved(elsewhere, Kind.PROGRESS, world.network)
    )


def test_who_reads_the_narrative_and_the_twin_agrees(period, coordinator, world):
    summary = _save(period, coordinator, "Summary").section
    progress = _save(
        period, world.users["facilitator"], "Progress", network=world.network, kind=Kind.PROGRESS
    ).section
    expected = {
        "project_officer": {summary, progress},
        "staff": {summary, progress},
        "facilitator": {progress},
        "other_facilitator": set(),
        "chief_executive": set(),
        "other_officer": set(),
    }
    for name, readable in expected.items():
        user = world.users[name]
        assert {s for s in (summary, progress) if user.has_perm("reports.view_narrative", s)} == (
            readable
        ), name
        assert set(ns_visible(user)) == readable, name
    assert coordinator.has_perm("reports.view_narrative", progress)


def ns_visible(user):
    from reports.rules import narratives_visible_to

    return narratives_visible_to(user)


# --- The narrative in the report --------------------------------------------------------------


def test_narrative_for_takes_the_readers_language_else_the_first_written(period, coordinator):
    _save(period, coordinator, "Sintesi", lang="it")
    _save(period, coordinator, "Summary", lang="en")
    _save(period, coordinator, "Lærdom", kind=Kind.LESSONS, lang="nb")
    _save(period, coordinator, "Lições", kind=Kind.LESSONS, lang="pt")
    italian = narrative_for(programme=period.programme, period=period, language="it")
    assert italian.executive_summary.section.body == "Sintesi"
    assert (italian.lessons.section.body, italian.lessons.language) == ("Lærdom", "nb")
    assert narrative_for(programme=period.programme, period=None, language="it") is None


def test_narrative_for_makes_one_query_whatever_the_size(
    period, coordinator, world, django_assert_num_queries
):
    _save(period, coordinator, "Summary")
    with django_assert_num_queries(1):
        narrative_for(programme=period.programme, period=period, language="en")
    for kind in NarrativeSection.NETWORK_KINDS:
        for network in (world.network, world.other_network):
            _save(period, world.users["staff"], "Text", network=network, kind=kind)
    with django_assert_num_queries(1):
        narrative_for(programme=period.programme, period=period, language="en")


def test_narrative_sections_reach_the_pdfs_text_in_the_readers_language(period, coordinator, world):
    _save(period, coordinator, "Il programma ha formato novantotto dirigenti.", lang="it")
    _save(period, coordinator, "The programme trained ninety-eight executives.", lang="en")
    _save(
        period,
        world.users["facilitator"],
        "Nettverket har holdt fire samlinger i Finnmark.",
        network=world.network,
        kind=Kind.PROGRESS,
        lang="nb",
    )
    report = ReportRequest(
        kind=ReportRequest.Kind.PROGRAMME,
        programme=world.programme,
        period=period,
        language="it",
    )
    _document, rendered = render_document(report)
    text = pdf_text(rendered.content)
    with translation.override("it"):
        heading = gettext("Executive summary")
        progress = gettext("Progress")
    assert f"{heading} " in text
    assert "Il programma ha formato novantotto dirigenti." in text
    assert "ninety-eight executives" not in text
    assert "Nettverket har holdt fire samlinger i Finnmark." in text
    assert progress in text
    with translation.override("it"):
        assert gettext("Draft") in text
