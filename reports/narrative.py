"""The review report's narrative as it reaches a report: for each section, the text in the
reader's language where one is written, else the one there is (the first in the site's
language order), marked with its language so that the template can say ``lang="xx"`` where it
differs from the report's. Drafts are included and marked as drafts. One query, whatever the
number of networks and languages.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.safestring import SafeString

from cemsdi_portal.core.markup import render_markdown

from .models import NarrativeSection

Kind = NarrativeSection.Kind
LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]


@dataclass
class NarrativeEntry:
    section: NarrativeSection
    html: SafeString  # rendered as a strategy's sections are (markdown, sanitised)

    @property
    def kind(self) -> str:
        return self.section.kind

    @property
    def title(self) -> str:
        return self.section.get_kind_display()

    @property
    def language(self) -> str:
        return self.section.language

    @property
    def is_draft(self) -> bool:
        return self.section.status == NarrativeSection.Status.DRAFT


@dataclass
class Narrative:
    language: str
    programme: dict[str, NarrativeEntry] = field(default_factory=dict)  # kind -> entry
    networks: dict[int, list[NarrativeEntry]] = field(default_factory=dict)  # in kind order

    # Named for the templates, which cannot look a dict up by a variable key.
    @property
    def executive_summary(self) -> NarrativeEntry | None:
        return self.programme.get(Kind.EXECUTIVE_SUMMARY)

    @property
    def lessons(self) -> NarrativeEntry | None:
        return self.programme.get(Kind.LESSONS)

    @property
    def next_steps(self) -> NarrativeEntry | None:
        return self.programme.get(Kind.NEXT_STEPS)

    def for_network(self, network) -> list[NarrativeEntry]:
        return self.networks.get(getattr(network, "pk", network), [])


def _rank(section: NarrativeSection, language: str) -> tuple[int, int]:
    """The reader's language first, then the site's language order."""
    order = LANGUAGE_ORDER.index(section.language) if section.language in LANGUAGE_ORDER else 99
    return (0 if section.language == language else 1, order)


def narrative_for(*, programme, period=None, language: str) -> Narrative | None:
    """The narrative of the period for a report in ``language`` (None: no period, no
    narrative)."""
    if period is None:
        return None
    chosen: dict[tuple[int | None, str], NarrativeSection] = {}
    for section in NarrativeSection.objects.filter(period=period).exclude(body=""):
        key = (section.network_id, section.kind)
        if key not in chosen or _rank(section, language) < _rank(chosen[key], language):
            chosen[key] = section
    narrative = Narrative(language=language)
    network_order = {kind: i for i, kind in enumerate(NarrativeSection.NETWORK_KINDS)}
    for (network_id, kind), section in sorted(
        chosen.items(), key=lambda item: network_order.get(item[0][1], 0)
    ):
        entry = NarrativeEntry(section=section, html=render_markdown(section.body))
        if network_id is None:
            narrative.programme[kind] = entry
        else:
            narrative.networks.setdefault(network_id, []).append(entry)
    return narrative
