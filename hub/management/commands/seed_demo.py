from django.core.management.base import BaseCommand

from assessment.demo import seed_assessment
from benchmarking.demo import seed_keyfigures, seed_register_keyfigures
from benchmarking.demo_europe import seed_european_keyfigures
from benchmarking.feed_demo import seed_feeds
from community.demo import seed_community
from hub.demo_dates import backdate_demo
from networks.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_networks
from networks.demo_europe import DEMO_LOGINS as EUROPEAN_LOGINS
from networks.demo_europe import seed_european_pilots
from reports.demo import seed_narrative, seed_review_plan
from sessions_app.demo import seed_gatherings
from strategies.demo import seed_strategies


class Command(BaseCommand):
    help = (
        "Load the demo data: the CEMSDI programme, the registers of its five countries, the "
        "five Norwegian pilot networks and one illustrative pilot in each other country, and "
        "practices in the community's library. Safe "
        "to run again: it changes nothing the second time."
    )

    def handle(self, *args, **options):
        programme = seed_networks()
        seed_european_pilots()
        seed_gatherings()
        seed_keyfigures()
        seed_european_keyfigures()
        seed_feeds()  # configured, never run by themselves
        seed_register_keyfigures()
        seed_strategies()
        seed_assessment()
        seed_community()  # the library's practices read the strategies and the scores above
        seed_review_plan(programme)
        seed_narrative()  # the review report's narrative for months 1-12
        backdate_demo(programme)  # last: every record above dated in its pilot's time
        networks = programme.networks.count()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {programme}, {networks} networks."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, what in [*DEMO_LOGINS, *EUROPEAN_LOGINS]:
            self.stdout.write(f"  {username:<12} {what}")
