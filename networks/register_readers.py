"""Per-country readers of the register files in networks/data/ (PROVENANCE.md there), without
Django: each turns its country's files into the same rows, a :class:`Register`, that
networks/register.py writes in one bulk upsert.

The region is the level closest to Norway's fylke, the place a network runs: an elected or
administrative tier between the municipality and the state that groups a few dozen
municipalities.

* Portugal (DICO, 308 concelhos): the distrito on the mainland (18); Madeira and the Azores
  are each one região autónoma (NUTS 2 PT30 and PT20), not the island "distritos" of the AMT
  file, which group one to six concelhos. Population: INE's estimate of 2017 (the latest
  year of the AMT file). Area: the sum of the concelho's freguesias in GISCO LAU 2020.
  Portugal's LAU level is the freguesia (parish), so a concelho has no LAU code of its own.
* Spain (INE, 8,131 municipios of 2020, GISCO LAU 2020): the provincia (50, plus Ceuta and
  Melilla), the first two digits of the INE code; names from INE's own table 2074.
  Population and area of 2020.
* Italy (ISTAT, 7,896 comuni, register of January 2024): the unità territoriale
  sovracomunale (107: province, città metropolitane, liberi consorzi, the former provinces
  of Friuli-Venezia Giulia), the unit ISTAT publishes figures for. Population and area from
  GISCO LAU 2020, joined on the ISTAT code: comuni formed since 2020 have none.
* England (GSS, 296 districts and unitary authorities of the mysociety register: 164
  non-metropolitan districts, 63 unitaries, 36 metropolitan districts, 32 London boroughs and
  the City of London): the 9 ONS regions. Only England is loaded: the UK pilot ran there.
  Population: mysociety's pop-2020. Area (km²): its area column.
* Sweden (kommunkod, 290 kommuner, SCB's list of 2025-2026): the län (21), the first two
  digits. Population and area from GISCO LAU 2020.
* Finland (kuntanumero, 308 kunnat of 2026, geofi's key from Statistics Finland): the
  maakunta (19 regions with councils). Population and area from GISCO LAU 2020: kunnat
  formed since have none.

Former codes (``Register.former``: code, first year, last year, today's code), where the files
give them:

* England: districts ended 2019-2023 (their end-date, replaced-by register codes followed to
  today's authority; a code ended in a year was last used the year before, as the new
  authorities start on 1 April), and GSS codes replaced by a new one for the same authority
  (lookup_gss_to_registry; the file gives no years for these).
* Italy: the numeric codes of the register's historic columns (with 103 provinces
  1995-2005, 107 in 2006-2009, 110 in 2010-2016) where they differ from today's; and the
  comuni of the 2023 register gone from the 2024 one, when their province has exactly one
  comune new in 2024 (it is formed from them). Albaredo Arnaboldi (018002, Pavia) has no new
  comune in its province: its successor is not in the files, so it is left out.
* Portugal, Spain, Sweden, Finland: none in these files (DICO codes are unchanged since 2013;
  Finland's kunnat of 2020 merged since, 099 and 588, have no successor in the files).
"""

import csv
import io
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# England's lower-tier and unitary district types in the mysociety register.
ENGLISH_DISTRICT_TYPES = {"NMD", "UA", "MD", "LBO", "CC"}


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    region: str  # the region's code
    population: int | None
    area_km2: float | None
    lau_code: str | None


@dataclass
class Register:
    regions: dict[str, str]  # code -> name
    municipalities: list[Row]
    former: list[tuple[str, int | None, int | None, str]] = field(default_factory=list)


def _csv(name: str, encoding: str = "utf-8", delimiter: str = ",") -> list[dict]:
    text = (DATA_DIR / name).read_text(encoding=encoding)
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def _int(value) -> int | None:
    return int(float(value)) if str(value).strip() else None


def _float(value) -> float | None:
    return float(value) if str(value).strip() else None


def _lau(name: str) -> dict[str, dict]:
    """GISCO LAU 2020 rows (EDJNet), by lau_id."""
    return {row["lau_id"]: row for row in _csv(name)}


# --- Norway ------------------------------------------------------------------------------------

NO_COUNTIES = "norge-data_fylker-2025.json"
NO_MUNICIPALITIES = "norge-data_kommuner-2025.json"


@cache
def norway() -> Register:
    counties = json.loads((DATA_DIR / NO_COUNTIES).read_text(encoding="utf-8"))
    rows = json.loads((DATA_DIR / NO_MUNICIPALITIES).read_text(encoding="utf-8"))
    return Register(
        regions={c["f_id"]: c["f_name"] for c in counties},
        municipalities=[
            Row(
                code=row["k_id"],
                name=row["k_name_no"],
                region=row["k_id"][:2],  # the first two digits are the county
                population=row["k_population"],
                area_km2=row["k_area"],
                lau_code=row["k_id"],  # Norway's LAU is the kommune, under its number
            )
            for row in rows
        ],
    )  # former codes: SSB's change list (networks/code_history.py)


# --- Portugal ----------------------------------------------------------------------------------

PT_CONCELHOS = "pt_amt_concelhos_dico_distrito_nuts2013.csv"
PT_POPULATION = "pt_amt_ine_populacao_residente_concelhos_2006-2017.csv"
PT_FREGUESIAS = "pt_gisco_lau2020_nuts2021_freguesias.csv"
PT_AUTONOMOUS = {"PT20", "PT30"}  # NUTS 2: Região Autónoma dos Açores, da Madeira


def _pt_region(row: dict) -> tuple[str, str]:
    if row["nut2"] in PT_AUTONOMOUS:
        return row["nut2"], row["nut2_name"]
    return row["distrito"].zfill(2), row["distrito_name"]


@cache
def portugal_population_year() -> int:
    header = _csv(PT_POPULATION)[0].keys()
    return max(int(key) for key in header if key.isdigit())


@cache
def portugal() -> Register:
    concelhos = _csv(PT_CONCELHOS)
    year = str(portugal_population_year())
    population = {row["dico"].zfill(4): _int(row[year]) for row in _csv(PT_POPULATION)}
    area: dict[str, float] = {}
    for freguesia in _csv(PT_FREGUESIAS):
        dico = freguesia["lau_id"][:4]  # DICOFRE: the concelho's DICO, then the freguesia
        area[dico] = area.get(dico, 0.0) + float(freguesia["area_km2"])
    regions = dict(_pt_region(row) for row in concelhos)
    municipalities = []
    for row in concelhos:
        dico = row["concelho"].zfill(4)  # written as a number: 101 is 0101 Águeda
        municipalities.append(
            Row(
                code=dico,
                name=row["concelho_name"],
                region=_pt_region(row)[0],
                population=population.get(dico),
                area_km2=round(area[dico], 2) if dico in area else None,
                lau_code=None,  # the LAU is the freguesia (see PT_FREGUESIAS)
            )
        )
    return Register(regions=regions, municipalities=municipalities)


# --- Spain -------------------------------------------------------------------------------------

ES_MUNICIPIOS = "es_gisco_lau2020_nuts2021_municipios.csv"
ES_PROVINCE_NAMES = "es_ine_2074_viajeros_pernoctaciones_ccaa_provincias_2021M03-M05.jsonstat2.json"
# Ceuta (51) and Melilla (52) are autonomous cities: INE's table 2074 names them as
# comunidades (1_18, 1_19), not as provinces.
ES_CITIES = {"51": "1_18", "52": "1_19"}


@cache
def spain_provinces() -> dict[str, str]:
    """INE province code -> INE's name ("Coruña, A"), from table 2074's area labels:
    ``4_nn`` is province nn (a ``~`` suffix is INE's own)."""
    document = json.loads((DATA_DIR / ES_PROVINCE_NAMES).read_text(encoding="utf-8"))
    labels = document["dimension"]["comunidadesautonomasyprovincias"]["category"]["label"]
    by_key = {key.split("~")[0]: name for key, name in labels.items()}
    names = {key[2:]: name for key, name in by_key.items() if key.startswith("4_")}
    names.update({code: by_key[key] for code, key in ES_CITIES.items()})
    return names


@cache
def spain() -> Register:
    provinces = spain_provinces()
    municipalities = [
        Row(
            code=row["lau_id"],
            name=row["lau_name"],
            region=row["lau_id"][:2],  # the first two digits are the province
            population=_int(row["population"]),
            area_km2=_float(row["area_km2"]),
            lau_code=row["lau_id"],
        )
        for row in _csv(ES_MUNICIPIOS)
    ]
    return Register(regions=provinces, municipalities=municipalities)


# --- Italy -------------------------------------------------------------------------------------

IT_REGISTER = "it_istat_elenco_comuni_italiani_2024-01.xls"
IT_REGISTER_2023 = "it_istat_elenco_comuni_italiani_2023.csv"
IT_LAU = "it_gisco_lau2020_nuts2021_comuni.csv"
IT_REGISTER_FROM = 2024  # the first year of the xls register (changes in force 1 Jan 2024)
# The historic numeric code columns, with the years their headers give.
IT_HISTORIC = [
    ("Codice Comune numerico con 103 province (dal 1995 al 2005)", None, 2005),
    ("Codice Comune numerico con 107 province (dal 2006 al 2009)", 2006, 2009),
    ("Codice Comune numerico con 110 province (dal 2010 al 2016)", 2010, 2016),
]
IT_CODE = "Codice Comune formato alfanumerico"
IT_NAME = "Denominazione (Italiana e straniera)"
IT_UTS_CODE = "Codice dell'Unità territoriale sovracomunale \n(valida a fini statistici)"
IT_UTS_NAME = "Denominazione dell'Unità territoriale sovracomunale \n(valida a fini statistici)"


def _italy_rows() -> list[dict]:
    import xlrd  # reads the legacy .xls (BIFF) that ISTAT publishes

    book = xlrd.open_workbook(DATA_DIR / IT_REGISTER)
    sheet = book.sheet_by_index(0)
    header = [str(h) for h in sheet.row_values(0)]
    return [dict(zip(header, sheet.row_values(r), strict=True)) for r in range(1, sheet.nrows)]


def _italy_code(value) -> str:
    """A code as the register writes it (text, or a number in the historic columns)."""
    if isinstance(value, float):
        return str(int(value)).zfill(6)
    return str(value).strip().zfill(6)


@cache
def italy() -> Register:
    rows = _italy_rows()
    lau = _lau(IT_LAU)
    regions, municipalities, former = {}, [], []
    for row in rows:
        code = _italy_code(row[IT_CODE])
        uts = str(row[IT_UTS_CODE]).strip()
        regions[uts] = str(row[IT_UTS_NAME]).strip()
        figures = lau.get(code, {})
        municipalities.append(
            Row(
                code=code,
                name=str(row[IT_NAME]).strip(),
                region=uts,
                population=_int(figures.get("population", "")),
                area_km2=_float(figures.get("area_km2", "")),
                lau_code=code,  # Italy's LAU is the comune, under its ISTAT code
            )
        )
        # Consecutive columns with the same code are one era.
        eras: list[list] = []
        for column, first, last in IT_HISTORIC:
            old = _italy_code(row[column])
            if eras and eras[-1][0] == old:
                eras[-1][2] = last
            else:
                eras.append([old, first, last])
        former += [(old, first, last, code) for old, first, last in eras if old != code]
    former += _italy_gone(rows)
    return Register(regions=regions, municipalities=municipalities, former=former)


def _italy_gone(rows: list[dict]) -> list[tuple]:
    """The 2023 register's comuni gone in 2024 that lead to the one comune new in 2024 in
    their province (the comune formed from them)."""
    text = (DATA_DIR / IT_REGISTER_2023).read_text(encoding="iso-8859-1")
    old = {
        r[4]: r[2]  # code -> historic province code
        for r in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
        if r
    }
    now = {_italy_code(row[IT_CODE]): str(row["Codice Provincia (Storico)(1)"]) for row in rows}
    new_by_province: dict[str, list[str]] = {}
    for code in sorted(set(now) - set(old)):
        new_by_province.setdefault(now[code], []).append(code)
    found = []
    for code in sorted(set(old) - set(now)):
        new = new_by_province.get(old[code], [])
        if len(new) == 1:
            found.append((code, None, IT_REGISTER_FROM - 1, new[0]))
    return found


# --- England -----------------------------------------------------------------------------------

GB_AUTHORITIES = "uk_mysociety_local_authorities_current.csv"
GB_GSS_LOOKUP = "uk_mysociety_lookup_gss_to_registry.csv"
GB_REGIONS = "uk_ons_LAD18_RGN18_lookup_England_Dec2018.csv"


def _gb_is_district(row: dict) -> bool:
    return row["nation"] == "England" and row["local-authority-type"] in ENGLISH_DISTRICT_TYPES


@cache
def england() -> Register:
    authorities = _csv(GB_AUTHORITIES)
    region_codes = {r["RGN18NM"]: r["RGN18CD"] for r in _csv(GB_REGIONS, encoding="utf-8-sig")}
    current = [row for row in authorities if _gb_is_district(row) and not row["end-date"]]
    municipalities = [
        Row(
            code=row["gss-code"],
            name=row["nice-name"],
            region=region_codes[row["region"]],
            population=_int(row["pop-2020"]),
            area_km2=_float(row["area"]),
            lau_code=row["gss-code"],  # the UK's LAU 1 is the district, under its GSS code
        )
        for row in current
    ]
    return Register(
        regions={code: name for name, code in region_codes.items()},
        municipalities=municipalities,
        former=_england_former(authorities),
    )


def _england_former(authorities: list[dict]) -> list[tuple]:
    by_register = {row["local-authority-code"]: row for row in authorities}

    def today(register_code: str) -> set[str]:
        """The current districts a register code leads to, through replaced-by."""
        row = by_register[register_code]
        if not row["end-date"]:
            return {row["gss-code"]} if _gb_is_district(row) else set()
        found = set()
        for successor in row["replaced-by"].split(","):
            found |= today(successor.strip())
        return found

    former = []
    for row in authorities:
        if _gb_is_district(row) and row["end-date"]:
            # New authorities start on 1 April: the year it ended has the successor's figures.
            last = int(row["end-date"][:4]) - 1
            # A start on 1 April is the authority's own; other start dates are the register's.
            started = row["start-date"]
            first = int(started[:4]) if started.endswith("-04-01") else None
            former += [
                (row["gss-code"], first, last, code)
                for code in sorted(today(row["local-authority-code"]))
            ]
    for entry in _csv(GB_GSS_LOOKUP):
        row = by_register[entry["local-authority-code"]]
        if entry["gss-code"] != row["gss-code"] and _gb_is_district(row) and not row["end-date"]:
            former.append((entry["gss-code"], None, None, row["gss-code"]))
    return former


# --- Sweden ------------------------------------------------------------------------------------

SE_REGISTER = "se_scb_TAB6471_metadata_312regions_2025M01-2026M04.jsonstat2.json"
SE_LAU = "se_gisco_lau2020_nuts2021_kommuner.csv"


@cache
def sweden() -> Register:
    document = json.loads((DATA_DIR / SE_REGISTER).read_text(encoding="utf-8"))
    labels = document["dimension"]["Region"]["category"]["label"]
    lau = _lau(SE_LAU)
    # 2 digits: a län ("00" is Riket, the whole country); 4 digits: a kommun.
    regions = {code: name for code, name in labels.items() if len(code) == 2 and code != "00"}
    municipalities = [
        Row(
            code=code,
            name=name,
            region=code[:2],
            population=_int(lau.get(code, {}).get("population", "")),
            area_km2=_float(lau.get(code, {}).get("area_km2", "")),
            lau_code=code,
        )
        for code, name in labels.items()
        if len(code) == 4
    ]
    return Register(regions=regions, municipalities=municipalities)


# --- Finland -----------------------------------------------------------------------------------

FI_REGISTER = "fi_geofi_municipality_key_2026.DERIVED.csv"
FI_LAU = "fi_gisco_lau2020_nuts2021_kunnat.csv"


@cache
def finland() -> Register:
    rows = _csv(FI_REGISTER)
    lau = _lau(FI_LAU)
    # The dump writes codes as numbers: kunta 20 is 020 Akaa, maakunta 6 is 06.
    regions = {row["maakunta_code"].zfill(2): row["maakunta_name_fi"] for row in rows}
    municipalities = []
    for row in rows:
        code = row["kunta"].zfill(3)
        figures = lau.get(code, {})
        municipalities.append(
            Row(
                code=code,
                name=row["municipality_name_fi"],
                region=row["maakunta_code"].zfill(2),
                population=_int(figures.get("population", "")),
                area_km2=_float(figures.get("area_km2", "")),
                lau_code=code,
            )
        )
    return Register(regions=regions, municipalities=municipalities)
