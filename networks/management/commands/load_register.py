from django.core.management.base import BaseCommand, CommandError

from networks.models import Municipality, MunicipalityCode, Region
from networks.register import (
    REGISTERS,
    UnknownRegister,
    register_load,
    register_load_code_history,
    register_spec,
)


class Command(BaseCommand):
    help = (
        "Load a country's municipal register (regions, municipalities, former codes) from the "
        "files shipped in networks/data/. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--country", help=f"the country's ISO code: one of {', '.join(REGISTERS)}"
        )
        which.add_argument("--all", action="store_true", help="every register")

    def handle(self, *args, **options):
        codes = list(REGISTERS) if options["all"] else [options["country"]]
        try:
            for code in codes:
                register_spec(code)
        except UnknownRegister as exc:
            raise CommandError(str(exc)) from exc
        for code in codes:
            country = register_load(code)
            codes_written = register_load_code_history(country)
            regions = Region.objects.filter(country=country).count()
            municipalities = Municipality.objects.filter(country=country).count()
            former = (
                MunicipalityCode.objects.filter(municipality__country=country)
                .exclude(last_year=None)
                .count()
            )
            self.stdout.write(
                f"{country.code} {country.name} ({country.code_scheme}, figures of "
                f"{country.register_year}): {regions} regions, {municipalities} municipalities, "
                f"{codes_written} codes with their years ({former} former)"
            )
