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
