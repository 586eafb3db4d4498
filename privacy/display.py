"""How an erased person is shown: "a former participant", in the reader's language.

An erased account keeps its row (attendance, revisions and comments point at it) with blank
names and the address ``former-<id>@invalid`` (``.invalid`` is reserved never to exist, RFC
2606), which no real account can have. Every page, PDF and e-mail names people through
``User.__str__`` or ``get_full_name`` (which ``__str__`` calls), so teaching ``get_full_name``
the marker shows the translated words everywhere, without a column or a stored phrase that
would be in one language only. networks/models.py cannot import this floor, so this module
adds it there at start-up (``PrivacyConfig.ready``).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext


def erased_username(pk: int) -> str:
    return f"former-{pk}"


def erased_email(pk: int) -> str:
    return f"former-{pk}@invalid"


def is_erased(user) -> bool:
    return user.pk is not None and user.email == erased_email(user.pk)


def install() -> None:
    User = get_user_model()
    if getattr(User.get_full_name, "knows_erasure", False):
        return
    full_name = User.get_full_name

    def get_full_name(self):
        if is_erased(self):
            return gettext("a former participant")
        return full_name(self)

    get_full_name.knows_erasure = True
    User.get_full_name = get_full_name
