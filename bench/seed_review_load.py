"""Review data and sign-ins for bench/bench_production_load.py.

    DATABASE_URL=postgres://… .venv/bin/python bench/seed_review_load.py PASSWORD

One call with `--submissions` submissions and three submitted reviews each
(bench/bench_review_dashboard.py's generator: 2,000 submissions, 6,000 reviews,
24,000 scores by default); the call's staff user and its first reviewer get
PASSWORD and a confirmed authenticator (a django-otp TOTP device with a key printed
here) so that the bench signs them in through the real login form and the real
second-factor page. Prints one JSON object: the call's slug, the users' e-mails and
keys, a submission assigned to the reviewer.
"""

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("password")
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--reviewers", type=int, default=200)
    parser.add_argument("--per-submission", type=int, default=3)
    args = parser.parse_args()

    # bench_review_dashboard points DATABASE_URL at its own database on import.
    database_url = os.environ["DATABASE_URL"]
    from bench import bench_review_dashboard as generator

    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reviews.models import Assignment

    staff = generator.make_data(args.submissions, args.reviewers, args.per_submission)
    assignment = (
        Assignment.objects.filter(submission__call__slug=generator.SLUG)
        .select_related("call_reviewer__user")
        .order_by("call_reviewer_id", "submission_id")
        .first()
    )
    reviewer = assignment.call_reviewer.user
    keys = {}
    for user in (staff, reviewer):
        user.set_password(args.password)
        user.save(update_fields=["password"])
        key = secrets.token_hex(20)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True, key=key)
        keys[user.email] = key
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "call": generator.SLUG,
                "staff": staff.email,
                "reviewer": reviewer.email,
                "keys": keys,
                "submission": assignment.submission_id,
            }
        )
    )


if __name__ == "__main__":
    main()
