"""The administrator's form of a statistics feed. Lists (indicators, regions, years, months)
are typed as text, one per line or separated by commas; a range of years as 2015-2024."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .feed_models import StatisticsFeed

Source = StatisticsFeed.Source
SPLIT = re.compile(r"[\s,;]+")
YEAR_RANGE = re.compile(r"^(\d{4})-(\d{4})$")
TABLE = re.compile(r"^[A-Za-z0-9_.,-]{1,200}$")  # goes into the source's URL path


def _items(text: str) -> list[str]:
    return [item for item in SPLIT.split(text or "") if item]


class StatisticsFeedForm(forms.ModelForm):
    indicators_text = forms.CharField(
        label=gettext_lazy("Indicators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "SSB: the table's ContentsCode values (KOSAG110000). Eurostat: filters as "
            "dimension=code (unit=NR). ISTAT: the series key with {regions} where the area "
            "goes (A.F.{regions}.KILLINJ). Kolada, KLASS and INE Spain: none."
        ),
    )
    regions_text = forms.CharField(
        label=gettext_lazy("Regions: these codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Codes as the source writes them. Leave empty to ask for a network's members or "
            "a country's municipalities."
        ),
    )
    years_text = forms.CharField(
        label=gettext_lazy("Years"),
        required=False,
        help_text=gettext_lazy(
            "2015-2024, or years separated by commas. KLASS: the year whose 1 January the "
            "correspondence holds on."
        ),
    )
    months_text = forms.CharField(
        label=gettext_lazy("Release months"),
        required=False,
        help_text=gettext_lazy("Month numbers, e.g. 3, 6 (KOSTRA publishes in March and June)."),
    )

    class Meta:
        model = StatisticsFeed
        fields = [
            "name", "source", "table_id", "region_variable", "network", "country",
            "latest_years", "release_day", "scheduled",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        feed = self.instance
        if feed.pk:
            self.initial.setdefault("indicators_text", "\n".join(feed.indicator_codes))
            self.initial.setdefault("regions_text", ", ".join(feed.region_codes))
            self.initial.setdefault("years_text", ", ".join(str(y) for y in feed.years))
            self.initial.setdefault("months_text", ", ".join(str(m) for m in feed.release_months))
        self.order_fields([
            "name", "source", "table_id", "indicators_text", "region_variable", "regions_text",
            "network", "country", "years_text", "latest_years", "months_text", "release_day",
            "scheduled",
        ])  # fmt: skip
        for name in ("latest_years", "release_day"):  # their defaults stand when left empty
            self.fields[name].required = False

    def clean_latest_years(self):
        return self.cleaned_data.get("latest_years") or 0

    def clean_release_day(self):
        return self.cleaned_data.get("release_day") or 15

    def clean_table_id(self):
        table = self.cleaned_data["table_id"].strip()
        if table and not TABLE.match(table):
            raise forms.ValidationError(
                _("A table, dataset or KPI id is letters, digits, _ - . and commas: “%(table)s”.")
                % {"table": table[:60]}
            )
        return table

    def clean_years_text(self):
        years = []
        for item in _items(self.cleaned_data["years_text"]):
            span = YEAR_RANGE.match(item)
            if span and int(span.group(1)) <= int(span.group(2)):
                years += list(range(int(span.group(1)), int(span.group(2)) + 1))
            elif item.isdecimal() and len(item) == 4:
                years.append(int(item))
            else:
                raise forms.ValidationError(
                    _("“%(item)s” is not a year or a range of years such as 2015-2024.")
                    % {"item": item}
                )
        if len(years) > 100:
            raise forms.ValidationError(_("At most 100 years."))
        return sorted(set(years))

    def clean_months_text(self):
        months = []
        for item in _items(self.cleaned_data["months_text"]):
            if not (item.isdecimal() and 1 <= int(item) <= 12):
                raise forms.ValidationError(
                    _("“%(item)s” is not a month number from 1 to 12.") % {"item": item}
                )
            months.append(int(item))
        return sorted(set(months))

    def clean(self):
        data = super().clean()
        source = data.get("source")
        indicators = _items(data.get("indicators_text", ""))
        regions = _items(data.get("regions_text", ""))
        years = data.get("years_text") or []
        chosen = [bool(regions), bool(data.get("network")), bool(data.get("country"))]
        if source != Source.KLASS:
            if sum(chosen) != 1:
                self.add_error(
                    "regions_text",
                    _("Choose the regions one way: these codes, a network or a country."),
                )
            if not data.get("table_id", "").strip():
                self.add_error("table_id", _("Give the table, dataset or KPI ids to fetch."))
            if not years and not data.get("latest_years"):
                self.add_error("years_text", _("Give the years, or the number of latest years."))
        if source == Source.SSB and not indicators:
            self.add_error("indicators_text", _("SSB: give the ContentsCode values to fetch."))
        if source == Source.EUROSTAT:
            wrong = [item for item in indicators if "=" not in item]
            if wrong:
                self.add_error(
                    "indicators_text",
                    _("Eurostat filters are dimension=code: %(items)s")
                    % {"items": ", ".join(wrong)},
                )
        if source == Source.ISTAT and (len(indicators) != 1 or "{regions}" not in indicators[0]):
            self.add_error(
                "indicators_text",
                _(
                    "ISTAT: give one series key with {regions} where the area goes, e.g. "
                    "A.F.{regions}.KILLINJ."
                ),
            )
        if data.get("scheduled") and not data.get("months_text"):
            self.add_error("months_text", _("A scheduled feed needs the source's release months."))
        self.instance.indicator_codes = indicators
        self.instance.region_codes = regions
        self.instance.years = years
        self.instance.release_months = data.get("months_text") or []
        return data


class FeedRunApplyForm(forms.Form):
    allow_unmapped = forms.BooleanField(
        label=gettext_lazy("Import the rows that map, and leave out the rows listed above"),
        required=False,
    )

    def __init__(self, *args, unmapped: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not unmapped:
            del self.fields["allow_unmapped"]
