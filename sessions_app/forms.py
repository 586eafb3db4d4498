from datetime import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.countries import network_zone
from networks.forms import DateInput, date_in_range

from . import selectors, services
from .models import AgendaItem, Assignment, EvaluationResponse, GatheringAnswer, Material


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class GatheringRowForm(forms.Form):
    """One gathering in the schedule: its day, its hours, where, and its title."""

    number = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=[date_in_range])
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput())
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)

    @classmethod
    def initial_from(cls, draft: selectors.GatheringDraft, *, zone=None) -> dict:
        """The draft as the row's values, in ``zone`` (the network's; None: the active one)."""
        zone = zone or timezone.get_current_timezone()
        start, end = draft.starts_at.astimezone(zone), draft.ends_at.astimezone(zone)
        return {
            "number": draft.number,
            "title": draft.title,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "venue": draft.venue,
        }

    def draft(self, *, zone=None) -> selectors.GatheringDraft:
        """The row as a gathering, its times read in ``zone`` (the network's; None: the
        active one)."""
        data = self.cleaned_data
        tz = zone or timezone.get_current_timezone()
        return selectors.GatheringDraft(
            number=data["number"],
            title=data["title"],
            starts_at=timezone.make_aware(datetime.combine(data["date"], data["start_time"]), tz),
            ends_at=timezone.make_aware(datetime.combine(data["date"], data["end_time"]), tz),
            venue=data["venue"],
        )


# The schedule's rules speak of starts_at and ends_at; the form shows them on these fields.
_FIELD_OF = {"starts_at": "date", "ends_at": "end_time"}


class GatheringMoveForm(forms.Form):
    """One gathering's day, hours and place ("Edit date and place")."""

    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=[date_in_range])
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput())
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)

    def __init__(self, *args, gathering, **kwargs):
        # Shown and read in the network's zone (pass the gathering with its network's country).
        self.zone = network_zone(gathering.network)
        start, end = (
            gathering.starts_at.astimezone(self.zone),
            gathering.ends_at.astimezone(self.zone),
        )
        initial = {
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "venue": gathering.venue,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.gathering = gathering

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        tz, day = self.zone, data["date"]
        data["starts_at"] = timezone.make_aware(datetime.combine(day, data["start_time"]), tz)
        data["ends_at"] = timezone.make_aware(datetime.combine(day, data["end_time"]), tz)
        errors = services.move_errors(
            gathering=self.gathering, starts_at=data["starts_at"], ends_at=data["ends_at"]
        )
        for field, messages in errors.items():
            for message in messages:
                self.add_error(_FIELD_OF[field], message)
        return data


class GatheringCancelForm(forms.Form):
    """Cancelling mails every invitee at once: the facilitator ticks that they mean it."""

    confirm = forms.BooleanField(
        label=_("Yes, cancel this gathering and tell the invitees"),
        error_messages={"required": _("Tick the box to cancel the gathering.")},
    )


class BaseScheduleFormSet(forms.BaseFormSet):
    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network

    def clean(self):
        # Each row names its gathering in a hidden field, numbered 1, 2, 3... as the page
        # shows them; a row that does not (an altered or incomplete form) cannot be saved, and
        # the field is not on the page to say so.
        numbers = [form.cleaned_data.get("number") for form in self.forms]
        if not numbers or numbers != list(range(1, len(numbers) + 1)):
            raise forms.ValidationError(
                _(
                    "The form does not say which gathering each row is. Reload the page and "
                    "enter the schedule again."
                ),
                code="numbers",
            )
        if any(form.errors for form in self.forms):
            return
        zone = network_zone(self.network)
        drafts = [form.draft(zone=zone) for form in self.forms]
        needed = selectors.agenda_minutes(network=self.network)
        for index, errors in services.schedule_errors(drafts, agenda_minutes=needed).items():
            for field, message in errors.items():
                self.forms[index].add_error(_FIELD_OF[field], message)
        self.drafts = drafts


ScheduleFormSet = forms.formset_factory(GatheringRowForm, formset=BaseScheduleFormSet, extra=0)


class AcceptWarningForm(forms.Form):
    accept_warning = forms.BooleanField(label=_("Keep these dates anyway"), required=False)

    def __init__(self, *args, warning: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.warning = warning

    def clean_accept_warning(self):
        accepted = self.cleaned_data["accept_warning"]
        if self.warning and not accepted:
            raise forms.ValidationError(
                _("%(warning)s Tick the box to keep these dates, or change them.")
                % {"warning": self.warning}
            )
        return accepted


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "kind", "duration_minutes", "speaker"]
        labels = {"duration_minutes": _("Minutes")}
        widgets = {"duration_minutes": forms.NumberInput(attrs={"min": 5, "max": 600, "step": 5})}


class AttendanceForm(forms.Form):
    """A present box and an hours field for each invitee."""

    def __init__(self, *args, invitees, default_hours: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitees = invitees
        self.rows = []
        for invitee in invitees:
            key = str(invitee.person.pk)
            attendance = invitee.attendance
            self.fields[f"present_{key}"] = forms.BooleanField(
                label=_("%(name)s was present") % {"name": invitee.person.get_full_name()},
                required=False,
                # Where no attendance is recorded yet, the invitee's answer: yes is ticked.
                initial=attendance.present if attendance else bool(invitee.comes),
            )
            self.fields[f"hours_{key}"] = forms.DecimalField(
                label=_("Hours for %(name)s") % {"name": invitee.person.get_full_name()},
                required=False,
                min_value=Decimal("0"),
                max_value=Decimal("24"),
                max_digits=4,
                decimal_places=2,
                initial=attendance.hours if attendance else None,
                widget=forms.NumberInput(attrs={"step": "0.25", "placeholder": f"{default_hours}"}),
            )
            self.rows.append((invitee, self[f"present_{key}"], self[f"hours_{key}"]))

    def clean(self):
        cleaned = super().clean()
        for invitee in self.invitees:
            key = str(invitee.person.pk)
            if cleaned.get(f"hours_{key}") is not None and not cleaned.get(f"present_{key}"):
                self.add_error(
                    f"hours_{key}",
                    _("Hours are for people who were present: tick present or clear the hours."),
                )
        return cleaned

    def entries(self) -> list[services.AttendanceEntry]:
        return [
            services.AttendanceEntry(
                person_id=invitee.person.pk,
                municipality_id=invitee.municipality.pk,
                role_kind=invitee.role_kind,
                present=self.cleaned_data[f"present_{invitee.person.pk}"],
                hours=self.cleaned_data[f"hours_{invitee.person.pk}"],
            )
            for invitee in self.invitees
        ]


MATERIAL_TYPES = {
    # extension: the bytes such a file starts with
    ".pdf": (b"%PDF-",),
    ".pptx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
}


class MaterialForm(forms.ModelForm):
    class Meta:
        model = Material
        fields = ["title", "kind", "file"]
        help_texts = {
            "file": _("PDF, PowerPoint, Word, Excel or OpenDocument, at most %(mb)d MB.")
            % {"mb": settings.MAX_MATERIAL_MB}
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        extension = name[name.rfind(".") :] if "." in name else ""
        if extension not in MATERIAL_TYPES:
            raise forms.ValidationError(
                _(
                    "%(name)s is not a type we accept: upload PDF, PowerPoint, Word, Excel or "
                    "OpenDocument."
                )
                % {"name": upload.name}
            )
        if upload.size > settings.MAX_MATERIAL_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("%(name)s is %(size).1f MB; the limit is %(mb)d MB.")
                % {
                    "name": upload.name,
                    "size": upload.size / 1024 / 1024,
                    "mb": settings.MAX_MATERIAL_MB,
                }
            )
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in MATERIAL_TYPES[extension]):
            raise forms.ValidationError(
                _("%(name)s is not really a %(ext)s file.")
                % {"name": upload.name, "ext": extension[1:].upper()}
            )
        return upload


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary (minutes)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Published on the gathering's page for the whole network. Markdown: **bold**, "
            "*italic*, lists with - or 1., headings with ##, links as [text](https://…). "
            "HTML is shown as text."
        ),
    )


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["title", "description", "due_date", "strategy_section"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].validators.append(date_in_range)


class AnswerForm(forms.Form):
    """Yes or no to an invitation (the buttons of the gathering page and the link's page)."""

    answer = forms.ChoiceField(choices=GatheringAnswer.Answer.choices)


SCORES = [(score, str(score)) for score in range(1, 6)]


class EvaluationForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("How was the gathering overall?"),
        help_text=_("1 is poor, 5 is excellent."),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    relevance = forms.TypedChoiceField(
        label=_("How relevant was it for your municipality?"),
        help_text=_("1 is not at all, 5 is very."),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    what_should_change = forms.CharField(
        label=_("What should change?"),
        required=False,
        max_length=EvaluationResponse._meta.get_field("what_should_change").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your answers are anonymous: the facilitator never sees who wrote what."),
    )

    def evaluation(self) -> services.Evaluation:
        return services.Evaluation(**self.cleaned_data)
