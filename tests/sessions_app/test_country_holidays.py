"""Each network keeps off its own country's public holidays (and, in Spain, its comunidad
autónoma's), named in the reader's language where the ``holidays`` package has it."""

from datetime import date

import holidays
import pytest
from django.utils import translation

from networks.models import Country
from sessions_app.days_off import ES_PROVINCE_COMMUNITY, DaysOff, subdivision_of
from tests import factories as f

pytestmark = pytest.mark.django_db


def network_in(code: str, region_code: str | None = None):
    region = {"country": Country.objects.get(code=code)}
    if region_code:
        region["code"] = region_code
    return f.NetworkFactory(region=f.RegionFactory(**region))


@pytest.mark.parametrize(
    ("code", "day", "reader", "package_language"),
    [
        ("PT", date(2027, 4, 25), "pt", "pt_PT"),  # Dia da Liberdade
        ("IT", date(2027, 4, 25), "it", "it_IT"),  # Festa della Liberazione
        ("ES", date(2027, 10, 12), "es", "es"),  # Fiesta Nacional de España
        ("NO", date(2027, 5, 17), "nb", "no"),  # Grunnlovsdag
        ("GB", date(2027, 5, 31), "en", "en_GB"),  # the late May bank holiday, in England
    ],
)
def test_each_countrys_holiday_is_off_and_named_in_the_readers_language(
    code, day, reader, package_language
):
    network = network_in(code)
    days_off = DaysOff.of_network(network, language=reader)

    assert days_off.is_off(day)
    subdivision = "ENG" if code == "GB" else None
    expected = holidays.country_holidays(code, subdiv=subdivision, language=package_language)
    assert days_off.holiday(day) == expected[day]
    if reader != "en":
        assert days_off.holiday(day) != holidays.country_holidays(code, language="en_US")[day]


def test_the_reason_names_the_country_in_the_readers_language():
    network = network_in("IT")
    with translation.override("en"):
        reason = DaysOff.of_network(network, language="en").reason(date(2027, 4, 25))
    assert reason.startswith("a public holiday in Italy (")


def test_a_day_is_off_in_its_own_country_only():
    may_17 = date(2027, 5, 17)
    norway = DaysOff.of_network(network_in("NO"), language="en")
    portugal = DaysOff.of_network(network_in("PT"), language="en")
    assert norway.holiday(may_17)
    assert portugal.holiday(may_17) is None
    assert portugal.holiday(date(2027, 4, 25))
    assert norway.holiday(date(2027, 4, 25)) is None


def test_spains_comunidades_count_by_the_province_of_the_network():
    seville = DaysOff.of_network(network_in("ES", "41"), language="es")
    madrid = DaysOff.of_network(network_in("ES", "28"), language="es")
    barcelona = DaysOff.of_network(network_in("ES", "08"), language="es")
    unknown = DaysOff.of_network(network_in("ES", "X1"), language="es")

    assert (seville.subdivision, madrid.subdivision, barcelona.subdivision) == ("AN", "MD", "CT")
    september_11 = date(2027, 9, 11)  # Diada, in Catalonia only
    assert barcelona.holiday(september_11) == holidays.country_holidays(
        "ES", subdiv="CT", language="es"
    ).get(september_11)
    assert barcelona.is_off(september_11)
    assert madrid.holiday(september_11) is None
    assert seville.holiday(september_11) is None
    andalusia = date(2027, 3, 1)  # the Monday after Día de Andalucía (a Sunday in 2027)
    assert seville.is_off(andalusia)
    assert not madrid.is_off(andalusia)
    # A region the table does not know: the national holidays, nothing regional.
    assert unknown.subdivision is None
    assert unknown.holiday(date(2027, 10, 12))
    assert not unknown.is_off(september_11)


def test_every_province_falls_in_a_comunidad_the_package_knows():
    known = set(holidays.country_holidays("ES").subdivisions)
    assert sorted(ES_PROVINCE_COMMUNITY) == [f"{n:02d}" for n in range(1, 53)]
    assert set(ES_PROVINCE_COMMUNITY.values()) <= known
    assert subdivision_of("ES", "ES-AN") == "AN"
    assert subdivision_of("GB", "E12000007") == "ENG"
    assert subdivision_of("IT", "058") is None
