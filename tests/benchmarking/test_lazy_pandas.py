"""pandas (about a fifth of a second to import) is loaded by the key-figure work that needs it,
not by Django's start-up, the URLs or the modules every page imports."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as the first request loads them
import benchmarking.selectors, benchmarking.tasks, strategies.selectors, reports.documents
print("pandas" in sys.modules)
benchmarking.selectors._frame([])
print("pandas" in sys.modules)
"""


def test_start_up_and_every_view_module_leave_pandas_unloaded_until_a_figure_is_computed():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cemsdi_portal.settings", "DEBUG": "true"}
    result = subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]
