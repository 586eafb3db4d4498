"""Where higher floors plug into gatherings.

sessions_app sits below strategies, so it may not import it; a gathering's assignment still
names the strategy section its work feeds. strategies registers its section kinds here when
its app is ready (``StrategiesConfig.ready``), and the assignment's field asks for them when a
form or a label needs them.
"""

_strategy_sections: list[tuple[str, str]] = []


def register_strategy_sections(choices) -> None:
    """The (code, label) pairs an assignment may name; replaces what was registered."""
    _strategy_sections[:] = list(choices)


def strategy_section_choices() -> list[tuple[str, str]]:
    return list(_strategy_sections)


# Guests of a gathering: people outside its network who may still read its page and agenda
# (today the speakers ``community`` invited, once they accepted). ``community`` sits above and
# registers the pair when ready (``CommunityConfig.ready``): a predicate (user, gathering) and
# its twin, the ids of the gatherings the user is a guest of (a queryset of ids).
_gathering_guests: list = []


def register_gathering_guests(*, is_guest, guest_gathering_ids) -> None:
    """Replaces what was registered: ``is_guest(user, gathering) -> bool`` and
    ``guest_gathering_ids(user) -> QuerySet`` of gathering ids, the one's twin."""
    _gathering_guests[:] = [(is_guest, guest_gathering_ids)]


def is_gathering_guest(user, gathering) -> bool:
    return any(is_guest(user, gathering) for is_guest, _ids in _gathering_guests)


def guest_gathering_ids(user) -> list:
    """The querysets of gathering ids the user is a guest of (one per registered source)."""
    return [ids(user) for _is_guest, ids in _gathering_guests]
