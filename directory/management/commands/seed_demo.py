from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import Role
from directory import demo


class Command(BaseCommand):
    help = (
        "Load the synthetic demo ecosystem of Kharkiv (once) and print the demo "
        "logins, one per role."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.SEED,
            help="Random seed; the same seed gives the same organizations.",
        )

    def handle(self, *args, seed, **options):
        result = demo.seed_demo(seed=seed)
        self.print_logins()
        if result.organizations_created:
            summary = _(
                "Demo data: created %(organizations)d organizations "
                "(%(kinds)d kinds), %(users)d logins and %(memberships)d "
                "editor memberships."
            ) % {
                "organizations": result.organizations_created,
                "kinds": len(result.by_kind),
                "users": result.users_created,
                "memberships": result.memberships_created,
            }
        else:
            summary = _(
                "Demo data already present: kept %(organizations)d organizations; "
                "created %(users)d logins and %(memberships)d editor memberships."
            ) % {
                "organizations": result.organizations_existing,
                "users": result.users_created,
                "memberships": result.memberships_created,
            }
        self.stdout.write(self.style.SUCCESS(summary))
        for dotted in settings.MIST_DEMO_SEEDERS:
            # The apps above the directory seed their own demo data (they may import
            # the directory; the directory must not import them).
            app_summary = import_string(dotted)()
            if app_summary:
                self.stdout.write(self.style.SUCCESS(app_summary))

    def print_logins(self):
        rows = [
            (str(Role(role).label), email, demo.DEMO_PASSWORD)
            for role, email, _name, _language in demo.DEMO_ACCOUNTS
        ]
        header = (_("Role"), _("E-mail"), _("Password"))
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        line = "  ".join("-" * width for width in widths)
        self.stdout.write(_("Demo logins (one per role):"))
        for row in [header, None, *rows]:
            if row is None:
                self.stdout.write(line)
                continue
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(
            _("Open %(url)s and sign in with one of them.") % {"url": demo.site_url()}
        )
        self.stdout.write(
            _(
                "The platform admin, cluster staff, city officer and reviewer set up "
                "two-factor sign-in (any authenticator app) on their first sign-in."
            )
        )
