"""Say clearly what a new machine lacks, before anything fails obscurely."""

import sys

problems = []
try:
    import weasyprint  # noqa: F401 - loads Pango through cffi
except OSError as exc:
    problems.append(
        "WeasyPrint cannot load Pango, which renders the PDF reports ("
        + str(exc).splitlines()[0]
        + ").\n    Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
        "libharfbuzz0b fonts-dejavu-core\n    macOS: brew install pango"
    )

if problems:
    print("This machine lacks what the portal needs:", file=sys.stderr)
    for problem in problems:
        print("  - " + problem, file=sys.stderr)
    sys.exit(1)
