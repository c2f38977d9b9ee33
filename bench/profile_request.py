"""Where one signed-in request's time goes: each middleware's own time, then a
cProfile of the same requests.

    DATABASE_URL=postgres://… DJANGO_SETTINGS_MODULE=bench.prod_settings \
        .venv/bin/python bench/profile_request.py [--path /uk/] [--requests 300]

Runs in-process through Django's WSGI handler (what the app server calls: the same
middleware, and the request_started/finished signals that check and close database
connections), DEBUG off, persistent connections, signed in as the demo editor
through the login form with the test client (`manage.py seed_demo` first). Prints
ms per request for each middleware alone (its time minus the layers inside it),
the view, and the functions that take most of the time.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.prod_settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # request lines to the console
os.environ.setdefault("CONN_MAX_AGE", "60")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/uk/")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--email", default="editor@mist.local")
    parser.add_argument("--anonymous", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--save", help="write the cProfile stats to this file")
    parser.add_argument(
        "--totp-verified",
        action="store_true",
        help="mark the session's second factor as passed (staff, reviewers)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client, RequestFactory
    from django.utils.module_loading import import_string

    from directory.demo import DEMO_PASSWORD

    # Each middleware's inclusive time per call, by wrapping its class's __call__.
    inclusive: dict[str, float] = dict.fromkeys(settings.MIDDLEWARE, 0.0)
    for name in settings.MIDDLEWARE:
        cls = import_string(name)

        def timed(self, request, _call=cls.__call__, _name=name):
            started = time.perf_counter()
            try:
                return _call(self, request)
            finally:
                inclusive[_name] += time.perf_counter() - started

        cls.__call__ = timed

    client = Client(HTTP_HOST="127.0.0.1")
    if args.totp_verified:
        # Staff and reviewers owe a second factor: stand for a finished sign-in.
        from accounts import two_factor
        from accounts.models import User

        user = User.objects.get(email=args.email)
        client.force_login(user)
        session = client.session
        session[two_factor.VERIFIED_KEY] = user.pk
        session.save()
    elif not args.anonymous:
        login = client.get("/uk/accounts/login/")
        assert login.status_code == 200, login.status_code
        response = client.post(
            "/uk/accounts/login/",
            {"username": args.email, "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302, response.status_code
    cookie = "; ".join(f"{k}={m.value}" for k, m in client.cookies.items())
    handler = WSGIHandler()
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    def get():
        environ = RequestFactory()._base_environ(
            PATH_INFO=args.path,
            REQUEST_METHOD="GET",
            HTTP_COOKIE=cookie,
            HTTP_HOST="127.0.0.1",
        )
        response = handler(environ, start_response)
        b"".join(response)
        response.close()  # request_finished, as the app server does

    for _ in range(30):  # warm caches, templates, translations, connection
        get()
    assert statuses[-1].startswith("200"), statuses[-1]

    cpu_ms = [0.0]  # this process's CPU per request: no waiting on the servers

    def run(count):
        for key in inclusive:
            inclusive[key] = 0.0
        began, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            get()
        cpu_ms[0] = (time.process_time() - cpu) * 1000 / count
        return (time.perf_counter() - began) * 1000 / count

    total = run(args.requests)
    names = list(settings.MIDDLEWARE)
    print(
        f"{args.path} signed in: {not args.anonymous}; {total:.2f} ms per request, "
        f"{cpu_ms[0]:.2f} ms of it on this process's CPU"
    )
    print(f"  {'layer':<60} {'own ms':>7}")
    for index, name in enumerate(names):
        inner = inclusive[names[index + 1]] if index + 1 < len(names) else 0.0
        own = (inclusive[name] - inner) * 1000 / args.requests
        print(f"  {name:<60} {own:>7.2f}")
    view = inclusive[names[-1]] * 1000 / args.requests
    outside = total - inclusive[names[0]] * 1000 / args.requests
    print(f"  {'view (and process_view hooks, template rendering)':<60} {view:>7.2f}")
    print(f"  {'handler and test client outside the middleware':<60} {outside:>7.2f}")

    profiler = cProfile.Profile()
    profiler.enable()
    run(args.requests)
    profiler.disable()
    stats = pstats.Stats(profiler)
    if args.save:
        stats.dump_stats(args.save)
    # Round trips per request: database statements (Django's and the health check's)
    # and cache commands (sessions on a shared cache).
    trips = {"PostgreSQL statements": 0, "Redis commands": 0}
    for (filename, _line, function), row in stats.stats.items():
        if function == "execute" and filename.endswith("psycopg/cursor.py"):
            trips["PostgreSQL statements"] += row[1]
        if function == "_execute_command" and filename.endswith("redis/client.py"):
            trips["Redis commands"] += row[1]
    for label, calls in trips.items():
        print(f"  {label} per request: {calls / args.requests:.2f}")
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
