"""The programme's countries and their settings: rows missing by ISO code are made, with their
English names; a setting is filled only where it is blank, so that an administrator's edits
stay."""

from django.db import migrations

COUNTRIES = {
    # code: (name, time zone, portal language, chief executive's title, mayor's title)
    "NO": ("Norway", "Europe/Oslo", "nb", "rådmann", "ordfører"),
    "PT": ("Portugal", "Europe/Lisbon", "pt", "secretário", "presidente da câmara"),
    "ES": ("Spain", "Europe/Madrid", "es", "secretario", "alcalde"),
    "IT": ("Italy", "Europe/Rome", "it", "segretario comunale", "sindaco"),
    "GB": ("United Kingdom", "Europe/London", "en", "chief executive", "leader of the council"),
    # No Swedish or Finnish portal: English.
    "SE": ("Sweden", "Europe/Stockholm", "en", "kommundirektör", "kommunstyrelsens ordförande"),
    "FI": ("Finland", "Europe/Helsinki", "en", "kunnanjohtaja", "kunnanhallituksen puheenjohtaja"),
}
FIELDS = ("time_zone", "language", "chief_executive_title", "mayor_title")


def seed(apps, schema_editor):
    Country = apps.get_model("networks", "Country")
    for code, (name, *values) in COUNTRIES.items():
        country, _created = Country.objects.get_or_create(code=code, defaults={"name": name})
        blank = [f for f, v in zip(FIELDS, values, strict=True) if not getattr(country, f)]
        for field, value in zip(FIELDS, values, strict=True):
            if field in blank:
                setattr(country, field, value)
        if blank:
            country.save(update_fields=blank)


class Migration(migrations.Migration):
    dependencies = [("networks", "0010_country_settings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
