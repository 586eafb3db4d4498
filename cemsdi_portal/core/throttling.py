"""Sign-in throttling (django-axes): the username a failed sign-in is counted under."""

from django.conf import settings


def attempted_username(request, credentials: dict | None = None) -> str | None:
    """The username the sign-in gave, taken as django-axes takes it, cut to the length its
    records keep. No account has a longer one (they stop at 150 characters), but Django's
    sign-in form does not refuse one: uncut, it made the failure's record fail to save."""
    from axes.models import AccessAttempt  # settings name this function before apps load

    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if not isinstance(username, str):
        return username
    return username[: AccessAttempt._meta.get_field("username").max_length]
