"""Answers to an invitation: the buttons of the gathering page, the e-mail's link (which works
without signing in: its signed token names the gathering and the person) and the facilitator's
reminder to those who have not answered."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from networks.countries import use_network_zone

from .. import rules as perms
from .. import selectors, services
from ..access import gathering_or_404
from ..forms import AnswerForm
from ..models import Gathering, GatheringAnswer
from ..tokens import read_answer_token

THANKS = {
    GatheringAnswer.Answer.YES: gettext_lazy("Thank you: you will come."),
    GatheringAnswer.Answer.NO: gettext_lazy("Thank you: you cannot come."),
}


@login_required
@require_POST
def answer(request, pk):
    """The invitee's yes or no from the gathering page."""
    gathering = gathering_or_404(request, pk, perm="sessions_app.view_gathering")
    if not perms.answers_invitation.test(request.user, gathering):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes or no."))
        return redirect("gathering_detail", pk=gathering.pk)
    try:
        row = services.gathering_answer_set(
            gathering=gathering, person=request.user, answer=form.cleaned_data["answer"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(THANKS[row.answer]))
    return redirect("gathering_detail", pk=gathering.pk)


def _refused(request, message, status):
    return render(request, "sessions_app/answer_refused.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def answer_link(request, token, choice):
    """The e-mail's link: a GET shows the gathering and the choice and changes nothing (mail
    servers' link scanners open links); the button POSTs the answer."""
    if choice not in GatheringAnswer.Answer.values:
        raise Http404
    named = read_answer_token(token)
    if named is None:
        return _refused(
            request,
            _(
                "This answer link is damaged. Open it again from the e-mail, "
                "or answer on the gathering's page."
            ),
            400,
        )
    gathering = (
        Gathering.objects.select_related("network__region__country")
        .filter(pk=named.gathering_id)
        .first()
    )
    person = get_user_model().objects.filter(pk=named.person_id, is_active=True).first()
    if gathering is None or person is None:
        raise Http404
    use_network_zone(gathering.network)
    invitee = selectors.invitee_of(selectors.gathering_invitees(gathering), person.pk)
    if invitee is None:
        raise Http404
    if not selectors.answers_open(gathering):
        return _refused(
            request, _("This gathering is over: its invitation can no longer be answered."), 410
        )
    if request.method == "POST":
        try:
            services.gathering_answer_set(gathering=gathering, person=person, answer=choice)
        except ValidationError as error:
            return _refused(request, " ".join(error.messages), 400)
        messages.success(request, str(THANKS[choice]))
        return redirect(request.path)
    return render(
        request,
        "sessions_app/answer_link.html",
        {
            "gathering": gathering,
            "invitee": invitee,
            "choice": choice,
            "choice_label": GatheringAnswer.Answer(choice).label,
            "other": "no" if choice == "yes" else "yes",
            "token": token,
        },
    )


@login_required
@require_POST
def remind(request, pk):
    """Remind the invitees who have not answered (a task sends the e-mails)."""
    gathering = gathering_or_404(request, pk)
    try:
        count = services.answer_reminders_request(gathering=gathering)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A reminder is on its way to the %(count)d who have not answered.")
            % {"count": count},
        )
    return redirect("gathering_detail", pk=gathering.pk)
