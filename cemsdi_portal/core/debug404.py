"""The portal's own "not found" page under DEBUG, as in production.

With DEBUG on (``make run``), Django answers a wrong address with its technical 404 page, a
list of the portal's URL patterns, where production shows ``templates/404.html``. This
middleware, added by the settings only when DEBUG is on, answers both kinds of "not found"
with the page production shows, through Django's own ``page_not_found`` view: an address that
matches no URL pattern, and a view that raises ``Http404`` (an object the person may not see).
Everything else about DEBUG stays: runserver's reloading, and the technical page for a 500
(and its traceback in the console). ``DEBUG_TECHNICAL_404=true`` brings Django's page back.
"""

from django.http import Http404
from django.urls import Resolver404
from django.views.defaults import page_not_found


class OwnNotFoundPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No URL pattern matched: Django resolved nothing and answered with its technical page.
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return page_not_found(request, Resolver404({"path": request.path_info}))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
