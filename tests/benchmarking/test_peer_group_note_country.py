"""The key-figure page's note on a missing peer group speaks of Norway's KOSTRA groups and SSB
only to a Norwegian municipality; elsewhere it says who sets peer groups, without them."""

import re

import pytest
from django.urls import reverse

from benchmarking.models import Observation
from networks.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _note(html):
    match = re.search(r'<p[^>]*id="peer-group-note"[^>]*>(.*?)</p>', html, re.S)
    assert match, "no peer-group note on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.mark.parametrize(
    ("code", "country", "norwegian"), [("NO", "Norway", True), ("IT", "Italy", False)]
)
def test_the_note_names_ssb_only_in_norway(client, code, country, norwegian):
    region = f.RegionFactory(country=f.CountryFactory(code=code, name=country))
    municipality = f.MunicipalityFactory(region=region, name="Bari")
    Observation.objects.create(
        indicator=f.IndicatorFactory(), municipality=municipality, year=2024, value=1.0
    )
    client.force_login(f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality))
    note = _note(
        client.get(reverse("municipality_keyfigures", args=[municipality.pk])).content.decode()
    )
    assert "Bari has no peer group set" in note
    assert "set by an administrator" in note
    assert ("SSB" in note) is norwegian
    assert ("KOSTRA" in note) is norwegian
