"""The standard programme of the four gatherings, from the Norwegian CEMSDI pilots.

Titles and topics are translatable strings: a network's gatherings are proposed in its working
language (English or Norwegian Bokmål), then belong to the facilitator, who edits them freely.
Each gathering carries about seven hours of training, so that four gatherings give the 28
hours per pilot that the seed reports.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import AgendaItem

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


STANDARD_PROGRAMME = (
    StandardGathering(
        1,
        _("eGovernment in Norway: challenges and opportunities"),
        (
            _opening(),
            StandardItem(
                _(
                    "The national framework, the state of Norway's municipalities, and where "
                    "the municipality should be in the future"
                ),
                K.LECTURE,
                105,
            ),
            StandardItem(
                _("The municipality's main service areas in the light of eKommune"),
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
            StandardItem(_("The municipality as commissioner: what is asked of it"), K.LECTURE, 60),
            StandardItem(_("Competence and capacity in the leadership"), K.PROCESS_WORK, 75),
            _lunch(),
            StandardItem(_("Efficient work processes and benefits realisation"), K.WORKSHOP, 105),
            StandardItem(_("Information security"), K.LECTURE, 60),
            _closing(),
        ),
    ),
    StandardGathering(
        3,
        _("eKommune strategy, action plans and effective work processes"),
        (
            _opening(),
            StandardItem(_("The basic elements of an eKommune strategy"), K.LECTURE, 60),
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
        _("Status of the eKommune strategy, a chosen theme and the way ahead"),
        (
            _opening(),
            StandardItem(
                _("Follow-up and review of each eKommune strategy: status"), K.WORKSHOP, 120
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
            StandardItem(_("Tailored theme chosen from the participants' input"), K.LECTURE, 105),
            _closing(),
        ),
    ),
)


def standard_gathering(number: int) -> StandardGathering:
    return STANDARD_PROGRAMME[number - 1]
