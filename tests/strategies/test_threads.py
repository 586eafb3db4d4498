"""Comment threads: the municipality answers a facilitator's comment, a thread is marked
resolved and reopened, and a section's threads stay through its revisions."""

import pytest
from django.urls import reverse

from cemsdi_portal.core.models import AuditEntry
from notices.models import Notice
from strategies import services
from strategies.models import SectionComment
from strategies.selectors import strategy_page

from .helpers import section, start, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(world):
    """Alta's shared strategy with a facilitator's comment on its first section."""
    world.strategy = start(world, status="shared", user=world.users["chief_executive"])
    world.section = section(world.strategy)
    world.comment = services.section_comment(
        section=world.section, user=world.users["facilitator"], body="Who owns this goal?"
    )
    return world


def reply(client, comment, body="Our CIO does."):
    return client.post(reverse("comment_reply", args=[comment.pk]), {"body": body})


def resolve(client, comment, resolved="1"):
    return client.post(reverse("comment_resolve", args=[comment.pk]), {"resolved": resolved})


@pytest.mark.parametrize("who", ["chief_executive", "municipal_staff", "facilitator", "staff"])
def test_editors_and_facilitators_reply_in_the_thread(client, thread, who):
    client.force_login(thread.users[who])

    response = reply(client, thread.comment)

    [answer] = thread.comment.replies.all()
    assert response.status_code == 302
    assert response.url == f"/strategies/{thread.strategy.pk}/#c{answer.pk}"
    assert (answer.author, answer.body, answer.section) == (
        thread.users[who],
        "Our CIO does.",
        thread.section,
    )


def test_reply_shows_under_its_comment_on_the_strategy_page(client, thread):
    client.force_login(thread.users["chief_executive"])
    reply(client, thread.comment)

    page = client.get(reverse("strategy_detail", args=[thread.strategy.pk])).content.decode()

    start_of_thread = page.index(f'id="c{thread.comment.pk}"')
    answer = thread.comment.replies.get()
    assert start_of_thread < page.index("Who owns this goal?") < page.index("Our CIO does.")
    assert f'id="c{answer.pk}"' in page
    assert f'action="{reverse("comment_reply", args=[thread.comment.pk])}"' in page
    assert "Mark resolved" in page


@pytest.mark.parametrize("who", ["other_facilitator", "other_chief_executive"])
def test_outsiders_get_404_for_reply_and_resolve(client, thread, who):
    client.force_login(thread.users[who])

    assert reply(client, thread.comment).status_code == 404
    assert resolve(client, thread.comment).status_code == 404
    assert not thread.comment.replies.exists()
    thread.comment.refresh_from_db()
    assert thread.comment.resolved_at is None


@pytest.mark.parametrize("who", ["project_officer", "mayor", "neighbour_chief_executive"])
def test_readers_may_not_comment_reply_or_resolve(client, thread, who):
    """The project officer, the mayor and the other members read the shared strategy and
    nothing more."""
    client.force_login(thread.users[who])

    comment_url = reverse("section_comment", args=[thread.section.pk])
    assert client.post(comment_url, {"body": "A remark."}).status_code == 403
    assert reply(client, thread.comment).status_code == 403
    assert resolve(client, thread.comment).status_code == 403
    assert SectionComment.objects.count() == 1
    page = client.get(reverse("strategy_detail", args=[thread.strategy.pk])).content.decode()
    assert "Send reply" not in page
    assert "Mark resolved" not in page


def test_signed_out_visitor_is_sent_to_sign_in(client, thread):
    response = reply(client, thread.comment)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not thread.comment.replies.exists()


def test_nobody_replies_once_the_strategy_is_a_draft_again(client, thread):
    chief = thread.users["chief_executive"]
    services.strategy_set_status(strategy=thread.strategy, status="draft", user=chief)
    client.force_login(chief)

    assert reply(client, thread.comment).status_code == 403
    assert not thread.comment.replies.exists()


def test_empty_reply_is_refused_with_a_message(client, thread):
    client.force_login(thread.users["chief_executive"])

    response = client.post(
        reverse("comment_reply", args=[thread.comment.pk]), {"body": "  "}, follow=True
    )

    assert "Write a reply before you send it." in response.content.decode()
    assert not thread.comment.replies.exists()


def test_a_reply_sent_twice_is_one_reply(client, thread):
    client.force_login(thread.users["chief_executive"])
    reply(client, thread.comment)
    reply(client, thread.comment)

    assert thread.comment.replies.count() == 1
    assert Notice.objects.filter(kind="reply").count() == 1


def test_resolve_and_reopen(client, thread):
    facilitator = thread.users["facilitator"]
    client.force_login(thread.users["chief_executive"])

    response = resolve(client, thread.comment)

    assert response.url == f"/strategies/{thread.strategy.pk}/#c{thread.comment.pk}"
    thread.comment.refresh_from_db()
    assert thread.comment.resolved_by == thread.users["chief_executive"]
    assert thread.comment.resolved_at is not None
    page = client.get(reverse("strategy_detail", args=[thread.strategy.pk])).content.decode()
    assert "Resolved" in page
    assert "Reopen" in page

    client.force_login(facilitator)
    resolve(client, thread.comment, resolved="0")

    thread.comment.refresh_from_db()
    assert (thread.comment.resolved_at, thread.comment.resolved_by) == (None, None)
    changes = [
        e.changes
        for e in AuditEntry.objects.filter(
            model="strategies.sectioncomment", action=AuditEntry.Action.CHANGED
        ).order_by("pk")
    ]
    assert [c["resolved_by_id"] for c in changes] == [
        [None, thread.users["chief_executive"].pk],
        [thread.users["chief_executive"].pk, None],
    ]


def test_a_reply_is_not_resolved_on_its_own(client, thread):
    answer = services.section_comment(
        section=thread.section,
        user=thread.users["chief_executive"],
        body="Our CIO does.",
        parent=thread.comment,
    )
    client.force_login(thread.users["facilitator"])

    response = resolve(client, answer)
    page = client.get(response.url).content.decode()

    assert "Mark the thread&#x27;s first comment, not a reply." in page
    answer.refresh_from_db()
    assert answer.resolved_at is None


@pytest.mark.parametrize("value", ["", "yes", "2"])
def test_resolve_refuses_a_value_it_does_not_know(client, thread, value):
    client.force_login(thread.users["chief_executive"])

    response = resolve(client, thread.comment, resolved=value)

    page = client.get(response.url).content.decode()
    assert "Say whether the thread is resolved or open." in page
    thread.comment.refresh_from_db()
    assert thread.comment.resolved_at is None


def test_reply_to_a_comment_of_another_section_is_refused(thread):
    other_section = section(thread.strategy, kind="governance")

    with pytest.raises(services.ValidationError) as refused:
        services.section_comment(
            section=other_section,
            user=thread.users["chief_executive"],
            body="Here?",
            parent=thread.comment,
        )
    assert refused.value.message_dict == {"parent": ["Reply to a comment on this section."]}


def test_threads_stay_with_the_section_through_its_revisions(thread):
    chief = thread.users["chief_executive"]
    services.section_comment(
        section=thread.section, user=chief, body="Our CIO does.", parent=thread.comment
    )
    write(thread.section, chief, "A new text: the CIO owns each goal.")
    write(thread.section, chief, "And a third version.")
    services.section_restore(section=thread.section, version=1, user=chief)

    [view] = [
        v
        for v in strategy_page(strategy=thread.strategy).sections
        if v.section.pk == thread.section.pk
    ]
    [kept] = view.comments
    assert kept.comment == thread.comment
    assert [(r.author, r.body) for r in kept.replies] == [(chief, "Our CIO does.")]
