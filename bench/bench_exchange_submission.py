"""Submission page benchmark: the exchange's submission page against a bare view of
the same row, in one run.

    .venv/bin/python bench/bench_exchange_submission.py [--runs 200]

Uses the PostgreSQL database `mist_bench_exchange`. Makes one call with a rubric and
one submission written in both languages with 3 versions, 3 PDF attachments, 12
question-and-answer messages and 4 tags. Through Django's test client and the whole
middleware stack, signed in as the submitter, it requests alternately:
  - the real submission page /uk/exchange/submissions/<pk>/ (texts side by side with
    provenance, versions, documents, the Q&A thread, permissions, layout);
  - a bare view that reads the same submission row (with its organization) and
    renders its texts in a plain HTML table.
Prints p50 and p95 of each and their ratios. Target: within 3x of the bare view.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "mist_bench_exchange"
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_MODE", "eager")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"

BARE_TEMPLATE = """<!doctype html><html lang="uk"><head><meta charset="utf-8">
<title>bare</title></head><body><h1>{{ s.title }}</h1><p>{{ s.organization.name }}</p>
<table>{% for uk, en in pairs %}<tr><td>{{ uk|linebreaks }}</td><td>{{ en|linebreaks }}
</td></tr>{% endfor %}</table></body></html>"""


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bare_view(request, pk):
    from django.http import HttpResponse
    from django.template import Context, Template

    from exchange.models import TEXT_FIELDS, Submission

    s = Submission.objects.select_related("organization").get(pk=pk)
    pairs = [(getattr(s, f"{f}_uk"), getattr(s, f"{f}_en")) for f in TEXT_FIELDS]
    html = Template(BARE_TEMPLATE).render(Context({"s": s, "pairs": pairs}))
    return HttpResponse(html)


def ensure_database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def make_data():
    """One submitter and one rich submission (idempotent by e-mail and slug)."""
    import datetime
    import io
    import tempfile

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from pypdf import PdfWriter

    from accounts.models import Membership, Role, User
    from directory.models import Organization, Tag
    from exchange import services
    from exchange.models import PHASE_ORDER, Call, CallPhase, Criterion, Submission

    settings.PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    user, _ = User.objects.get_or_create(
        email="bench-submitter@example.org",
        defaults={"role": Role.EDITOR, "full_name": "Bench Submitter"},
    )
    organization, _ = Organization.objects.get_or_create(
        slug="bench-startup",
        defaults={
            "name_uk": "Бенч стартап",
            "name_en": "Bench startup",
            "kind": "startup",
            "verification": "verified",
            "verified_at": timezone.now(),
        },
    )
    Membership.objects.get_or_create(user=user, organization=organization)
    Submission.objects.filter(organization=organization).delete()
    Call.objects.filter(slug="bench-call").delete()
    organizer, _ = Organization.objects.get_or_create(
        slug="bench-organizer",
        defaults={"name_uk": "Організатор", "kind": "foreign_partner", "country": "US"},
    )
    call = Call.objects.create(
        organizer=organizer,
        slug="bench-call",
        title_uk="Бенч конкурс",
        title_en="Bench call",
        time_zone="America/Denver",
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=30),
        phase=Call.Phase.SUBMISSION,
    )
    CallPhase.objects.bulk_create(CallPhase.default_for(call, p) for p in PHASE_ORDER)
    for i in range(5):
        Criterion.objects.create(call=call, name_uk=f"Критерій {i}", position=i)
    text = "Харківська команда будує відкриті рішення для міста. " * 12
    fields = {
        f"{f}_{lang}": f"{f} {lang}: {text}"
        for f in ("summary", "problem", "solution", "team")
        for lang in ("uk", "en")
    }
    submission = services.create_submission(
        call,
        organization,
        by=user,
        title_uk="Розумні зупинки",
        title_en="Smart bus stops",
        stage="prototype",
        asks=["funding", "pilot"],
        funding_amount=50000,
        funding_currency="USD",
        links=["https://example.org/demo"],
        tags=list(Tag.objects.all()[:4]),
        **fields,
    )
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    for n in range(3):
        services.upload_attachment(
            submission, SimpleUploadedFile(f"doc-{n}.pdf", out.getvalue()), by=user
        )
    services.submit_submission(submission, by=user)
    for n in range(2):
        services.update_submission(
            submission, by=user, solution_uk=f"Рішення, версія {n + 2}. {text}"
        )
    for n in range(12):
        services.post_message(submission, f"Повідомлення {n}. {text[:200]}", by=user)
    return user, submission


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import clear_url_caches, path

    import config.urls

    call_command("migrate", verbosity=0)
    user, submission = make_data()

    module = sys.modules[__name__]
    module.urlpatterns = [path("bare/<int:pk>/", bare_view), *config.urls.urlpatterns]
    settings.ROOT_URLCONF = module
    clear_url_caches()

    client = Client()
    client.force_login(user)
    page_url = f"/uk/exchange/submissions/{submission.pk}/"
    bare_url = f"/bare/{submission.pk}/"
    page_times, bare_times = [], []
    for run in range(args.runs + 10):
        timings = {}
        order = ("page", "bare") if run % 2 else ("bare", "page")
        for which in order:
            url = page_url if which == "page" else bare_url
            began = time.perf_counter()
            response = client.get(url)
            timings[which] = time.perf_counter() - began
            assert response.status_code == 200, (url, response.status_code)
        if run >= 10:
            page_times.append(timings["page"] * 1000)
            bare_times.append(timings["bare"] * 1000)

    p50_page, p95_page = percentile(page_times, 0.5), percentile(page_times, 0.95)
    p50_bare, p95_bare = percentile(bare_times, 0.5), percentile(bare_times, 0.95)
    print(f"runs: {len(page_times)}")
    print(f"bare view        p50 {p50_bare:7.1f} ms   p95 {p95_bare:7.1f} ms")
    print(f"submission page  p50 {p50_page:7.1f} ms   p95 {p95_page:7.1f} ms")
    print(
        f"ratio page/bare  p50 {p50_page / p50_bare:.2f}x   "
        f"p95 {p95_page / p95_bare:.2f}x  (target 3x)"
    )


if __name__ == "__main__":
    main()
