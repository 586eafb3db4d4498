"""Say clearly what a new machine lacks, before anything fails obscurely: the same check as
the portal's system check (cemsdi_portal/core/checks.py), without Django's settings."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from cemsdi_portal.core.checks import pdf_library_messages

messages = pdf_library_messages()
if messages:
    print("This machine lacks what the portal needs:", file=sys.stderr)
    for message in messages:
        print(f"  - {message.msg}\n    {message.hint}", file=sys.stderr)
    sys.exit(1)
