from datetime import date
from email.utils import getaddresses

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """For load balancers and docker-compose: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def markdown_preview(request, text: str):
    """The editors' preview: the text rendered through the one cleaner (``core/markup.py``),
    as the page will show it. The caller has looked the text's object up for changing; nothing
    is saved."""
    from django.shortcuts import render  # beside healthz, which needs no templates

    from .markup import render_markdown

    return render(request, "core/_markdown_preview.html", {"html": render_markdown(text)})


# The day the accessibility statement was last reviewed against the portal's checks.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 1)


def accessibility_contact() -> str:
    """The address to report a barrier to: ACCESSIBILITY_CONTACT, else the first of ADMINS,
    else the address in DEFAULT_FROM_EMAIL."""
    if settings.ACCESSIBILITY_CONTACT:
        return settings.ACCESSIBILITY_CONTACT
    for _name, address in getattr(settings, "ADMINS", []):
        if address:
            return address
    addresses = getaddresses([settings.DEFAULT_FROM_EMAIL])
    return addresses[0][1] if addresses else ""


@require_GET
def accessibility_statement(request):
    """The accessibility statement the Web Accessibility Directive asks of public bodies'
    sites: public, in the reader's language, linked from every page's footer."""
    from django.shortcuts import render  # beside healthz, which needs no templates

    return render(
        request,
        "core/accessibility_statement.html",
        {
            "contact": accessibility_contact(),
            "answer_days": settings.ACCESSIBILITY_ANSWER_WORKING_DAYS,
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        },
    )
