from django.core.management.base import BaseCommand, CommandError

from networks.models import Country


class Command(BaseCommand):
    help = (
        "Compute the similar municipalities (nearest neighbours by structural key figures) "
        "of every country, or of those named, again. With --register-year, first store the "
        "register's population, area and density as key figures of that year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", action="append", default=[], help="ISO code, e.g. NO")
        parser.add_argument("--register-year", type=int, default=None)

    def handle(self, *args, country, register_year, **options):
        from benchmarking import services, similar

        countries = Country.objects.order_by("code")
        if country:
            wanted = {c.upper() for c in country}
            countries = countries.filter(code__in=wanted)
            missing = wanted - set(countries.values_list("code", flat=True))
            if missing:
                raise CommandError(f"No country with the code {', '.join(sorted(missing))}.")
        if register_year is not None:
            for each in countries:
                count = services.register_keyfigures_write(
                    country=each, year=register_year, source=f"Register ({register_year})"
                )
                self.stdout.write(f"{each.code}: {count} register figures for {register_year}.")
        stored = similar.similar_refresh(country_ids=list(countries.values_list("pk", flat=True)))
        self.stdout.write(self.style.SUCCESS(f"{stored} similar municipalities stored."))
