from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# What the readers (readers.py) understand; the file name's ending picks the reader.
IMPORT_ACCEPT = ".csv,.txt,.xlsx,.xlsm,.json"
HIGHER_IS_BETTER = {"yes": True, "no": False}


class KeyFigureUploadForm(forms.Form):
    """A key-figure file and what it may not say itself. Nothing is saved on upload: the
    portal shows what the import would change and waits for a confirmation."""

    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # refused in clean_file, with the file's name
        error_messages={"required": _("Choose a file to import.")},
        widget=forms.FileInput(attrs={"accept": IMPORT_ACCEPT}),
    )
    indicator_code = forms.CharField(
        label=_("Indicator code"),
        max_length=200,
        required=False,
        help_text=_(
            "For a CSV file without an indicator column, or an Excel sheet: the code of the "
            "key figure its values belong to, for example KOSandel120000. JSON-stat files name "
            "their indicators themselves."
        ),
    )
    indicator_name = forms.CharField(
        label=_("Indicator name"),
        max_length=400,
        required=False,
        help_text=_("The key figure's name, when the file does not give it."),
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=60,
        required=False,
        help_text=_("For example per cent, or kr; when the file does not give it."),
    )
    sheet = forms.CharField(
        label=_("Excel sheet"),
        max_length=31,  # Excel's own limit for a sheet name
        required=False,
        help_text=_("The sheet to read in an Excel file. Empty: the first sheet."),
    )
    higher_is_better = forms.ChoiceField(
        label=_("Is a higher value better?"),
        choices=[
            ("", _("Not known, or neither")),
            ("yes", _("Yes: a higher value is better")),
            ("no", _("No: a lower value is better")),
        ],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text=_(
            "Applies to every indicator in the file, and decides how municipalities are "
            "ranked. “Not known” leaves indicators already in the portal as they are."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV, Excel (.xlsx, .xlsm) or JSON-stat (.json) as the statistics offices publish "
            "it, at most %(mb)d MB. You see what would change before anything is saved."
        ) % {"mb": settings.MAX_IMPORT_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.size:
            raise forms.ValidationError(
                _("%(file)s is empty: choose a file that holds key figures.")
                % {"file": upload.name}
            )
        # import_preview checks the size too; checking here spares reading a huge upload.
        if upload.size > settings.MAX_IMPORT_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("%(file)s is %(size).1f MB; the limit is %(limit)d MB.")
                % {
                    "file": upload.name,
                    "size": upload.size / 1024 / 1024,
                    "limit": settings.MAX_IMPORT_MB,
                }
            )
        return upload

    def read_options(self) -> dict:
        """The fields of readers.ReadOptions, as plain values a session can keep."""
        return {
            name: self.cleaned_data[name].strip()
            for name in ("indicator_code", "indicator_name", "unit", "sheet")
        }

    def higher_is_better_value(self) -> bool | None:
        return HIGHER_IS_BETTER.get(self.cleaned_data["higher_is_better"])


class KeyFigureImportConfirmForm(forms.Form):
    """Confirms the upload waiting on the server. The token only says which upload the page
    showed; the server checks it against the one this session left waiting."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=100)
    allow_unmapped = forms.BooleanField(
        label=_("Import the rows that map, and leave out the rows listed above"),
        required=False,
    )

    def __init__(self, *args, unmapped: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not unmapped:
            del self.fields["allow_unmapped"]


def year_asked(query) -> int | None:
    """The year a key-figure page's query string asks for (``?year=2024``), or None."""
    text = query.get("year", "")
    # isdecimal, not isdigit: superscript digits (²⁰²⁴) are digits that int() refuses.
    return int(text) if text.isdecimal() and len(text) == 4 else None


class ComparisonSetForm(forms.Form):
    """A person's own comparison set: a name and municipalities of any country, picked with
    the member picker (static/js/member-picker.js: a search box and a region filter)."""

    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, owner, comparison_set=None, **kwargs):
        from networks.forms import MunicipalityChoiceField
        from networks.models import Municipality

        super().__init__(*args, **kwargs)
        self.owner = owner
        self.comparison_set = comparison_set
        self.fields["municipalities"] = MunicipalityChoiceField(
            label=_("Municipalities"),
            queryset=Municipality.objects.select_related("region").order_by(
                "region__country__name", "region__name", "name"
            ),
            error_messages={"required": _("Choose at least one municipality.")},
            help_text=_(
                "Any municipalities, of any country. The municipality you look at is always "
                "compared with them, whether you choose it or not."
            ),
        )
        if comparison_set is not None:
            self.initial.setdefault("name", comparison_set.name)
            self.initial.setdefault(
                "municipalities",
                list(comparison_set.municipalities.values_list("pk", flat=True)),
            )

    @property
    def picker_regions(self):
        from networks.models import Region

        if not hasattr(self, "_picker_regions"):
            self._picker_regions = list(
                Region.objects.filter(municipalities__isnull=False).distinct().order_by("name")
            )
        return self._picker_regions

    def clean_name(self):
        from .rules import comparison_sets_of

        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the set a name."))
        same = comparison_sets_of(self.owner).filter(name__iexact=name)
        if self.comparison_set is not None:
            same = same.exclude(pk=self.comparison_set.pk)
        if same.exists():
            raise forms.ValidationError(
                _("You already have a set named “%(name)s”: choose another name.") % {"name": name}
            )
        return name
