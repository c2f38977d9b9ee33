"""Export the published portfolio as an OC4IDS 0.9 project package."""

from pathlib import Path

from django.core.management.base import BaseCommand

from investments.oc4ids import export


class Command(BaseCommand):
    help = "Print (or write to --output) the OC4IDS project package in one language."

    def add_arguments(self, parser):
        parser.add_argument("--language", choices=export.LANGUAGES, default="en")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--base-url", help="site address (default: SITE_URL)")

    def handle(self, *args, language, output, base_url, **options):
        package = export.build_package(language, base_url=base_url)
        text = export.package_json(package)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(
                f"{len(package['projects'])} projects ({language}) written to {output}"
            )
        else:
            self.stdout.write(text, ending="")
