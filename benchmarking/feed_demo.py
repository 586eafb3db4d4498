"""Demo statistics feeds: configured as an administrator would, never run by themselves
(``scheduled`` off), since the demo has no network at run time. Their base URLs are the real
sources' (settings), so "Fetch now" on a machine online asks SSB. Seeding again changes
nothing; the demo's figures are untouched."""

from networks.models import Country

from .feed_models import StatisticsFeed

KOSTRA_RELEASES = [3, 6]  # KOSTRA publishes in March (unrevised) and June (final)


def seed_feeds() -> None:
    norway = Country.objects.filter(code="NO").first()
    StatisticsFeed.objects.get_or_create(
        name="SSB 12134 free income",
        defaults={
            "source": StatisticsFeed.Source.SSB,
            "table_id": "12134",
            "indicator_codes": ["KOSAG110000"],
            "region_variable": "KOKkommuneregion0000",
            "country": norway,
            "latest_years": 3,
            "release_months": KOSTRA_RELEASES,
            "release_day": 15,
            "scheduled": False,
        },
    )
    StatisticsFeed.objects.get_or_create(
        name="KLASS KOSTRA groups",
        defaults={
            "source": StatisticsFeed.Source.KLASS,
            "years": [2025],
            "release_months": [1],
            "release_day": 2,
            "scheduled": False,
        },
    )
