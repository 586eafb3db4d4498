"""The first questionnaire the portal ships, written for the portal (not KS's, KKiK's or LG
Inform's questionnaire, whose texts are not at hand).

Its themes are the seed's (``../shared/seed/cemsdi-experiences.txt``: the strategy template's
sections, social inclusion from the CEMSDI theme, and the Digital Local Agenda's priorities as
``strategies/dla.py`` names them); its five-level scale follows the usual digital maturity
models. The migration ``0002_first_questionnaire`` loads it with ``seed_questionnaire``, which
creates what is missing and leaves an administrator's edits alone, so that every installation
has it and running it again changes nothing. Its Portuguese, Spanish and Italian texts are the
translators' files in ``data/`` (``questionnaire_<language>.json``); ``seed_questionnaire`` fills
the blank columns from them (migration ``0004_questionnaire_in_five_languages``).
"""

import json
from pathlib import Path

from cemsdi_portal.core.i18n import fill_blanks

CODE = "dm1"

TITLE = ("Digital maturity self-assessment", "Egenvurdering av digital modenhet")

SOURCE = (
    "Written for this portal from the themes of the CEMSDI seed (the eKommune strategy "
    "template's sections, social inclusion and the Digital Local Agenda's priorities). The "
    "five-level scale follows the usual digital maturity models (KS, KKiK, LG Inform "
    "benchmarking); it is not the questionnaire of any of them.",
    "Skrevet for denne portalen ut fra temaene i CEMSDI-grunnlaget (avsnittene i malen for "
    "eKommune-strategien, sosial inkludering og prioriteringene i Digital Local Agenda). "
    "Skalaen med fem nivåer følger de vanlige modellene for digital modenhet (KS, KKiK, LG "
    "Inform benchmarking); det er ikke spørreskjemaet til noen av dem.",
)

LEVELS = (
    (1, "Not started: nothing is in place", "Ikke startet: ingenting er på plass"),
    (2, "Early: a few initiatives, not planned", "Tidlig fase: enkelte tiltak, ikke planlagt"),
    (3, "Under way: planned and partly in place", "På vei: planlagt og delvis på plass"),
    (4, "Established: in place across the municipality", "Etablert: på plass i hele kommunen"),
    (5, "Leading: measured and improved all the time", "Ledende: måles og forbedres hele tiden"),
)

# (code, English name, Norwegian name, [(English question, Norwegian question, weight)])
THEMES = (
    (
        "strategy",
        "Strategy",
        "Strategi",
        [
            (
                "The municipality has a digitalisation strategy adopted by its political "
                "leadership.",
                "Kommunen har en digitaliseringsstrategi vedtatt av den politiske ledelsen.",
                2,
            ),
            (
                "The strategy is followed up by an action plan with owners, deadlines and a "
                "budget.",
                "Strategien følges opp av en handlingsplan med eiere, frister og budsjett.",
                1,
            ),
            (
                "The strategy builds on the national and regional digitalisation strategies.",
                "Strategien bygger på de nasjonale og regionale digitaliseringsstrategiene.",
                1,
            ),
            (
                "The strategy is evaluated and revised at least once a year.",
                "Strategien evalueres og revideres minst én gang i året.",
                1,
            ),
        ],
    ),
    (
        "governance",
        "Governance",
        "Styring",
        [
            (
                "It is clear who in the leadership decides on digitalisation and ICT investments.",
                "Det er klart hvem i ledelsen som bestemmer over digitalisering og "
                "IKT-investeringer.",
                2,
            ),
            (
                "The municipality cooperates with its neighbours on ICT through a binding "
                "agreement.",
                "Kommunen samarbeider med nabokommunene om IKT gjennom en forpliktende avtale.",
                1,
            ),
            (
                "New ICT projects are prioritised by shared criteria across the sectors.",
                "Nye IKT-prosjekter prioriteres etter felles kriterier på tvers av sektorene.",
                1,
            ),
        ],
    ),
    (
        "benefits",
        "Benefits realisation",
        "Gevinstrealisering",
        [
            (
                "Every digitalisation project describes its expected benefits before it starts.",
                "Hvert digitaliseringsprosjekt beskriver de forventede gevinstene før det starter.",
                1,
            ),
            (
                "Each expected benefit has an owner who answers for realising it.",
                "Hver forventet gevinst har en eier som har ansvar for å realisere den.",
                1,
            ),
            (
                "The benefits achieved are measured and reported to the leadership.",
                "Gevinstene som er oppnådd, måles og rapporteres til ledelsen.",
                2,
            ),
        ],
    ),
    (
        "innovation",
        "Innovation and new services",
        "Innovasjon og nye tjenester",
        [
            (
                "Inhabitants can use the most common services online, from application to answer.",
                "Innbyggerne kan bruke de vanligste tjenestene digitalt, fra søknad til svar.",
                2,
            ),
            (
                "Services are designed with the people who use them.",
                "Tjenestene utvikles sammen med dem som bruker dem.",
                1,
            ),
            (
                "The municipality tries out new technology in small pilots before it is "
                "rolled out.",
                "Kommunen prøver ut ny teknologi i små piloter før den tas i bruk i stort.",
                1,
            ),
            (
                "The municipality reuses national common components (ID-porten, Altinn, "
                "Digital Post).",
                "Kommunen bruker de nasjonale fellesløsningene (ID-porten, Altinn, Digital "
                "postkasse).",
                1,
            ),
        ],
    ),
    (
        "competence",
        "Competence and capacity",
        "Kompetanse og kapasitet",
        [
            (
                "The leadership has the competence to lead digital change.",
                "Ledelsen har kompetanse til å lede digital endring.",
                2,
            ),
            (
                "Employees are trained in the digital tools and services they use.",
                "De ansatte får opplæring i de digitale verktøyene og tjenestene de bruker.",
                1,
            ),
            (
                "The municipality has enough capacity, its own or shared, to run and develop "
                "its ICT.",
                "Kommunen har nok kapasitet, egen eller delt, til å drifte og utvikle IKT.",
                1,
            ),
        ],
    ),
    (
        "security",
        "Information security",
        "Informasjonssikkerhet",
        [
            (
                "The municipality has a management system for information security that the "
                "leadership follows up.",
                "Kommunen har et styringssystem for informasjonssikkerhet som ledelsen følger opp.",
                2,
            ),
            (
                "Risk and vulnerability analyses are made for the systems that hold personal data.",
                "Det gjøres risiko- og sårbarhetsanalyser for systemene med personopplysninger.",
                1,
            ),
            (
                "Employees learn how to handle information securely at least once a year.",
                "De ansatte lærer å behandle informasjon sikkert minst én gang i året.",
                1,
            ),
            (
                "Security incidents are reported, followed up and learnt from.",
                "Sikkerhetshendelser meldes, følges opp og brukes til læring.",
                1,
            ),
        ],
    ),
    (
        "inclusion",
        "Social inclusion",
        "Sosial inkludering",
        [
            (
                "The digital services meet the accessibility requirements (universal design).",
                "De digitale tjenestene oppfyller kravene til universell utforming.",
                2,
            ),
            (
                "Inhabitants who cannot use digital services get help or another channel.",
                "Innbyggere som ikke kan bruke digitale tjenester, får hjelp eller en annen kanal.",
                1,
            ),
            (
                "The municipality offers training in digital skills to inhabitants who need it.",
                "Kommunen tilbyr opplæring i digitale ferdigheter til innbyggere som trenger det.",
                1,
            ),
        ],
    ),
    (
        "dla",
        "The Digital Local Agenda's priorities",
        "Prioriteringene i Digital Local Agenda",
        [
            (
                "Services are offered in several channels (online, telephone, service desk) "
                "that give the same answer.",
                "Tjenestene tilbys i flere kanaler (digitalt, telefon, servicetorg) som gir "
                "samme svar.",
                1,
            ),
            (
                "The municipality plans its eGovernment from mapped needs and monitors it with "
                "key figures.",
                "Kommunen planlegger eForvaltningen ut fra kartlagte behov og følger den opp "
                "med nøkkeltall.",
                1,
            ),
            (
                "The municipality takes part in networks where municipalities learn from each "
                "other, also across borders.",
                "Kommunen deltar i nettverk der kommuner lærer av hverandre, også over "
                "landegrensene.",
                1,
            ),
        ],
    ),
)


# The key figures' names (services._indicators): "<prefix>: <theme>" and the overall score.
INDICATOR_PREFIX = {
    "en": "Digital maturity",
    "nb": "Digital modenhet",
    "pt": "Maturidade digital",
    "es": "Madurez digital",
    "it": "Maturità digitale",
}
OVERALL_NAME = {
    "en": "Digital maturity: overall score",
    "nb": "Digital modenhet: samlet poengsum",
    "pt": "Maturidade digital: pontuação global",
    "es": "Madurez digital: puntuación global",
    "it": "Maturità digitale: punteggio complessivo",
}

# The languages whose texts the translators keep in data/questionnaire_<language>.json, shaped
# {"title", "source", "levels": {"1": ...}, "themes": {code: {"name", "questions": [...]}}},
# the questions in the order of THEMES.
DATA = Path(__file__).resolve().parent / "data"
TRANSLATED = ("pt", "es", "it")


class QuestionnaireFileError(ValueError):
    """A translation file that does not fit the questionnaire; the message says where."""


def theme_indicator_names(theme) -> dict[str, str]:
    """A theme's key-figure name in each language its name is written in (the others fall
    back to English on the pages); ``theme`` may be a migration's historical model."""
    names = {}
    for code, prefix in INDICATOR_PREFIX.items():
        name = getattr(theme, f"name_{code}", "")
        if name:
            names[code] = f"{prefix}: {name}"
    return names


def read_translation(language: str, data: Path = DATA) -> dict | None:
    """The checked contents of ``questionnaire_<language>.json`` in ``data``, or None where
    the file is not there (yet). Raises QuestionnaireFileError naming the file and the part
    (the level, the theme) that is missing or has the wrong number of questions."""
    path = data / f"questionnaire_{language}.json"
    if not path.exists():
        return None
    name = path.name
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QuestionnaireFileError(f"{name}: not valid JSON in UTF-8 ({exc}).") from exc
    if not isinstance(content, dict):
        raise QuestionnaireFileError(f"{name}: expected an object with title, levels, themes.")
    for key in ("title", "source"):
        if not isinstance(content.get(key, ""), str):
            raise QuestionnaireFileError(f"{name}: {key!r} should be a text.")
    _check_levels(name, content.get("levels"))
    _check_themes(name, content.get("themes"))
    return content


def _check_levels(name: str, levels) -> None:
    if not isinstance(levels, dict):
        raise QuestionnaireFileError(f"{name}: 'levels' should map each level to its label.")
    for value, _en, _nb in LEVELS:
        if not isinstance(levels.get(str(value)), str):
            raise QuestionnaireFileError(f"{name}: level {value} has no label.")


def _check_themes(name: str, themes) -> None:
    if not isinstance(themes, dict):
        raise QuestionnaireFileError(f"{name}: 'themes' should map each theme's code.")
    codes = [code for code, *_rest in THEMES]
    unknown = sorted(set(themes) - set(codes))
    if unknown:
        raise QuestionnaireFileError(
            f"{name}: unknown theme {', '.join(unknown)}; the themes are {', '.join(codes)}."
        )
    for code, _en, _nb, questions in THEMES:
        theme = themes.get(code)
        if not isinstance(theme, dict):
            raise QuestionnaireFileError(f"{name}: theme {code!r} is missing.")
        if not isinstance(theme.get("name"), str):
            raise QuestionnaireFileError(f"{name}: theme {code!r} has no name.")
        texts = theme.get("questions")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise QuestionnaireFileError(f"{name}: theme {code!r} has no list of questions.")
        if len(texts) != len(questions):
            raise QuestionnaireFileError(
                f"{name}: theme {code!r} has {len(texts)} questions; the questionnaire has "
                f"{len(questions)} (in the order of assessment/questionnaire.py)."
            )


def seed_questionnaire(
    Questionnaire, ScaleLevel, Theme, Question, *, data: Path = DATA, create: bool = True
) -> None:
    """Create the first questionnaire where it is missing (unless ``create`` is off: then
    only an existing one is filled), then fill its texts in the other languages
    (``data/questionnaire_<language>.json``) where they are blank. An administrator's edits
    are kept: themes and questions are added only to a questionnaire that has none, and no
    filled text is overwritten. Every file is checked before anything is written
    (QuestionnaireFileError). The models may be a migration's historical ones: the languages
    they have no columns for are left out."""
    translations = {
        language: content
        for language in TRANSLATED
        if (content := read_translation(language, data)) is not None
    }
    if not create:
        existing = Questionnaire.objects.filter(code=CODE).first()
        if existing is not None and translations:
            _fill_translations(existing, ScaleLevel, Theme, Question, translations)
        return
    questionnaire, _created = Questionnaire.objects.get_or_create(
        code=CODE,
        defaults={
            "title_en": TITLE[0],
            "title_nb": TITLE[1],
            "source_en": SOURCE[0],
            "source_nb": SOURCE[1],
        },
    )
    if not questionnaire.levels.exists():
        ScaleLevel.objects.bulk_create(
            ScaleLevel(questionnaire=questionnaire, value=v, label_en=en, label_nb=nb)
            for v, en, nb in LEVELS
        )
    if not questionnaire.themes.exists():
        for order, (code, name_en, name_nb, questions) in enumerate(THEMES, start=1):
            theme = Theme.objects.create(
                questionnaire=questionnaire,
                code=code,
                name_en=name_en,
                name_nb=name_nb,
                order=order,
            )
            Question.objects.bulk_create(
                Question(theme=theme, order=n, text_en=en, text_nb=nb, weight=weight)
                for n, (en, nb, weight) in enumerate(questions, start=1)
            )
    if translations:
        _fill_translations(questionnaire, ScaleLevel, Theme, Question, translations)


def _fill_translations(questionnaire, ScaleLevel, Theme, Question, translations) -> None:
    """The blank columns of the questionnaire, its levels, themes and questions, from the
    files' texts; a question is the file's n-th of its theme when its ``order`` is n."""

    def texts(pick) -> dict[str, str]:
        return {language: pick(content) for language, content in translations.items()}

    filled = [
        *fill_blanks(questionnaire, "title", texts(lambda c: c["title"])),
        *fill_blanks(questionnaire, "source", texts(lambda c: c["source"])),
    ]
    if filled:
        questionnaire.save(update_fields=filled)
    _fill_rows(
        ScaleLevel,
        ScaleLevel.objects.filter(questionnaire=questionnaire),
        "label",
        lambda level: texts(lambda c: c["levels"].get(str(level.value), "")),
    )
    themes = {theme.pk: theme for theme in Theme.objects.filter(questionnaire=questionnaire)}
    _fill_rows(
        Theme, themes.values(), "name", lambda theme: texts(lambda c: _theme(c, theme)["name"])
    )

    def question_texts(question) -> dict[str, str]:
        theme = themes[question.theme_id]
        found = texts(lambda c: _theme(c, theme)["questions"])
        return {
            language: questions[question.order - 1]
            for language, questions in found.items()
            if 1 <= question.order <= len(questions)
        }

    _fill_rows(Question, Question.objects.filter(theme__in=list(themes)), "text", question_texts)


def _theme(content: dict, theme) -> dict:
    """A theme's part of a file; an empty one for a theme an administrator added."""
    return content["themes"].get(theme.code, {"name": "", "questions": []})


def _fill_rows(model, rows, field: str, texts_of) -> None:
    """Fill ``field``'s blank columns of ``rows`` from ``texts_of(row)``, in one update."""
    changed, columns = [], set()
    for row in rows:
        if filled := fill_blanks(row, field, texts_of(row)):
            changed.append(row)
            columns.update(filled)
    if changed:
        model.objects.bulk_update(changed, sorted(columns))
