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
