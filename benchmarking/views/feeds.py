"""Statistics feeds, for administrators: the list, a feed's settings, "Fetch now", and the
fetched preview with its all-or-nothing apply (feeds.py). Everyone else gets 403 on the list
and 404 on a feed (rules.feeds_visible_to)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core import audit
from cemsdi_portal.core.forms import form_errors_from

from .. import feeds
from ..access import feed_or_404, feed_run_or_404
from ..feed_forms import FeedRunApplyForm, StatisticsFeedForm
from ..feed_models import FeedRun


def _require_feeds(request) -> None:
    if not request.user.has_perm("benchmarking.manage_feeds"):
        raise PermissionDenied


@login_required
def feed_list(request):
    _require_feeds(request)
    return render(
        request, "benchmarking/feed_list.html", {"feeds": list(feeds.feeds_with_latest_run())}
    )


def _form_page(request, form, feed=None):
    return render(request, "benchmarking/feed_form.html", {"form": form, "feed": feed})


@login_required
@require_http_methods(["GET", "POST"])
def feed_create(request):
    _require_feeds(request)
    form = StatisticsFeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feed = feeds.feed_save(feed=form.save(commit=False), before=None)
        messages.success(request, _("The feed %(name)s is saved.") % {"name": feed.name})
        return redirect("feed_detail", pk=feed.pk)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def feed_edit(request, pk):
    feed = feed_or_404(request, pk)
    before = audit.snapshot(feed)
    form = StatisticsFeedForm(request.POST or None, instance=feed)
    if request.method == "POST" and form.is_valid():
        feeds.feed_save(feed=form.save(commit=False), before=before)
        messages.success(request, _("The feed %(name)s is saved.") % {"name": feed.name})
        return redirect("feed_detail", pk=feed.pk)
    return _form_page(request, form, feed)


def _detail_page(request, feed, *, form=None, status=200):
    runs = feeds.feed_runs(feed)
    latest = runs[0] if runs else None
    waiting = next((r for r in runs if r.state == FeedRun.State.PREVIEWED), None)
    preview = waiting.summary if waiting else (latest.summary if latest else {})
    unmapped = preview.get("unmapped") or []
    if waiting and form is None:
        form = FeedRunApplyForm(unmapped=bool(unmapped))
    return render(
        request,
        "benchmarking/feed_detail.html",
        {
            "feed": feed,
            "runs": runs,
            "latest": latest,
            "waiting": waiting,
            "preview": preview,
            "shown_run": waiting or latest,
            "unmapped_rows": sum(item.get("rows", 0) for item in unmapped),
            # A run whose worker stopped is not "under way": the page stops asking for
            # itself and "Fetch now" can ask again (which marks that run failed).
            "fetching": feeds.run_under_way(latest),
            "stalled": feeds.run_stalled(latest),
            "regions": feeds.feed_regions(feed),
            "form": form,
        },
        status=status,
    )


@login_required
def feed_detail(request, pk):
    return _detail_page(request, feed_or_404(request, pk))


@login_required
@require_POST
def feed_fetch(request, pk):
    feed = feed_or_404(request, pk)
    feeds.feed_fetch_request(feed=feed, in_request=True)
    # No flash message: the page says a fetch is under way in the part it swaps (htmx) for
    # the preview once fetched, where a message above it would stay and say "Fetching".
    return redirect("feed_detail", pk=feed.pk)


@login_required
@require_POST
def feed_run_apply(request, pk):
    run = feed_run_or_404(request, pk)
    summary = run.summary or {}
    form = FeedRunApplyForm(request.POST, unmapped=bool(summary.get("unmapped")))
    if form.is_valid():
        try:
            feeds.feed_run_apply(
                run=run,
                allow_unmapped=form.cleaned_data.get("allow_unmapped", False),
                in_request=True,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is applied: the fetched figures are saved, all of them.")
                % {"name": run.feed.name},
            )
            return redirect("feed_detail", pk=run.feed_id)
    return _detail_page(request, run.feed, form=form, status=400)
