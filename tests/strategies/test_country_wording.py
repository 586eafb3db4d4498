"""Norway's strategies are eKommune strategies; another country's are digital municipality
strategies, in their titles, guidance, pages and PDF."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Country, Role
from strategies.models import Section
from tests import factories as f

from .helpers import section, start

pytestmark = pytest.mark.django_db


def portuguese(world):
    """A network in Portugal, working in English, with one member and its chief executive."""
    region = f.RegionFactory(country=Country.objects.get(code="PT"))
    municipality = f.MunicipalityFactory(region=region, name="Évora")
    network = f.NetworkFactory(
        programme=world.programme, region=region, members=[municipality], language="en"
    )
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)
    return network, municipality, chief


def test_a_portuguese_strategy_is_a_digital_municipality_strategy(client, world):
    network, municipality, chief = portuguese(world)
    strategy = start(world, municipality, network=network, user=chief)

    assert strategy.title == "Digital municipality strategy for Évora"
    client.force_login(chief)
    page = client.get(
        reverse("strategy_detail", args=[strategy.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "basic elements of a digital municipality strategy" in page
    assert "eKommune" not in page

    edit = client.get(
        reverse("section_edit", args=[section(strategy).pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "basic elements of a digital municipality strategy" in edit

    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your digital municipality strategy" in home
    overview = client.get(
        reverse("network_strategies", args=[network.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Digital municipality strategies and action plans" in overview


def test_a_norwegian_strategy_stays_an_ekommune_strategy(client, world):
    world.network.language = "en"
    world.network.save()
    strategy = start(world, user=world.users["chief_executive"])
    assert strategy.title == f"eKommune strategy for {world.municipality.name}"
    client.force_login(world.users["chief_executive"])
    page = client.get(
        reverse("strategy_detail", args=[strategy.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "basic elements of an eKommune strategy" in page


def test_the_strategy_page_keeps_its_queries_flat_with_the_country(client, world):
    network, municipality, chief = portuguese(world)
    strategy = start(world, municipality, network=network, user=chief)
    client.force_login(chief)
    url = reverse("strategy_detail", args=[strategy.pk])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for position in range(3):
        Section.objects.create(
            strategy=strategy,
            kind=Section.Kind.OWN,
            title=f"Own {position}",
            position=50 + position,
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_the_strategy_pdf_speaks_of_the_countrys_strategy(world):
    from django.template.loader import render_to_string
    from django.utils import translation

    from reports import documents

    network, municipality, chief = portuguese(world)
    start(world, municipality, network=network, user=chief)
    with translation.override("en"):
        document = documents.strategy_document(network, municipality)
        html = render_to_string(document.template, {**document.context, "document": document})
    assert document.subtitle == (
        f"Digital municipality strategy and action plan of {municipality.name}"
    )
    assert "as the municipality&#x27;s digital municipality strategy" in html or (
        "as the municipality's digital municipality strategy" in html
    )
    assert "eKommune" not in html


def test_costs_are_in_the_municipalitys_currency_on_the_measure_form_and_pdf(client, world):
    """A Portuguese plan's costs are in euros, a Norwegian plan's in kroner: the measure's
    form and the strategy's PDF name the currency of the municipality's country."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from reports import documents

    network, municipality, chief = portuguese(world)
    evora = start(world, municipality, network=network, user=chief)
    f.MeasureFactory(strategy=evora, title="Balcão único digital")
    alta = start(world, user=world.users["chief_executive"])
    cases = [(evora, chief, "EUR", "NOK"), (alta, world.users["chief_executive"], "NOK", "EUR")]
    for strategy, editor, currency, other in cases:
        client.force_login(editor)
        form = client.get(
            reverse("measure_create", args=[strategy.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        assert f"Cost estimate ({currency})" in form
        assert f"Cost estimate ({other})" not in form

    with translation.override("en"):
        document = documents.strategy_document(network, municipality)
        html = render_to_string(document.template, {**document.context, "document": document})
    assert "Cost estimate (EUR)" in html
    assert "NOK" not in html
