"""The other pilot countries' registers (and Sweden's and Finland's), loaded by the same code
as Norway's from the files in networks/data/: each count read from its file here (with csv,
json or xlrd, not through the loader) and from PROVENANCE.md, known codes with their names and
regions, former codes landing on today's municipality, and a second load changing nothing."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
import xlrd
from django.core.management import CommandError, call_command
from django.db import transaction

from benchmarking.imports import import_preview
from benchmarking.readers import ReadOptions
from networks.models import Country, Municipality, MunicipalityCode, Region
from networks.register import (
    REGISTER_YEAR,
    REGISTER_YEARS,
    UnknownRegister,
    register_load,
    register_load_code_history,
)

DATA = Path(__file__).resolve().parents[2] / "networks" / "data"
COUNTRIES = ["PT", "ES", "IT", "GB", "SE", "FI"]

pytestmark = pytest.mark.django_db


def _csv(name, encoding="utf-8", delimiter=","):
    text = (DATA / name).read_text(encoding=encoding)
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture(scope="module")
def registers(django_db_setup, django_db_blocker):
    """Every register loaded once for the module, in a transaction rolled back after it (each
    test's own transaction nests inside, as in Django's TestCase.setUpTestData)."""
    with django_db_blocker.unblock(), transaction.atomic():
        countries = {}
        for code in COUNTRIES:
            countries[code] = register_load(code)
            register_load_code_history(countries[code])
        yield countries
        transaction.set_rollback(True)


def _provenance_counts() -> dict[str, tuple[int, int]]:
    """country -> (municipalities, regions) from networks/data/PROVENANCE.md's table."""
    text = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    return {
        m["country"]: (int(m["municipalities"]), int(m["regions"]))
        for m in re.finditer(
            r"^\| (?P<country>[A-Z]{2}) \| (?P<municipalities>\d+) \| (?P<regions>\d+) \|",
            text,
            re.M,
        )
    }


def _italy_sheet():
    return xlrd.open_workbook(DATA / "it_istat_elenco_comuni_italiani_2024-01.xls").sheet_by_index(
        0
    )


def _counts_from_files() -> dict[str, tuple[int, int]]:
    """country -> (municipalities, regions), read from the files without the loader."""
    concelhos = _csv("pt_amt_concelhos_dico_distrito_nuts2013.csv")
    mainland = {r["distrito"] for r in concelhos if r["nut1"] == "PT1"}
    islands = {r["nut2"] for r in concelhos if r["nut1"] != "PT1"}  # Azores, Madeira
    municipios = _csv("es_gisco_lau2020_nuts2021_municipios.csv")
    sheet = _italy_sheet()
    header = sheet.row_values(0)
    comuni = [dict(zip(header, sheet.row_values(r), strict=True)) for r in range(1, sheet.nrows)]
    england = [
        r
        for r in _csv("uk_mysociety_local_authorities_current.csv")
        if r["nation"] == "England" and not r["end-date"] and r["lower-or-unitary"] == "True"
    ]
    scb = json.loads(
        (DATA / "se_scb_TAB6471_metadata_312regions_2025M01-2026M04.jsonstat2.json").read_text()
    )
    places = scb["dimension"]["Region"]["category"]["label"]
    kunnat = _csv("fi_geofi_municipality_key_2026.DERIVED.csv")
    return {
        "PT": (len(concelhos), len(mainland) + len(islands)),
        "ES": (len(municipios), len({r["lau_id"][:2] for r in municipios})),
        "IT": (len(comuni), len({c[header[1]] for c in comuni})),  # the UTS code
        "GB": (len(england), len({r["region"] for r in england})),
        "SE": (
            len([c for c in places if len(c) == 4]),
            len([c for c in places if len(c) == 2]) - 1,
        ),
        "FI": (len(kunnat), len({r["maakunta_code"] for r in kunnat})),
    }


def test_each_register_has_the_count_of_its_file_and_of_its_provenance(registers):
    from_files, stated = _counts_from_files(), _provenance_counts()
    for code, country in registers.items():
        loaded = (
            Municipality.objects.filter(country=country).count(),
            Region.objects.filter(country=country).count(),
        )
        assert loaded == from_files[code] == stated[code], code


def test_each_country_names_its_code_scheme_and_the_year_of_its_figures(registers):
    schemes = {code: country.code_scheme for code, country in registers.items()}
    assert schemes == {
        "PT": "DICO", "ES": "INE", "IT": "ISTAT", "GB": "GSS", "SE": "kommunkod",
        "FI": "kuntanumero",
    }  # fmt: skip
    population = _csv("pt_amt_ine_populacao_residente_concelhos_2006-2017.csv")[0]
    assert registers["PT"].register_year == max(int(k) for k in population if k.isdigit())
    gisco_years = {r["year"] for r in _csv("es_gisco_lau2020_nuts2021_municipios.csv")}
    assert {str(registers["ES"].register_year)} == gisco_years
    assert registers["GB"].name == "United Kingdom"
    assert REGISTER_YEARS["NO"] == REGISTER_YEAR == 2025
    assert all(REGISTER_YEARS[code] == c.register_year for code, c in registers.items())


def _municipality(country, code):
    return Municipality.objects.select_related("region").get(country__code=country, code=code)


@pytest.mark.parametrize(
    ("country", "code", "name", "region"),
    [
        ("PT", "1106", "Lisboa", "Lisboa"),
        ("PT", "0705", "Évora", "Évora"),
        ("PT", "3103", "Funchal", "Região Autónoma da Madeira"),
        ("PT", "4203", "Ponta Delgada", "Região Autónoma dos Açores"),
        ("ES", "41091", "Sevilla", "Sevilla"),
        ("ES", "28079", "Madrid", "Madrid"),
        ("ES", "15030", "Coruña, A", "Coruña, A"),
        ("ES", "51001", "Ceuta", "Ceuta"),
        ("IT", "072006", "Bari", "Bari"),
        ("IT", "058091", "Roma", "Roma"),
        ("IT", "021008", "Bolzano/Bozen", "Bolzano/Bozen"),
        ("GB", "E08000035", "Leeds", "Yorkshire and The Humber"),
        ("GB", "E06000063", "Cumberland", "North West"),
        ("GB", "E09000001", "City of London", "London"),
        ("SE", "0180", "Stockholm", "Stockholms län"),
        ("FI", "091", "Helsinki", "Uusimaa"),
    ],
)
def test_known_codes_have_their_names_and_regions(registers, country, code, name, region):
    municipality = _municipality(country, code)
    assert (municipality.name, municipality.region.name) == (name, region)


def test_figures_come_from_the_files(registers):
    lisboa = _municipality("PT", "1106")
    population = {
        r["dico"]: r for r in _csv("pt_amt_ine_populacao_residente_concelhos_2006-2017.csv")
    }
    assert lisboa.population == int(population["1106"]["2017"])
    freguesias = [
        float(r["area_km2"])
        for r in _csv("pt_gisco_lau2020_nuts2021_freguesias.csv")
        if r["lau_id"].startswith("1106")
    ]
    assert lisboa.area_km2 == pytest.approx(sum(freguesias), abs=0.01)
    assert lisboa.lau_code is None  # Portugal's LAU is the freguesia

    for country, code, name in [
        ("ES", "41091", "es_gisco_lau2020_nuts2021_municipios.csv"),
        ("IT", "072006", "it_gisco_lau2020_nuts2021_comuni.csv"),
        ("SE", "0180", "se_gisco_lau2020_nuts2021_kommuner.csv"),
        ("FI", "091", "fi_gisco_lau2020_nuts2021_kunnat.csv"),
    ]:
        row = next(r for r in _csv(name) if r["lau_id"] == code)
        municipality = _municipality(country, code)
        assert municipality.population == int(row["population"]), country
        assert municipality.area_km2 == pytest.approx(float(row["area_km2"])), country
        assert municipality.lau_code == code

    leeds = next(
        r
        for r in _csv("uk_mysociety_local_authorities_current.csv")
        if r["gss-code"] == "E08000035"
    )
    assert _municipality("GB", "E08000035").population == int(float(leeds["pop-2020"]))


def _leads_to(country, code, year=None):
    """The municipalities a code leads to through MunicipalityCode (in its year, if given)."""
    entries = MunicipalityCode.objects.filter(code=code, municipality__country__code=country)
    if year is not None:
        entries = entries.exclude(first_year__gt=year).exclude(last_year__lt=year)
    return sorted(entries.values_list("municipality__code", flat=True))


def test_english_districts_ended_2019_2023_lead_to_todays_authority(registers):
    authorities = {r["gss-code"]: r for r in _csv("uk_mysociety_local_authorities_current.csv")}
    assert authorities["E07000026"]["end-date"] == "2023-04-01"
    assert _leads_to("GB", "E07000026", 2022) == ["E06000063"]  # Allerdale -> Cumberland
    assert _leads_to("GB", "E07000026", 2023) == []  # gone by then
    assert _leads_to("GB", "E07000004") == ["E06000060"]  # Aylesbury Vale -> Buckinghamshire
    for old in ["E06000028", "E07000048", "E06000029"]:  # Bournemouth, Christchurch, Poole
        assert _leads_to("GB", old, 2018) == ["E06000058"]
    # Taunton Deane went into Somerset West and Taunton (2019), then into Somerset (2023).
    assert _leads_to("GB", "E07000190", 2018) == ["E06000066"]
    cumberland = MunicipalityCode.objects.get(code="E06000063")
    assert (cumberland.first_year, cumberland.last_year) == (2023, None)
    # A GSS code replaced for the same authority (lookup_gss_to_registry), no years given.
    assert _leads_to("GB", "E08000020") == ["E08000037"]  # Gateshead


def _figures(rows: list[tuple[str, int, float]]) -> bytes:
    lines = ["region_code,year,value", *(f"{c},{y},{v}" for c, y, v in rows)]
    return "\n".join(lines).encode()


def test_a_renumbered_code_maps_its_figures_and_a_merged_one_keeps_its_own(registers):
    """Through the import (the lookup Norway's figures use): a code renumbered for the same
    authority lands on it; a district merged with others is listed, not added to the new one."""
    preview = import_preview(
        _figures([("E08000020", 2012, 1.0), ("E07000026", 2021, 2.0)]),
        "england.csv",
        ReadOptions(indicator_code="TEST-GB", indicator_name="test"),
        countries={registers["GB"].pk},
    )
    assert preview.ok, preview.problems
    assert preview.municipality_ids == {_municipality("GB", "E08000037").pk}
    assert [u.code for u in preview.unmapped] == ["E07000026"]
    assert "merged" in preview.unmapped[0].reason


def test_italian_historic_codes_lead_to_todays_comune(registers):
    sheet = _italy_sheet()
    header = sheet.row_values(0)
    column = header.index("Codice Comune numerico con 110 province (dal 2010 al 2016)")
    # A Sardinian comune renumbered when Sud Sardegna was formed.
    row = next(
        sheet.row_values(r)
        for r in range(1, sheet.nrows)
        if sheet.cell_value(r, 5) == "Villaspeciosa"
    )
    old = str(int(row[column])).zfill(6)
    assert old != row[4]
    assert _leads_to("IT", old, 2015) == [row[4]]
    assert _leads_to("IT", old, 2020) == []

    # Comuni of the 2023 register merged into one new in 2024: Ronago and Uggiate-Trevano.
    gone = {
        r[4]: r[5]
        for r in csv.reader(
            io.StringIO(
                (DATA / "it_istat_elenco_comuni_italiani_2023.csv").read_text("iso-8859-1")
            ),
            delimiter=";",
        )
    }
    assert (gone["013199"], gone["013228"]) == ("Ronago", "Uggiate-Trevano")
    assert _leads_to("IT", "013199", 2023) == _leads_to("IT", "013228", 2023) == ["013256"]
    assert _municipality("IT", "013256").name.strip() == "Uggiate con Ronago"
    assert _leads_to("IT", "018002") == []  # Albaredo Arnaboldi: no successor in the files


def test_an_italian_figure_under_a_former_code_lands_on_todays_comune(registers):
    sheet = _italy_sheet()
    row = next(
        sheet.row_values(r)
        for r in range(1, sheet.nrows)
        if sheet.cell_value(r, 5) == "Villaspeciosa"
    )
    old = str(int(row[16])).zfill(6)  # the code with 110 provinces (2010-2016)
    preview = import_preview(
        _figures([(old, 2015, 3.0)]),
        "italy.csv",
        ReadOptions(indicator_code="TEST-IT", indicator_name="test"),
        countries={registers["IT"].pk},
    )
    assert preview.ok, preview.problems
    assert preview.municipality_ids == {_municipality("IT", row[4]).pk}


def _state():
    """Every row of the registers, in a fixed order (the code rows without their ids, which
    a reload makes anew)."""
    state = {
        model.__name__: list(model.objects.filter(**{field: COUNTRIES}).order_by("pk").values())
        for model, field in [
            (Country, "code__in"),
            (Region, "country__code__in"),
            (Municipality, "country__code__in"),
        ]
    }
    state["codes"] = list(
        MunicipalityCode.objects.filter(municipality__country__code__in=COUNTRIES)
        .order_by("municipality_id", "code", "first_year", "last_year")
        .values_list("municipality_id", "code", "first_year", "last_year")
    )
    return state


def test_loading_twice_changes_nothing_and_restores_a_changed_row(registers):
    before = _state()
    leeds = _municipality("GB", "E08000035")
    leeds.name, leeds.population, leeds.lau_code = "Leeds (edited)", 1, None
    leeds.save()
    Region.objects.filter(country__code="ES", code="41").update(name="edited")

    for code in COUNTRIES:
        register_load_code_history(register_load(code))

    assert _state() == before


def test_an_unknown_country_is_refused_by_name(registers):
    with pytest.raises(UnknownRegister, match=r"“XX”.*NO, PT, ES, IT, GB, SE, FI"):
        register_load("XX")
    with pytest.raises(CommandError, match="“DE”"):
        call_command("load_register", "--country", "DE", stdout=io.StringIO())
    assert not Country.objects.filter(code__in=["XX", "DE"]).exists()


def test_the_command_loads_a_country_and_prints_its_counts(registers):
    out = io.StringIO()
    call_command("load_register", "--country", "pt", stdout=out)
    municipalities, regions = _counts_from_files()["PT"]
    year = registers["PT"].register_year
    assert (
        f"PT Portugal (DICO, figures of {year}): {regions} regions, {municipalities} municipalities"
    ) in out.getvalue()
