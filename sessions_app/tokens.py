"""The signed token in an invitation's answer links: it names the gathering and the person, so
that the link works without signing in (like a calendar feed's token). Signed with
``SECRET_KEY`` and a salt of its own (django.core.signing), so a token made for something else
is no answer token. It holds until the gathering ends: the view refuses it after that, whatever
the gathering's dates were when the e-mail went out."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "sessions_app.gathering-answer"


@dataclass(frozen=True)
class AnswerToken:
    gathering_id: int
    person_id: int


def answer_token(*, gathering_id: int, person_id: int) -> str:
    return signing.Signer(salt=SALT).sign(f"{gathering_id}.{person_id}")


def read_answer_token(token: str) -> AnswerToken | None:
    """The gathering and person a token names, or None for a bad or tampered one."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    gathering_id, _dot, person_id = value.partition(".")
    if not (gathering_id.isascii() and gathering_id.isdigit()):
        return None
    if not (person_id.isascii() and person_id.isdigit()):
        return None
    return AnswerToken(int(gathering_id), int(person_id))


def answer_links(*, gathering_id: int, person_id: int) -> dict[str, str]:
    """The two links of an e-mail, "yes" and "no", each to a page that asks for a click."""
    token = answer_token(gathering_id=gathering_id, person_id=person_id)
    return {
        answer: settings.SITE_URL + reverse("gathering_answer_link", args=[token, answer])
        for answer in ("yes", "no")
    }
