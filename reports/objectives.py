"""Progress against the programme's objectives: each objective's targets beside what the records
show as of a reporting period's end.

Stub laid by the lead: the `periods` branch fills it in.
"""


def objective_progress(*, programme, period=None) -> list:
    """A row per objective with its targets and the figures as of the period's end."""
    return []
