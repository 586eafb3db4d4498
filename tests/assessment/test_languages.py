"""The questionnaire in Portuguese, Spanish and Italian: the translators' files fill the blank
columns (an administrator's text stays, a second run changes nothing), a file that does not fit
names the theme and writes nothing, the pages and the key figures' names follow the reader's
language, and what is not translated falls back to English."""

import json
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from assessment import questionnaire as shipped
from assessment import services
from assessment.models import Question, Questionnaire, ScaleLevel, Theme
from assessment.questionnaire import (
    DATA,
    THEMES,
    TRANSLATED,
    QuestionnaireFileError,
    read_translation,
    seed_questionnaire,
)
from benchmarking.models import Indicator
from cemsdi_portal.core import i18n

from .helpers import answer_and_submit, every_answer, gatherings_of, seed_first_questionnaire

pytestmark = pytest.mark.django_db

MODELS = (Questionnaire, ScaleLevel, Theme, Question)
COLUMNS = {
    Questionnaire: ("title", "source"),
    ScaleLevel: ("label",),
    Theme: ("name",),
    Question: ("text",),
}


def _content(language, *, drop_question_of=None):
    """A file as the translators write it, each text marked with its language."""
    themes = {}
    for code, name_en, _nb, questions in THEMES:
        texts = [f"[{language}] {en}" for en, _qnb, _weight in questions]
        if code == drop_question_of:
            texts = texts[:-1]
        themes[code] = {"name": f"[{language}] {name_en}", "questions": texts}
    return {
        "title": f"[{language}] {shipped.TITLE[0]}",
        "source": f"[{language}] {shipped.SOURCE[0]}",
        "levels": {str(value): f"[{language}] {en}" for value, en, _nb in shipped.LEVELS},
        "themes": themes,
    }


def _write(folder, language, content):
    (folder / f"questionnaire_{language}.json").write_text(
        json.dumps(content, ensure_ascii=False), encoding="utf-8"
    )


@pytest.fixture
def files(tmp_path):
    """Three files in a folder of the test's own, and the questionnaire's new columns blank
    (as on an installation before the translators' files came)."""
    for language in TRANSLATED:
        _write(tmp_path, language, _content(language))
    seed_first_questionnaire()
    for model, fields in COLUMNS.items():
        model.objects.update(**{f"{field}_{code}": "" for field in fields for code in TRANSLATED})
    return tmp_path


def _every_text():
    return {
        (model.__name__, pk): row
        for model, fields in COLUMNS.items()
        for pk, *row in model.objects.values_list(
            "pk", *[column for field in fields for column in i18n.columns(field)]
        )
    }


def test_the_files_fill_every_theme_question_and_level(files):
    seed_questionnaire(*MODELS, data=files)
    questionnaire = Questionnaire.objects.get(code=shipped.CODE)
    for language in TRANSLATED:
        content = json.loads((files / f"questionnaire_{language}.json").read_text("utf-8"))
        assert getattr(questionnaire, f"title_{language}") == content["title"]
        assert getattr(questionnaire, f"source_{language}") == content["source"]
        for level in questionnaire.levels.all():
            assert getattr(level, f"label_{language}") == content["levels"][str(level.value)]
        for theme in questionnaire.themes.all():
            wanted = content["themes"][theme.code]
            assert getattr(theme, f"name_{language}") == wanted["name"]
            texts = [getattr(q, f"text_{language}") for q in theme.questions.order_by("order")]
            assert texts == wanted["questions"]


def test_seeding_twice_changes_nothing_and_keeps_an_administrators_edit(files):
    seed_questionnaire(*MODELS, data=files)
    theme = Theme.objects.get(questionnaire__code=shipped.CODE, code="governance")
    theme.name_pt = "Governação (escrito pelo administrador)"
    theme.save()
    question = theme.questions.order_by("order").first()
    question.text_es, question.text_it = "Pregunta del administrador", ""
    question.save()
    before = _every_text()
    counts = [model.objects.count() for model in MODELS]

    seed_questionnaire(*MODELS, data=files)
    seed_questionnaire(*MODELS, data=files)

    after = _every_text()
    assert [model.objects.count() for model in MODELS] == counts
    theme.refresh_from_db()
    question.refresh_from_db()
    assert theme.name_pt == "Governação (escrito pelo administrador)"
    assert question.text_es == "Pregunta del administrador"
    # The one blank the administrator left is filled again from the file; nothing else moves.
    expected_it = _content("it")["themes"]["governance"]["questions"][0]
    assert question.text_it == expected_it
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {("Question", question.pk)}


def test_a_file_missing_a_question_names_the_theme_and_writes_nothing(files):
    _write(files, "es", _content("es", drop_question_of="benefits"))
    before = _every_text()
    with pytest.raises(QuestionnaireFileError) as refused:
        seed_questionnaire(*MODELS, data=files)
    message = str(refused.value)
    assert message.startswith("questionnaire_es.json: theme 'benefits' has 2 questions")
    assert "the questionnaire has 3" in message
    assert _every_text() == before


def test_a_file_missing_a_theme_names_it(tmp_path):
    content = _content("it")
    del content["themes"]["security"]
    _write(tmp_path, "it", content)
    with pytest.raises(QuestionnaireFileError) as refused:
        read_translation("it", tmp_path)
    assert str(refused.value) == "questionnaire_it.json: theme 'security' is missing."


def test_no_file_yet_leaves_the_language_to_english(tmp_path):
    assert read_translation("pt", tmp_path) is None


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_shipped_file_fits_the_questionnaire_and_migrate_loaded_it(language):
    content = read_translation(language)  # raises, naming the theme, when it does not fit
    if content is None:
        pytest.skip(f"{DATA / f'questionnaire_{language}.json'} is not written yet")
    for theme in Theme.objects.filter(questionnaire__code=shipped.CODE):
        assert getattr(theme, f"name_{language}") == content["themes"][theme.code]["name"]


def _open_round(world, questionnaire):
    return services.round_open(
        network=world.network,
        questionnaire=questionnaire,
        gathering=gatherings_of(world.network)[0],
        year=2010,
        user=world.users["facilitator"],
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_answer_page_reads_in_the_users_language_with_english_where_untranslated(
    files, world, client, language
):
    seed_questionnaire(*MODELS, data=files)
    questionnaire = Questionnaire.objects.get(code=shipped.CODE)
    untranslated = questionnaire.themes.get(code="inclusion")
    setattr(untranslated, f"name_{language}", "")
    untranslated.save()
    round_ = _open_round(world, questionnaire)
    chief = world.users["chief_executive"]
    chief.language = language
    chief.save(update_fields=["language"])
    client.force_login(chief)

    html = client.get(reverse("response_edit", args=[round_.pk, world.municipality.pk]))
    assert html.status_code == 200
    page = unescape(html.content.decode())
    content = _content(language)
    for code, theme in content["themes"].items():
        if code != "inclusion":
            assert theme["name"] in page
        for text in theme["questions"]:
            assert text in page
    assert "Social inclusion" in page  # the English name of the untranslated theme
    assert f"[{language}] Social inclusion" not in page
    assert content["levels"]["3"] in page


def test_the_key_figures_are_named_in_every_language_the_theme_is(files, world):
    seed_questionnaire(*MODELS, data=files)
    questionnaire = Questionnaire.objects.get(code=shipped.CODE)
    strategy = questionnaire.themes.get(code="strategy")
    strategy.name_es = ""  # untranslated: its key figure falls back to English in Spanish
    strategy.save()
    round_ = _open_round(world, questionnaire)
    answer_and_submit(
        round_,
        world.municipality,
        world.users["chief_executive"],
        every_answer(questionnaire, lambda q: 3),
    )
    services.round_close(round_=round_, user=world.users["facilitator"])

    indicator = Indicator.objects.get(code=services.indicator_code(questionnaire, "strategy"))
    assert indicator.name_en == f"Digital maturity: {strategy.name_en}"
    assert indicator.name_nb == f"Digital modenhet: {strategy.name_nb}"
    assert indicator.name_pt == f"Maturidade digital: {strategy.name_pt}"
    assert indicator.name_it == f"Maturità digitale: {strategy.name_it}"
    assert indicator.name_es == ""
    overall = Indicator.objects.get(code=services.indicator_code(questionnaire, "overall"))
    assert (overall.name_pt, overall.name_es, overall.name_it) == (
        shipped.OVERALL_NAME["pt"],
        shipped.OVERALL_NAME["es"],
        shipped.OVERALL_NAME["it"],
    )
    with translation.override("es"):
        assert indicator.name == f"Digital maturity: {strategy.name_en}"
    with translation.override("pt"):
        assert indicator.name == f"Maturidade digital: {strategy.name_pt}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_shipped_questionnaire_reads_in_each_language_on_the_round_pages(
    world, client, language
):
    content = read_translation(language)
    if content is None:
        pytest.skip(f"{DATA / f'questionnaire_{language}.json'} is not written yet")
    questionnaire = seed_first_questionnaire()  # as migrate left it: the files are loaded
    round_ = _open_round(world, questionnaire)
    chief = world.users["chief_executive"]
    answer_and_submit(round_, world.municipality, chief, every_answer(questionnaire, lambda q: 4))
    chief.language = language
    chief.save(update_fields=["language"])
    client.force_login(chief)

    form = unescape(
        client.get(
            reverse("response_edit", args=[round_.pk, world.municipality.pk])
        ).content.decode()
    )
    assert content["title"] in form
    for theme in content["themes"].values():
        assert theme["name"] in form
        assert all(text in form for text in theme["questions"])
    assert all(label in form for label in content["levels"].values())

    services.round_close(round_=round_, user=world.users["facilitator"])
    results = unescape(
        client.get(reverse("network_assessment", args=[world.network.pk])).content.decode()
    )
    for theme in content["themes"].values():
        assert f'<th scope="col" class="text-end">{theme["name"]}</th>' in results
    strategy = Indicator.objects.get(code=services.indicator_code(questionnaire, "strategy"))
    prefix = shipped.INDICATOR_PREFIX[language]
    assert getattr(strategy, f"name_{language}") == (
        f"{prefix}: {content['themes']['strategy']['name']}"
    )
