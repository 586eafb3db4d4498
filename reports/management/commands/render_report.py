"""Render a report in this process, for operators and tests:

    python manage.py render_report programme CEMSDI --output review.pdf
    python manage.py render_report programme CEMSDI --output outcome.json   (or .csv)
    python manage.py render_report network 3 --output network.pdf
    python manage.py render_report position 5601 --network 3 --output alta.pdf
    python manage.py render_report strategy 5601 --network 3 --output strategy.pdf

The subject is a programme's acronym or id, a network's id or name, a municipality's code or
id; without one, the only programme. What is written follows the file's extension: the PDF,
or the programme's outcome figures as JSON or CSV.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from networks.models import Municipality, Network, Programme

from ... import figures, services
from ...models import ReportRequest

Kind = ReportRequest.Kind


def _one(queryset, text, what):
    found = list(queryset[:2])
    if len(found) != 1:
        raise CommandError(
            f"No {what} matches {text!r}." if not found else f"{text!r} names several {what}s."
        )
    return found[0]


class Command(BaseCommand):
    help = "Render a review report (PDF) or the programme's outcome figures (JSON, CSV)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Kind.values)
        parser.add_argument("subject", nargs="?", default="")
        parser.add_argument("--output", "-o", required=True, help="FILE.pdf, FILE.json or FILE.csv")
        parser.add_argument("--network", default="", help="the network (strategy, position)")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[c for c, _n in settings.LANGUAGES],
        )

    def _programme(self, text):
        if not text:
            return _one(Programme.objects.all(), "(none given)", "programme")
        lookup = {"pk": int(text)} if text.isdigit() else {"acronym__iexact": text}
        return _one(Programme.objects.filter(**lookup), text, "programme")

    def _network(self, text):
        lookup = {"pk": int(text)} if text.isdigit() else {"name__iexact": text}
        return _one(Network.objects.filter(**lookup), text, "network")

    def _municipality(self, text):
        found = Municipality.objects.filter(code=text)
        if not found.exists() and text.isdigit():
            found = Municipality.objects.filter(pk=int(text))
        return _one(found, text, "municipality")

    def _subject(self, report, kind, subject, network):
        """Set the report's programme, network or municipality from the command line."""
        if kind == Kind.PROGRAMME:
            report.programme = self._programme(subject)
            return
        if kind == Kind.NETWORK:
            if not subject:
                raise CommandError("Name the network (its id or name).")
            report.network = self._network(subject)
            return
        if not subject:
            raise CommandError("Name the municipality (its code or id).")
        report.municipality = self._municipality(subject)
        if network:
            report.network = self._network(network)
        elif kind == Kind.STRATEGY:
            raise CommandError("A strategy belongs to a network: add --network.")

    def _write_pdf(self, report, path):
        try:
            _document, rendered = services.render_document(report)
        except services.documents.SubjectGone as exc:
            raise CommandError("There is nothing to report on (no strategy yet?).") from exc
        path.write_bytes(rendered.content)
        self.stdout.write(f"Wrote {path} ({rendered.page_count} pages).")

    def _write_figures(self, report, path, suffix):
        with translation.override(report.language):
            outcome = figures.programme_outcome(programme=report.programme)
            write = figures.outcome_json if suffix == ".json" else figures.outcome_csv
            path.write_bytes(write(outcome))
        self.stdout.write(f"Wrote {path}.")

    def handle(self, *args, kind, subject, output, network, language, **options):
        path = Path(output)
        suffix = path.suffix.lower()
        if suffix not in {".pdf", ".json", ".csv"}:
            raise CommandError("The output file must end in .pdf, .json or .csv.")
        if suffix != ".pdf" and kind != Kind.PROGRAMME:
            raise CommandError(
                "JSON and CSV hold the programme's outcome figures: use 'programme'."
            )
        report = ReportRequest(kind=kind, language=language)
        self._subject(report, kind, subject, network)
        report.language = services.report_language(requested=language)
        if suffix == ".pdf":
            self._write_pdf(report, path)
        else:
            self._write_figures(report, path, suffix)
