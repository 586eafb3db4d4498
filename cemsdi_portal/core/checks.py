"""System checks: what this machine lacks for the portal's work, named before it fails
obscurely. scripts/check_system.py runs the same check before `make run` and `make test`."""

import ctypes
import ctypes.util

from django.core.checks import Error, Warning, register

# The libraries WeasyPrint loads to render the PDF reports, by the names it tries (Linux,
# macOS, Windows), and the short name find_library knows.
PDF_LIBRARIES = {
    "Pango": ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll", "pango-1.0"),
    "PangoFT2": (
        "libpangoft2-1.0.so.0",
        "libpangoft2-1.0.dylib",
        "libpangoft2-1.0-0.dll",
        "pangoft2-1.0",
    ),
    "HarfBuzz": ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "harfbuzz"),
    "fontconfig": (
        "libfontconfig.so.1",
        "libfontconfig.1.dylib",
        "libfontconfig-1.dll",
        "fontconfig",
    ),
}
# Without it WeasyPrint still renders, with a deprecation warning (an error in the tests):
# the next versions require it.
PDF_SUBSET_LIBRARIES = {
    "HarfBuzz subset": (
        "libharfbuzz-subset.so.0",
        "libharfbuzz-subset.0.dylib",
        "libharfbuzz-subset-0.dll",
        "harfbuzz-subset",
    ),
}
INSTALL_HINT = (
    "Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b "
    "libharfbuzz-subset0 fonts-dejavu-core; macOS: brew install pango"
)


def _loads(name: str) -> bool:
    for candidate in (name, ctypes.util.find_library(name)):
        if candidate:
            try:
                ctypes.CDLL(candidate)
            except OSError:
                continue
            return True
    return False


def missing_libraries(libraries: dict[str, tuple[str, ...]]) -> list[str]:
    """The libraries none of whose names load here, as "Name (first file name)"."""
    return [
        f"{label} ({names[0]})"
        for label, names in libraries.items()
        if not any(_loads(name) for name in names)
    ]


def pdf_library_messages(
    required: dict[str, tuple[str, ...]] = PDF_LIBRARIES,
    subset: dict[str, tuple[str, ...]] = PDF_SUBSET_LIBRARIES,
) -> list:
    """An error naming the required libraries that are missing, a warning for the subset one."""
    messages = []
    if missing := missing_libraries(required):
        messages.append(
            Error(
                "The PDF reports need libraries this machine lacks: " + ", ".join(missing) + ".",
                hint=INSTALL_HINT,
                id="cemsdi.E001",
            )
        )
    if missing := missing_libraries(subset):
        messages.append(
            Warning(
                "WeasyPrint, which renders the PDF reports, lacks "
                + ", ".join(missing)
                + ": it warns on every render, and its next versions require it.",
                hint=INSTALL_HINT,
                id="cemsdi.W001",
            )
        )
    return messages


@register()
def pdf_libraries(app_configs, **kwargs):
    return pdf_library_messages()
