from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmarking.imports import ImportRefused, import_apply, import_preview, import_refusal
from benchmarking.readers import ReadOptions

# How this command takes what a file may not say itself (readers.ReadOptions' fields).
OPTIONS = {
    "indicator_code": "--indicator CODE",
    "indicator_name": "--name NAME",
    "unit": "--unit UNIT",
    "sheet": "--sheet SHEET",
}


class Command(BaseCommand):
    help = (
        "Import key figures from a CSV, Excel (.xlsx) or JSON-stat file. Shows what would "
        "change, then saves it all or nothing. Running it again on the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--indicator", default="", help="indicator code, for a CSV without one")
        parser.add_argument("--name", default="", help="the indicator's name")
        parser.add_argument("--unit", default="", help="the indicator's unit")
        parser.add_argument("--sheet", default="", help="the Excel sheet (default: the first)")
        parser.add_argument(
            "--higher-is-better", choices=["yes", "no"], help="which direction is better"
        )
        parser.add_argument(
            "--allow-unmapped",
            action="store_true",
            help="import the rows that map even if some codes or periods do not",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would change and save nothing; refuses what the real run refuses",
        )

    def handle(self, *args, path: Path, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        read_options = ReadOptions(
            indicator_code=options["indicator"],
            indicator_name=options["name"],
            unit=options["unit"],
            sheet=options["sheet"],
        )
        better = {"yes": True, "no": False}.get(options["higher_is_better"])
        preview = import_preview(data, path.name, read_options, higher_is_better=better)
        if preview.file_format:  # the file could be read: say what is in it
            self._report(path, preview)
        refusal = import_refusal(preview, allow_unmapped=options["allow_unmapped"])
        if refusal:
            # A dry run refuses what the real run would refuse, with the same words.
            for option in preview.options_missing:
                self.stderr.write(f"On the command line: {OPTIONS[option]}.")
            raise CommandError(f"{refusal} Nothing was imported.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
            return
        try:
            import_apply(preview, allow_unmapped=options["allow_unmapped"])
        except ImportRefused as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        self.stdout.write(self.style.SUCCESS("Imported."))

    def _report(self, path: Path, preview) -> None:
        self.stdout.write(
            f"{path.name} ({preview.file_format}): "
            f"{len(preview.indicators_new)} new and {len(preview.indicators_known)} known "
            f"indicators; {preview.observations_new} new, {preview.observations_changed} changed "
            f"and {preview.observations_unchanged} unchanged values; "
            f"{preview.references} reference values."
        )
        for note in preview.notes:
            self.stdout.write(f"  {note}")
        for item in preview.unmapped:
            label = f" {item.label}" if item.label else ""
            self.stdout.write(f"  not mapped: {item.code}{label} ({item.rows} rows): {item.reason}")
