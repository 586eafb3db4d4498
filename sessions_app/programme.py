"""The standard programme of the four gatherings, from the Norwegian CEMSDI pilots.

Titles and topics are translatable strings: a network's gatherings are proposed in its working
language, then belong to the facilitator, who edits them freely. Each gathering carries about
seven hours of training, so that four gatherings give the 28 hours per pilot that the seed
reports.

Norway's programme is the seed's. Another country's is the same four gatherings with the lines
that speak of Norway or eKommune made its own ("eGovernment in Italy: …", "digital
municipality strategy"). Where an administrator has adapted a country's programme in the
Django admin (``StandardProgramme``), that one is proposed instead (``programme_for``), in the
administrator's words.
"""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from networks.countries import country_name, is_ekommune_country

from .models import AgendaItem, StandardProgramme

K = AgendaItem.Kind


@dataclass(frozen=True)
class StandardItem:
    title: str
    kind: str
    minutes: int


@dataclass(frozen=True)
class StandardGathering:
    number: int
    title: str
    items: tuple[StandardItem, ...]


def _opening():
    return StandardItem(_("Welcome, introductions and the day's aims"), K.PLENARY, 30)


def _lunch():
    return StandardItem(_("Lunch"), K.BREAK, 45)


def _closing():
    return StandardItem(_("Summing up, assignments until the next gathering"), K.PLENARY, 30)


def _with_country(text, country) -> str:
    return gettext(text) % {"country": country_name(country)}


_with_country_lazy = lazy(_with_country, str)


def _programme(country=None) -> tuple[StandardGathering, ...]:
    """The code's programme for ``country`` (None: Norway, the seed's)."""
    norway = is_ekommune_country(country)

    def own(norwegian, elsewhere):
        # ``elsewhere`` is a msgid with %(country)s, filled in the language active when read.
        if norway:
            return norwegian
        return _with_country_lazy(elsewhere, country)

    return (
        StandardGathering(
            1,
            own(
                _("eGovernment in Norway: challenges and opportunities"),
                gettext_noop("eGovernment in %(country)s: challenges and opportunities"),
            ),
            (
                _opening(),
                StandardItem(
                    own(
                        _(
                            "The national framework, the state of Norway's municipalities, and "
                            "where the municipality should be in the future"
                        ),
                        gettext_noop(
                            "The national framework, the state of the municipalities of "
                            "%(country)s, and where the municipality should be in the future"
                        ),
                    ),
                    K.LECTURE,
                    105,
                ),
                StandardItem(
                    own(
                        _("The municipality's main service areas in the light of eKommune"),
                        gettext_noop(
                            "The municipality's main service areas in the light of digital "
                            "government"
                        ),
                    ),
                    K.PROCESS_WORK,
                    120,
                ),
                _lunch(),
                StandardItem(
                    _("Social inclusion in an electronic world: challenges for society"),
                    K.LECTURE,
                    90,
                ),
                StandardItem(_("Where does our municipality stand? Key figures"), K.WORKSHOP, 60),
                _closing(),
            ),
        ),
        StandardGathering(
            2,
            _("Strategic governance and management of ICT"),
            (
                _opening(),
                StandardItem(_("Governance and management of ICT"), K.LECTURE, 75),
                StandardItem(
                    _("The municipality as commissioner: what is asked of it"), K.LECTURE, 60
                ),
                StandardItem(_("Competence and capacity in the leadership"), K.PROCESS_WORK, 75),
                _lunch(),
                StandardItem(
                    _("Efficient work processes and benefits realisation"), K.WORKSHOP, 105
                ),
                StandardItem(_("Information security"), K.LECTURE, 60),
                _closing(),
            ),
        ),
        StandardGathering(
            3,
            own(
                _("eKommune strategy, action plans and effective work processes"),
                gettext_noop(
                    "Digital municipality strategy, action plans and effective work processes"
                ),
            ),
            (
                _opening(),
                StandardItem(
                    own(
                        _("The basic elements of an eKommune strategy"),
                        gettext_noop("The basic elements of a digital municipality strategy"),
                    ),
                    K.LECTURE,
                    60,
                ),
                StandardItem(_("Action plans: development and implementation"), K.LECTURE, 45),
                StandardItem(
                    _("Other municipalities' experience of making and anchoring a strategy"),
                    K.PLENARY,
                    45,
                ),
                StandardItem(
                    _("How to run the strategy work in your own municipality or region"),
                    K.PROCESS_WORK,
                    60,
                ),
                _lunch(),
                StandardItem(
                    _("The interplay of organisation, technology and processes"), K.LECTURE, 60
                ),
                StandardItem(_("Success factors and pitfalls"), K.WORKSHOP, 105),
                _closing(),
            ),
        ),
        StandardGathering(
            4,
            own(
                _("Status of the eKommune strategy, a chosen theme and the way ahead"),
                gettext_noop(
                    "Status of the digital municipality strategy, a chosen theme and the way ahead"
                ),
            ),
            (
                _opening(),
                StandardItem(
                    own(
                        _("Follow-up and review of each eKommune strategy: status"),
                        gettext_noop(
                            "Follow-up and review of each digital municipality strategy: status"
                        ),
                    ),
                    K.WORKSHOP,
                    120,
                ),
                StandardItem(
                    _("Discussion and planning of the way ahead for each municipality or region"),
                    K.PROCESS_WORK,
                    90,
                ),
                _lunch(),
                StandardItem(
                    _("Learning from each other: municipalities present their strategies"),
                    K.PLENARY,
                    60,
                ),
                StandardItem(
                    _("Tailored theme chosen from the participants' input"), K.LECTURE, 105
                ),
                _closing(),
            ),
        ),
    )


STANDARD_PROGRAMME = _programme()


def code_programme(country=None) -> tuple[StandardGathering, ...]:
    """The code's programme for ``country``: Norway's is ``STANDARD_PROGRAMME``."""
    if is_ekommune_country(country):
        return STANDARD_PROGRAMME
    return _programme(country)


def standard_gathering(number: int, programme=None) -> StandardGathering:
    """Gathering ``number`` of ``programme`` (``programme_for``'s; None: Norway's)."""
    return (programme or STANDARD_PROGRAMME)[number - 1]


def programme_for(network) -> tuple[StandardGathering, ...]:
    """The programme proposed to the network: its country's as an administrator adapted it,
    else the code's for its country. Two queries at most (pass the network with
    ``region__country``)."""
    country = network.region.country
    adapted = (
        StandardProgramme.objects.filter(country=country)
        .prefetch_related("gatherings__items")
        .first()
    )
    if adapted is not None:
        gatherings = {g.number: g for g in adapted.gatherings.all()}
        code = code_programme(country)
        return tuple(
            StandardGathering(
                number,
                gatherings[number].title,
                tuple(
                    StandardItem(item.title, item.kind, item.duration_minutes)
                    for item in gatherings[number].items.all()
                ),
            )
            if number in gatherings
            else code[number - 1]  # a gathering the administrator has not written: the code's
            for number in range(1, len(code) + 1)
        )
    return code_programme(country)
