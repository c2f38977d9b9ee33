"""Production load benchmark: Mist on its app server and PostgreSQL, page by page
against a bare Django project reading the same rows, then a database restart under
load.

    .venv/bin/python bench/bench_production_load.py [--requests 10000]
    .venv/bin/python bench/bench_production_load.py --page-requests 300 \
        --requests 1800 --hello-requests 1500 --restart-scenarios ''
    .venv/bin/python bench/bench_production_load.py --page-requests 0 \
        --requests 0 --restart-scenarios ''   # the fixed cost of a request alone

Everything runs on loopback and is its own: a PostgreSQL cluster made here with
initdb in a temporary directory on a free port (run as the `postgres` user when this
script runs as root; the shared server on 5432 is never touched), migrated and
seeded (`manage.py seed_demo`; bench/seed_review_load.py: one call with
`--submissions` submissions and three submitted reviews each, the generator of
bench/bench_review_dashboard.py, its organizer (staff) and one reviewer given the
demo password and an authenticator; plus `--organizations` synthetic organizations
from bench/make_organizations.py), static files collected with the manifest storage
into a temporary STATIC_ROOT, a Redis server of its own as the shared cache
(CACHE_URL, so sessions are cached_db as in production), and two granian servers
with the same workers:
  - Mist: `granian --interface wsgi --workers 2 --blocking-threads 4
    config.wsgi:application` (threads as in docs/deploy.md; `--workers`,
    `--blocking-threads`) with DEBUG off, settings bench.prod_settings
    (config.settings + CONN_MAX_AGE and CONN_HEALTH_CHECKS from the environment,
    and the hello pages' URLs),
    TASKS_MODE=thread, API_ANON_RATE and API_USER_RATE raised (per second) so the
    throttles (both count anonymous requests by address) do not answer 429, and the
    anonymous page cache (core.pagecache) as the settings have it with Redis
    unless `--page-cache-seconds` says (0: off, every page rendered);
  - bare: bench/bare/, no project apps and one middleware (sessions): a counterpart
    of each page below that reads the same rows from the same tables with plain
    SQL and answers a plain HTML table or JSON (bench/bare/views.py), with its own
    plain login view over the same accounts_user rows and password hashes.

0. Pages (issue 16): each page alone against its bare counterpart — the directory
   and an organization's page, the investment catalogue and a project's page, the
   events list and an event's page, a submission's page as its organizer (staff)
   and as its reviewer, the review form, the organizers' dashboard (its default
   page and all rows), the organizations, investment projects and events API
   lists. Mist signs in through its real login form and the real second-factor
   page (the authenticator's code computed here from the device key); bare through
   its own login view. `--page-requests` per page and side (1/2 for the dashboard,
   1/10 for all its rows) in `--page-rounds` rounds, Mist and bare alternating
   block by block (and which goes first). Prints per page worker-ms per request
   (workers x seconds / requests), p50/p95/p99, mean response size, and the ratio
   Mist/bare (targets: 3x, the dashboard 1.5x).
1. Load (issue 10): a closed loop of `--concurrency` keep-alive HTTP/1.1 clients
   sends `--requests` requests to Mist, cycling over the public pages and API lists
   above, and as many to their bare counterparts, in alternating blocks so both see
   the same machine. Prints throughput, the ratio Mist/bare (target >= 60%),
   p50/p95/p99 and response sizes per page, and errors (target 0).
2. Fixed cost: Mist's two signed-in "hello" pages (bench/mist_urls.py: plain text,
   and inside base.html; signed in as the demo editor through the login form)
   against the bare project's hello, `--hello-requests` each in alternating
   blocks. Prints worker-ms per request (workers x 1000 / throughput) and Mist's
   extra over the bare hello (issue 16's target: within 2 ms). With `--baseline`, a
   third Mist server with the earlier database session store and `SELECT 1`
   connection check joins the alternation: the same run shows what those cost.
3. Database restart: the same load against Mist only; after `--restart-before`
   seconds the cluster is restarted (`pg_ctl restart -m fast`), the load goes on for
   `--restart-after` seconds. Prints the window (from the restart command to the
   database accepting connections again), the requests that failed in it (count and
   status codes) and any 500 answered to a request sent after the database was back
   (target 0). Run once per `--restart-scenarios` entry: CONN_MAX_AGE=60 with health
   checks (production), CONN_MAX_AGE=0, and 60 without health checks.

Every process started here and the temporary cluster are removed at the end.
"""

import argparse
import collections
import contextlib
import datetime
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GRANIAN = str(Path(sys.executable).parent / "granian")
MIST_APP = "config.wsgi:application"
BARE_APP = "bench.bare.wsgi:application"
THROUGHPUT_TARGET = 0.60
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"

# Issue 10's mixed load: the main public pages and API lists, each against its bare
# counterpart (bench/bare/views.py). "{slug}" cycles over public organizations;
# "{project}" and "{event}" are one public project and one listed event.
MIST_PAGES = [
    ("directory", "/uk/directory/"),
    ("organization", "/uk/directory/o/{slug}/"),
    ("investments", "/uk/investments/"),
    ("project", "/uk/investments/projects/{project}/"),
    ("events", "/uk/events/"),
    ("event", "/uk/events/e/{event}/"),
    ("api organizations", "/api/v1/organizations/"),
    ("api investment projects", "/api/v1/investment-projects/"),
    ("api events", "/api/v1/events/"),
]
BARE_PAGES = [
    ("directory", "/bare/directory/"),
    ("organization", "/bare/directory/o/{slug}/"),
    ("investments", "/bare/investments/"),
    ("project", "/bare/investments/projects/{project}/"),
    ("events", "/bare/events/"),
    ("event", "/bare/events/e/{event}/"),
    ("api organizations", "/bare/api/organizations.json"),
    ("api investment projects", "/bare/api/investment-projects.json"),
    ("api events", "/bare/api/events.json"),
]
# Issue 16's pages, one by one against their bare counterparts: (name, Mist path,
# bare path, who signs in: None, "staff" (the call's organizer) or "reviewer",
# weight: the share of --page-requests a heavy page gets is 1/weight).
PAGES = [
    ("directory", "/uk/directory/", "/bare/directory/", None, 1),
    ("organization", "/uk/directory/o/{slug}/", "/bare/directory/o/{slug}/", None, 1),
    ("investments", "/uk/investments/", "/bare/investments/", None, 1),
    (
        "project",
        "/uk/investments/projects/{project}/",
        "/bare/investments/projects/{project}/",
        None,
        1,
    ),
    ("events", "/uk/events/", "/bare/events/", None, 1),
    ("event", "/uk/events/e/{event}/", "/bare/events/e/{event}/", None, 1),
    (
        "submission (organizer)",
        "/uk/exchange/submissions/{submission}/",
        "/bare/submissions/{submission}/",
        "staff",
        1,
    ),
    (
        "submission (reviewer)",
        "/uk/exchange/submissions/{submission}/",
        "/bare/submissions/{submission}/",
        "reviewer",
        1,
    ),
    (
        "review form",
        "/uk/reviews/submissions/{submission}/",
        "/bare/reviews/submissions/{submission}/",
        "reviewer",
        1,
    ),
    (
        "dashboard",
        "/uk/reviews/calls/{call}/",
        "/bare/reviews/calls/{call}/",
        "staff",
        2,
    ),
    (
        "dashboard, all rows",
        "/uk/reviews/calls/{call}/?per_page=2000",
        "/bare/reviews/calls/{call}/?per_page=2000",
        "staff",
        10,
    ),
    (
        "api organizations",
        "/api/v1/organizations/",
        "/bare/api/organizations.json",
        None,
        1,
    ),
    (
        "api investment projects",
        "/api/v1/investment-projects/",
        "/bare/api/investment-projects.json",
        None,
        1,
    ),
    ("api events", "/api/v1/events/", "/bare/api/events.json", None, 1),
]
PAGE_TARGET = 3.0
DASHBOARD_TARGET = 1.5
TWO_FACTOR_PATH = "/uk/accounts/two-factor/verify/"
BARE_LOGIN_PATH = "/bare/login/"
# The fixed cost of a signed-in request (bench/mist_urls.py) against the bare hello.
LOGIN_PATH = "/uk/accounts/login/"
HELLO_EMAIL = "editor@mist.local"  # a demo user who signs in without a second factor
HELLO_PAGES = [
    ("mist hello", "/uk/bench/hello/"),
    ("mist hello page", "/uk/bench/hello-page/"),
]
BARE_HELLO = ("bare hello", "/bare/hello/")
HELLO_TARGET_MS = 2.0
HELLO_NOTES = {
    "mist hello page": "with base.html",
    "baseline hello": "db sessions, SELECT 1 check",
}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clock(monotonic: float) -> str:
    """A monotonic instant as UTC wall time with milliseconds."""
    wall = time.time() - (time.monotonic() - monotonic)
    moment = datetime.datetime.fromtimestamp(wall, tz=datetime.UTC)
    return moment.strftime("%H:%M:%S.%f")[:-3]


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Cluster:
    """A PostgreSQL cluster of our own in `base`, on a free loopback port."""

    def __init__(self, base: Path):
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda p: int(p.parent.parent.name),
        )
        if not versions:
            sys.exit("initdb not found under /usr/lib/postgresql/*/bin/")
        self.bin = versions[-1].parent
        self.home = base / "pg"
        self.data = self.home / "data"
        self.sockets = self.home / "sockets"
        self.log = self.home / "postgres.log"
        self.port = free_port()
        # initdb and postgres refuse to run as root.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/mist"

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), *args]
        # The server inherits pg_ctl's output: send it to the log, never to a pipe
        # we would wait on.
        return subprocess.run(
            command,
            check=check,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )

    def create(self) -> None:
        self.sockets.mkdir(parents=True)
        if self.as_user:
            shutil.chown(self.home, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        subprocess.run(
            [
                *self.as_user,
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            "-c max_connections=100"
        )
        self.pg_ctl("-l", str(self.log), "-w", "-o", options, "start")
        self.started = True
        subprocess.run(
            [
                str(self.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "mist",
            ],
            check=True,
            capture_output=True,
        )

    def restart(self) -> None:
        """Fast restart (active sessions ended); returns once connections are taken."""
        self.pg_ctl("-l", str(self.log), "-w", "-m", "fast", "restart")

    def destroy(self) -> None:
        if self.started:
            self.pg_ctl("-m", "immediate", "-w", "stop", check=False)
            self.started = False


class Redis:
    """A Redis server of our own (the shared cache of docs/deploy.md's CACHE_URL,
    so sessions are cached as in production), on a free loopback port."""

    def __init__(self, base: Path):
        self.port = free_port()
        self.home = base / "redis"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.home.mkdir()
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.home)]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


class Server:
    """One granian process group serving a WSGI application on a free port."""

    # Threads per worker, as docs/deploy.md runs granian (its default allows 256, each
    # with its own persistent database connection).
    blocking_threads = 4

    def __init__(self, name: str, app: str, env: dict, workers: int, log: Path):
        self.name, self.app, self.env, self.workers, self.log = (
            name,
            app,
            env,
            workers,
            log,
        )
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server's processes (granian
        and its workers, one process group): what its requests cost the machine,
        whatever else the machine is running."""
        if self.process is None:
            return 0.0
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            fields = text[text.rindex(")") + 2 :].split()
            if int(fields[2]) == self.process.pid:  # process group
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def start(self, ready_path: str, timeout: float = 90) -> None:
        command = [GRANIAN, "--interface", "wsgi", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", str(self.workers)]
        command += ["--blocking-threads", str(self.blocking_threads), self.app]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{tail(self.log)}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, 5)
                connection.request("GET", ready_path)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status == 200:
                    return
                raise RuntimeError(
                    f"{self.name} answered {response.status} for {ready_path}:\n"
                    f"{tail(self.log)}"
                )
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(
            f"{self.name} did not start in {timeout} s:\n{tail(self.log)}"
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


@dataclass
class Result:
    page: str
    start: float  # time.monotonic()
    end: float
    status: int  # 0: no HTTP answer (connection refused, reset, timeout)
    size: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def latency_ms(self) -> float:
        return (self.end - self.start) * 1000


@dataclass
class Load:
    results: list = field(default_factory=list)
    seconds: float = 0.0
    cut: bool = False  # stopped by the time bound before the count


def run_load(
    port: int,
    target,
    count: int,
    concurrency: int,
    deadline: float,
    stop: threading.Event | None = None,
    first: int = 0,
    headers: dict | None = None,
) -> Load:
    """A closed loop: `concurrency` clients, each on its own keep-alive connection,
    send requests target(first), target(first+1), … until `count` are sent, the
    monotonic `deadline` passes or `stop` is set; each with `headers`."""
    lock = threading.Lock()
    cursor = [0]
    load = Load()

    def client():
        connection = None
        mine = []
        while True:
            with lock:
                index = cursor[0]
                cursor[0] += 1
            if index >= count or (stop is not None and stop.is_set()):
                break
            if time.monotonic() > deadline:
                load.cut = True
                break
            page, path = target(first + index)
            start = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", port, 60)
                connection.request("GET", path, headers=headers or {})
                response = connection.getresponse()
                body = response.read()
                mine.append(
                    Result(page, start, time.monotonic(), response.status, len(body))
                )
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as exc:
                mine.append(Result(page, start, time.monotonic(), 0, 0, repr(exc)))
                if connection is not None:
                    connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            load.results.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.monotonic() - began
    return load


def cycle(pages, slugs=(), values=None):
    """target(i): the i-th request of a cycle over `pages`, whose paths are filled
    from `values` ({project}, {event}, …) and {slug} in turn over `slugs`."""
    values = values or {}

    def target(index):
        page, path = pages[index % len(pages)]
        if "{" in path:
            slug = slugs[(index // len(pages)) % len(slugs)] if slugs else ""
            path = path.format(slug=slug, **values)
        return page, path

    return target


def describe_failures(results) -> str:
    codes = collections.Counter(r.status if r.status else "no answer" for r in results)
    return ", ".join(f"{code}: {n}" for code, n in sorted(codes.items(), key=str))


def page_table(results, pages) -> list[str]:
    lines = [
        f"  {'page':<24} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'bytes':>8}"
    ]
    for page, _path in pages:
        mine = [r for r in results if r.page == page]
        if not mine:
            continue
        latencies = [r.latency_ms for r in mine]
        sizes = [r.size for r in mine if r.ok]
        errors = sum(not r.ok for r in mine)
        lines.append(
            f"  {page:<24} {len(mine):>6} {percentile(latencies, 0.50):>8.1f} "
            f"{percentile(latencies, 0.95):>8.1f} {percentile(latencies, 0.99):>8.1f} "
            f"{errors:>6} {round(statistics.mean(sizes)) if sizes else 0:>8}"
        )
    latencies = [r.latency_ms for r in results]
    lines.append(
        f"  {'all':<24} {len(results):>6} {percentile(latencies, 0.50):>8.1f} "
        f"{percentile(latencies, 0.95):>8.1f} {percentile(latencies, 0.99):>8.1f} "
        f"{sum(not r.ok for r in results):>6}"
    )
    return lines


def demo_password(seed_output: str) -> str:
    """The password seed_demo printed beside the hello user's e-mail."""
    for line in seed_output.splitlines():
        if HELLO_EMAIL in line.split():
            return line.split()[-1]
    raise RuntimeError(f"seed_demo printed no login for {HELLO_EMAIL}")


def totp(key_hex: str, at: float | None = None) -> str:
    """The authenticator app's code (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits), as
    django-otp's TOTP device checks it."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(
        bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    code = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def _post_form(connection, port, path, fields, cookies):
    """POST a form with the page's CSRF token; the response (read)."""
    connection.request(
        "GET",
        path,
        headers={"Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items())},
    )
    response = connection.getresponse()
    page = response.read().decode()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError(f"no form at {path}: {response.status}")
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)})
    connection.request(
        "POST",
        path,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items()),
            "Referer": f"http://127.0.0.1:{port}{path}",
        },
    )
    response = connection.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return response


def sign_in(port: int, email: str, password: str, totp_key: str | None = None) -> dict:
    """Sign in through the real login form, then, with `totp_key`, through the real
    second-factor page with the authenticator's code; the headers that carry the
    session."""
    connection = http.client.HTTPConnection("127.0.0.1", port, 30)
    cookies = SimpleCookie()
    response = _post_form(
        connection, port, LOGIN_PATH, {"username": email, "password": password}, cookies
    )
    if response.status != 302:
        raise RuntimeError(f"sign-in as {email} answered {response.status}")
    if totp_key is not None:
        location = urllib.parse.urlsplit(response.headers["Location"])
        if location.path != TWO_FACTOR_PATH:
            raise RuntimeError(f"sign-in as {email} went to {location.path}")
        response = _post_form(
            connection, port, TWO_FACTOR_PATH, {"code": totp(totp_key)}, cookies
        )
        if response.status != 302:
            raise RuntimeError(f"second factor of {email} answered {response.status}")
    connection.close()
    if "sessionid" not in cookies:
        raise RuntimeError(f"sign-in as {email} set no session")
    return {"Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items())}


def bare_sign_in(port: int, email: str, password: str) -> dict:
    """The bare project's plain login view (bench/bare/views.py): the session."""
    connection = http.client.HTTPConnection("127.0.0.1", port, 30)
    connection.request(
        "POST",
        BARE_LOGIN_PATH,
        body=urllib.parse.urlencode({"username": email, "password": password}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    response.read()
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    connection.close()
    if response.status != 302 or "baresession" not in cookies:
        raise RuntimeError(f"bare sign-in as {email} answered {response.status}")
    return {"Cookie": f"baresession={cookies['baresession'].value}"}


def worker_ms(workers: int, throughput: float) -> float:
    """Worker time per request: the workers' milliseconds over the requests."""
    return workers * 1000 / throughput


def compare_hello(
    mist, bare, headers, args, deadline, baseline=None
) -> list[tuple[str, str, str]]:
    """The fixed cost of a request: Mist's signed-in hello pages against the bare
    project's hello, in alternating blocks, as worker-ms per request; with
    `baseline` (server, headers), its hello page too."""
    pages = {
        "mist hello": (mist, HELLO_PAGES[0], headers),
        "mist hello page": (mist, HELLO_PAGES[1], headers),
        "bare hello": (bare, BARE_HELLO, None),
    }
    if baseline is not None:
        server, baseline_headers = baseline
        pages["baseline hello"] = (server, HELLO_PAGES[0], baseline_headers)
    runs = {name: Load() for name in pages}
    cpu_used = dict.fromkeys(pages, 0.0)
    for server, page, page_headers in pages.values():  # warm up
        run_load(
            server.port,
            cycle([page]),
            200,
            args.concurrency,
            deadline,
            headers=page_headers,
        )
    blocks = max(1, args.blocks)
    for block in range(blocks):
        size = args.hello_requests // blocks + (block < args.hello_requests % blocks)
        for name, (server, page, page_headers) in pages.items():
            cpu = server.cpu_seconds()
            load = run_load(
                server.port,
                cycle([page]),
                size,
                args.concurrency,
                deadline,
                headers=page_headers,
            )
            cpu_used[name] += server.cpu_seconds() - cpu
            runs[name].results += load.results
            runs[name].seconds += load.seconds
    print(
        f"\n== Fixed cost: {args.hello_requests} requests each, signed in (Mist) as "
        f"{HELLO_EMAIL}, concurrency {args.concurrency}, {blocks} alternating blocks; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"  {'page':<16} {'req/s':>8} {'worker-ms':>10} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6} {'bytes':>6} {'cpu-ms':>7}"
    )
    cost, cpu = {}, {}
    for name, load in runs.items():
        throughput = len(load.results) / load.seconds
        cost[name] = worker_ms(args.workers, throughput)
        latencies = [r.latency_ms for r in load.results]
        sizes = [r.size for r in load.results if r.ok]
        failed = [r for r in load.results if not r.ok]
        cpu[name] = cpu_used[name] * 1000 / max(1, len(load.results))
        print(
            f"  {name:<16} {throughput:>8.1f} {cost[name]:>10.2f} "
            f"{percentile(latencies, 0.5):>8.1f} {percentile(latencies, 0.95):>8.1f} "
            f"{percentile(latencies, 0.99):>8.1f} {len(failed):>6} "
            f"{round(statistics.mean(sizes)) if sizes else 0:>6} {cpu[name]:>7.2f}"
        )
        if failed:
            print(f"    errors: {describe_failures(failed)}")
    rows = []
    for name in [page for page in pages if page != "bare hello"]:
        extra = cost[name] - cost["bare hello"]
        extra_cpu = cpu[name] - cpu["bare hello"]
        print(
            f"  {name} - bare hello: {extra:+.2f} worker-ms, {extra_cpu:+.2f} "
            "server CPU-ms per request"
        )
        rows.append(
            (
                f"{name} - bare hello",
                f"{extra:+.2f} worker-ms, {extra_cpu:+.2f} cpu-ms",
                (
                    "met"
                    if extra <= HELLO_TARGET_MS
                    else f"MISSED (<= {HELLO_TARGET_MS} ms)"
                )
                if name == "mist hello"
                else HELLO_NOTES[name],
            )
        )
    return rows


def latency_cells(results) -> str:
    latencies = [r.latency_ms for r in results]
    return "/".join(
        f"{percentile(latencies, share):.0f}" for share in (0.5, 0.95, 0.99)
    )


def mean_size(results) -> int:
    sizes = [r.size for r in results if r.ok]
    return round(statistics.mean(sizes)) if sizes else 0


def compare_pages(mist, bare, values, slugs, sessions, args, deadline) -> list:
    """Issue 16's figure: each page alone against its bare counterpart, in blocks
    alternating Mist and bare (and which goes first) over `--page-rounds` rounds;
    worker-ms per request (workers x seconds / requests), p50/p95/p99, sizes and
    the ratio. `sessions[who]` = (Mist headers, bare headers)."""
    rounds = max(1, args.page_rounds)
    print(
        f"\n== Pages: each page alone, about {args.page_requests} requests per page "
        f"and target (fewer for heavy pages), concurrency {args.concurrency}, "
        f"{rounds} rounds alternating Mist and bare; load average "
        f"{os.getloadavg()[0]:.2f}"
    )
    runs = {(page[0], side): Load() for page in PAGES for side in ("mist", "bare")}
    cpu_used = dict.fromkeys(runs, 0.0)
    for number in range(rounds):
        for name, mist_path, bare_path, who, weight in PAGES:
            size = max(args.concurrency, args.page_requests // rounds // weight)
            sides = [
                ("mist", mist, mist_path, sessions[who][0]),
                ("bare", bare, bare_path, sessions[who][1]),
            ]
            if number % 2:
                sides.reverse()
            for side, server, path, headers in sides:
                cpu = server.cpu_seconds()
                load = run_load(
                    server.port,
                    cycle([(name, path)], slugs, values),
                    size,
                    args.concurrency,
                    deadline,
                    first=number * size,
                    headers=headers,
                )
                cpu_used[(name, side)] += server.cpu_seconds() - cpu
                run = runs[(name, side)]
                run.results += load.results
                run.seconds += load.seconds
                run.cut |= load.cut
    print(
        "  w-ms: worker-ms per request (workers x seconds / requests); cpu-ms: the "
        "server processes' CPU per request (unaffected by other load; PostgreSQL's "
        "own CPU not counted on either side)"
    )
    print(
        f"  {'page':<24} {'Mist w-ms':>9} {'bare w-ms':>9} {'ratio':>6} "
        f"{'Mist cpu':>8} {'bare cpu':>8} {'ratio':>6}  "
        f"{'Mist p50/p95/p99':>16} {'bare p50/p95/p99':>16} {'Mist B':>8} "
        f"{'bare B':>7} {'n':>5} {'errors':>6}"
    )
    rows = []
    for name, _mist_path, _bare_path, _who, _weight in PAGES:
        mist_run, bare_run = runs[(name, "mist")], runs[(name, "bare")]
        cost = {
            side: worker_ms(args.workers, len(run.results) / run.seconds)
            for side, run in (("mist", mist_run), ("bare", bare_run))
        }
        cpu = {
            side: cpu_used[(name, side)] * 1000 / max(1, len(run.results))
            for side, run in (("mist", mist_run), ("bare", bare_run))
        }
        ratio = cost["mist"] / cost["bare"]
        cpu_ratio = cpu["mist"] / cpu["bare"] if cpu["bare"] else float("nan")
        errors = [r for r in mist_run.results + bare_run.results if not r.ok]
        print(
            f"  {name:<24} {cost['mist']:>9.2f} {cost['bare']:>9.2f} {ratio:>5.1f}x "
            f"{cpu['mist']:>8.2f} {cpu['bare']:>8.2f} {cpu_ratio:>5.1f}x  "
            f"{latency_cells(mist_run.results):>16} "
            f"{latency_cells(bare_run.results):>16} "
            f"{mean_size(mist_run.results):>8} {mean_size(bare_run.results):>7} "
            f"{len(mist_run.results):>5} {len(errors):>6}"
        )
        if errors:
            print(f"    errors: {describe_failures(errors)}")
        target = DASHBOARD_TARGET if name.startswith("dashboard") else PAGE_TARGET
        rows.append(
            (
                f"{name} / bare",
                f"{ratio:.2f}x w-ms ({cost['mist']:.1f} vs {cost['bare']:.1f}), "
                f"{cpu_ratio:.2f}x cpu",
                ("met" if ratio <= target else f"MISSED (<= {target}x)")
                + (f", {len(errors)} errors" if errors else ""),
            )
        )
    return rows


def page_values(url: str) -> dict:
    """One public investment project's and one listed upcoming event's slugs."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as connection:
        project = connection.execute(
            "SELECT slug FROM investments_investmentproject WHERE status IN "
            "('published', 'in_negotiation', 'funded') ORDER BY id LIMIT 1"
        ).fetchone()
        event = connection.execute(
            "SELECT slug FROM events_event WHERE is_public AND status <> 'draft' "
            "AND ends_at >= now() ORDER BY starts_at, id LIMIT 1"
        ).fetchone()
    return {"project": project[0], "event": event[0]}


def compare_load(mist, bare, mist_target, bare_target, args, deadline) -> list:
    """Issue 10's figure: the public pages and API against the bare views, in
    alternating blocks; the summary rows."""
    print(
        f"\n== Load: {args.requests} requests each to Mist and bare, concurrency "
        f"{args.concurrency}, {args.blocks} alternating blocks"
    )
    blocks = max(1, min(args.blocks, args.requests))
    runs = {"mist": Load(), "bare": Load()}
    sent = 0
    for block in range(blocks):
        size = args.requests // blocks + (block < args.requests % blocks)
        for name, server, target in (
            ("mist", mist, mist_target),
            ("bare", bare, bare_target),
        ):
            load = run_load(
                server.port, target, size, args.concurrency, deadline, first=sent
            )
            runs[name].results += load.results
            runs[name].seconds += load.seconds
            runs[name].cut |= load.cut
        sent += size
    throughput = {name: len(load.results) / load.seconds for name, load in runs.items()}
    ratio = throughput["mist"] / throughput["bare"]
    for name, pages in (("mist", MIST_PAGES), ("bare", BARE_PAGES)):
        load = runs[name]
        print(
            f"\n{name}: {len(load.results)} requests in {load.seconds:.1f} s = "
            f"{throughput[name]:.1f} req/s, "
            f"{worker_ms(args.workers, throughput[name]):.2f} worker-ms per request"
            + (" (cut by --max-seconds)" if load.cut else "")
        )
        print("\n".join(page_table(load.results, pages)))
        failed = [r for r in load.results if not r.ok]
        if failed:
            print(f"  errors: {describe_failures(failed)}")
            for r in failed[:5]:
                print(f"    {r.page}: {r.status} {r.error}")
    print(f"\nthroughput Mist/bare: {ratio:.1%} (target >= {THROUGHPUT_TARGET:.0%})")
    mist_latencies = [r.latency_ms for r in runs["mist"].results]
    mist_errors = sum(not r.ok for r in runs["mist"].results)
    bare_errors = sum(not r.ok for r in runs["bare"].results)
    return [
        (
            "Mist throughput",
            f"{throughput['mist']:.1f} req/s",
            f"{len(runs['mist'].results)} requests",
        ),
        ("bare throughput", f"{throughput['bare']:.1f} req/s", ""),
        (
            "Mist/bare",
            f"{ratio:.1%}",
            "met" if ratio >= THROUGHPUT_TARGET else "MISSED (>= 60%)",
        ),
        (
            "Mist p50/p95/p99",
            "/".join(f"{percentile(mist_latencies, s):.0f}" for s in (0.5, 0.95, 0.99))
            + " ms",
            "all pages",
        ),
        (
            "errors Mist/bare",
            f"{mist_errors}/{bare_errors}",
            "met" if not mist_errors + bare_errors else "MISSED (0)",
        ),
    ]


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def public_slugs(url: str, limit: int = 20) -> list[str]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as connection:
        rows = connection.execute(
            "SELECT slug FROM directory_organization WHERE deleted_at IS NULL "
            "AND verification = 'verified' AND visibility = 'public' "
            "ORDER BY id LIMIT %s",
            [limit],
        ).fetchall()
    return [slug for (slug,) in rows]


def scenario_env(name: str) -> dict:
    """'60' (with health checks), '0', '60-nohc' → the environment it sets."""
    age, _, flag = name.partition("-")
    checks = int(age) > 0 and flag != "nohc"
    return {"CONN_MAX_AGE": age, "CONN_HEALTH_CHECKS": "true" if checks else "false"}


def scenario_label(name: str) -> str:
    settings = scenario_env(name)
    label = f"CONN_MAX_AGE={settings['CONN_MAX_AGE']}"
    if int(settings["CONN_MAX_AGE"]):
        label += " with" if settings["CONN_HEALTH_CHECKS"] == "true" else " without"
        label += " health checks"
    return label


def restart_under_load(cluster, server, target, args) -> dict:
    stop = threading.Event()
    holder = {}
    budget = args.restart_before + args.restart_after + 120
    deadline = time.monotonic() + budget

    def load():
        holder["load"] = run_load(
            server.port, target, 10**7, args.concurrency, deadline, stop
        )

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    time.sleep(args.restart_before)
    down = time.monotonic()
    cluster.restart()
    back = time.monotonic()
    time.sleep(args.restart_after)
    stop.set()
    thread.join()
    results = holder["load"].results
    before = [r for r in results if r.end < down]
    window = [r for r in results if r.start <= back and r.end >= down]
    after = [r for r in results if r.start > back]
    failed_after = [r for r in after if not r.ok]
    last_failure = max((r.end for r in results if not r.ok), default=None)
    return {
        "down": down,
        "back": back,
        "requests": len(results),
        "seconds": holder["load"].seconds,
        "before": before,
        "window": window,
        "after": after,
        "failed_before": [r for r in before if not r.ok],
        "failed_window": [r for r in window if not r.ok],
        "failed_after": failed_after,
        "after_500": sum(r.status == 500 for r in after),
        "last_failure": last_failure,
    }


def print_restart(name: str, outcome: dict) -> None:
    down, back = outcome["down"], outcome["back"]
    print(f"\n== Database restart under load, {scenario_label(name)}")
    print(
        f"  {outcome['requests']} requests in {outcome['seconds']:.1f} s "
        f"({outcome['requests'] / outcome['seconds']:.1f} req/s)"
    )
    print(
        f"  window: restart sent {clock(down)} UTC, database back {clock(back)} UTC "
        f"({(back - down) * 1000:.0f} ms)"
    )
    for part in ("before", "window", "after"):
        failed = outcome[f"failed_{part}"]
        line = f"  {part:<7} {len(outcome[part]):>6} requests, {len(failed)} failed"
        if outcome[part]:
            line += f" = {len(failed) / len(outcome[part]):.0%}"
        if failed:
            line += f" ({describe_failures(failed)})"
        print(line)
    if outcome["last_failure"] is not None:
        print(
            f"  last failure answered {clock(outcome['last_failure'])} UTC "
            f"({(outcome['last_failure'] - back) * 1000:+.0f} ms from back)"
        )
    print(
        f"  500s to requests sent after the database was back: {outcome['after_500']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=10_000, help="to Mist (and bare)"
    )
    parser.add_argument(
        "--hello-requests",
        type=int,
        default=3000,
        help="to each hello page (the fixed cost of a request); 0: none",
    )
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--blocking-threads", type=int, default=4, help="per worker (docs/deploy.md)"
    )
    parser.add_argument("--blocks", type=int, default=10, help="alternations")
    parser.add_argument(
        "--page-requests",
        type=int,
        default=600,
        help="per page and target in the page-by-page comparison (a heavy page "
        "gets 1/weight of it); 0: none",
    )
    parser.add_argument("--page-rounds", type=int, default=3)
    parser.add_argument(
        "--pages",
        default="",
        help="comma-separated page names (as printed) to compare; '' all",
    )
    parser.add_argument(
        "--submissions",
        type=int,
        default=2000,
        help="in the review call (3 submitted reviews each)",
    )
    parser.add_argument(
        "--organizations", type=int, default=0, help="synthetic ones beside the demo"
    )
    parser.add_argument("--max-seconds", type=float, default=1800, help="load bound")
    parser.add_argument("--restart-before", type=float, default=5.0)
    parser.add_argument("--restart-after", type=float, default=15.0)
    parser.add_argument(
        "--restart-scenarios",
        default="60,0,60-nohc",
        help="CONN_MAX_AGE values, comma-separated; '-nohc': no health checks; '' none",
    )
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        default=None,
        help="MIST_PAGE_CACHE_SECONDS for Mist (anonymous pages from the shared "
        "cache, core.pagecache); 0: off, the cold cost of every page; default: the "
        "settings' default",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="a third server with the earlier session store and connection check "
        "(bench.prod_settings, BENCH_BASELINE) in the fixed-cost comparison",
    )
    args = parser.parse_args()
    if args.pages:
        # A comma followed by a space belongs to a name ("dashboard, all rows").
        wanted = {name.strip() for name in re.split(r",(?! )", args.pages)}
        unknown = wanted - {page[0] for page in PAGES}
        if unknown:
            parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
        PAGES[:] = [page for page in PAGES if page[0] in wanted]
    scenarios = [s for s in args.restart_scenarios.split(",") if s]
    Server.blocking_threads = args.blocking_threads
    for name in scenarios:
        scenario_env(name)  # fail early on a bad entry

    # Stopped from outside, clean up as on Ctrl+C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    base = Path(tempfile.mkdtemp(prefix="mist-bench-production-"))
    base.chmod(0o755)  # the postgres user walks through it to its own directory
    cluster = Cluster(base)
    redis = Redis(base)
    servers: list[Server] = []
    summary: list[tuple[str, str, str]] = []
    load_average = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load_average[0]:.2f} "
        f"(shared: figures are from a busy machine); temp {base}"
    )
    try:
        began = time.monotonic()
        cluster.create()
        print(f"PostgreSQL {cluster.bin.parent.name} on 127.0.0.1:{cluster.port}")
        redis.start()
        print(f"Redis (CACHE_URL, sessions) on 127.0.0.1:{redis.port}")
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "CACHE_URL": redis.url,
            "DJANGO_SETTINGS_MODULE": "bench.prod_settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "false",
            "TASKS_MODE": "thread",
            # DRF's UserRateThrottle counts anonymous requests by address too. A
            # one-second window: each throttle keeps the times of its window's
            # requests and reads and rewrites them on every request, so a minute's
            # window at this load (every client shares 127.0.0.1) would hold tens of
            # thousands, where production's 120/min holds at most 120.
            "API_ANON_RATE": "1000000/s",
            "API_USER_RATE": "1000000/s",
            "STATICFILES_BACKEND": MANIFEST_STORAGE,
            "STATIC_ROOT": str(base / "static"),
            "MEDIA_ROOT": str(base / "media"),
            "PRIVATE_MEDIA_ROOT": str(base / "private"),
            "PYTHONUNBUFFERED": "1",
        }
        manage(env, "migrate", "--no-input", "-v", "0")
        seeded = manage(env, "seed_demo")
        if args.organizations:
            done = subprocess.run(
                [PYTHON, "bench/make_organizations.py", str(args.organizations)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            print(done.stdout.strip())
        password = demo_password(seeded)
        reviews = {}
        if args.page_requests:
            done = subprocess.run(
                [
                    PYTHON,
                    "bench/seed_review_load.py",
                    password,
                    "--submissions",
                    str(args.submissions),
                ],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            reviews = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"review data: call {reviews['call']}, {args.submissions} submissions "
                f"with 3 submitted reviews each; organizer {reviews['staff']}, "
                f"reviewer {reviews['reviewer']} (both with an authenticator)"
            )
        manage(env, "collectstatic", "--no-input", "-v", "0")
        slugs = public_slugs(cluster.url)
        values = {**page_values(cluster.url)}
        if reviews:
            values.update(call=reviews["call"], submission=reviews["submission"])
        print(
            f"migrated, seeded ({len(slugs)} organization pages in turn), static "
            f"collected in {time.monotonic() - began:.0f} s"
        )

        production = scenario_env("60")
        page_cache = {}
        if args.page_cache_seconds is not None:
            page_cache = {"MIST_PAGE_CACHE_SECONDS": str(args.page_cache_seconds)}
        mist = Server(
            "mist",
            MIST_APP,
            {**env, **production, **page_cache},
            args.workers,
            base / "mist.log",
        )
        bare = Server(
            "bare",
            BARE_APP,
            {**env, **production, "DJANGO_SETTINGS_MODULE": "bench.bare.settings"},
            args.workers,
            base / "bare.log",
        )
        servers += [mist, bare]
        mist.start("/uk/")
        bare.start("/bare/")
        print(
            f"granian --interface wsgi --workers {args.workers} --blocking-threads "
            f"{args.blocking_threads}: Mist on "
            f":{mist.port}, bare on :{bare.port}; {scenario_label('60')}; page "
            f"cache {mist.env.get('MIST_PAGE_CACHE_SECONDS', 'default')} s"
        )
        mist_target = cycle(MIST_PAGES, slugs, values)
        bare_target = cycle(BARE_PAGES, slugs, values)
        deadline = time.monotonic() + args.max_seconds
        warmup = min(20 * len(MIST_PAGES), max(args.requests // 10, len(MIST_PAGES)))
        for server, target in ((mist, mist_target), (bare, bare_target)):
            run_load(server.port, target, warmup, args.concurrency, deadline)

        # 0. Each page against its bare counterpart, signed in where it needs a
        # user (Mist: the real login form and second factor; bare: its own login).
        if args.page_requests:
            sessions = {None: (None, None)}
            for who in ("staff", "reviewer"):
                email = reviews[who]
                sessions[who] = (
                    sign_in(mist.port, email, password, reviews["keys"][email]),
                    bare_sign_in(bare.port, email, password),
                )
            for name, mist_path, bare_path, who, _weight in PAGES:  # warm up, check
                for port, path, headers in (
                    (mist.port, mist_path, sessions[who][0]),
                    (bare.port, bare_path, sessions[who][1]),
                ):
                    load = run_load(
                        port,
                        cycle([(name, path)], slugs, values),
                        args.concurrency,
                        args.concurrency,
                        deadline,
                        headers=headers,
                    )
                    failed = [r for r in load.results if not r.ok]
                    if failed:
                        raise RuntimeError(
                            f"{name} on :{port} answered {describe_failures(failed)}"
                        )
            summary += compare_pages(
                mist, bare, values, slugs, sessions, args, deadline
            )
        # 1. Load, alternating blocks; 2. the fixed cost of a signed-in request.
        if args.requests:
            summary += compare_load(
                mist, bare, mist_target, bare_target, args, deadline
            )
        if args.hello_requests:
            headers = sign_in(mist.port, HELLO_EMAIL, password)
            baseline = None
            if args.baseline:
                server = Server(
                    "baseline",
                    MIST_APP,
                    {**mist.env, "BENCH_BASELINE": "true"},
                    args.workers,
                    base / "baseline.log",
                )
                servers.append(server)
                server.start("/uk/")
                baseline = (server, sign_in(server.port, HELLO_EMAIL, password))
            summary += compare_hello(mist, bare, headers, args, deadline, baseline)
            if baseline is not None:
                baseline[0].stop()
        bare.stop()

        # 3. Database restart under load, per scenario.
        for name in scenarios:
            settings = scenario_env(name)
            if any(mist.env[key] != value for key, value in settings.items()):
                mist.stop()
                mist.env = {**mist.env, **settings}
                mist.start("/uk/")
                run_load(mist.port, mist_target, warmup, args.concurrency, deadline)
            outcome = restart_under_load(cluster, mist, mist_target, args)
            print_restart(name, outcome)
            production_like = name == "60"
            summary.append(
                (
                    f"restart, {scenario_label(name)}",
                    f"{len(outcome['failed_window'])} failed in window "
                    f"({describe_failures(outcome['failed_window']) or 'none'})",
                    f"{outcome['after_500']} 500s after back"
                    + (
                        (" met" if not outcome["after_500"] else " MISSED (0)")
                        if production_like
                        else ""
                    ),
                )
            )

        print("\n== Summary (a shared, busy machine)")
        width = max(len(row[0]) for row in summary)
        for label, value, note in summary:
            print(f"  {label:<{width}}  {value:<28} {note}")
        print(
            f"load average {os.getloadavg()[0]:.2f} at the end "
            f"({load_average[0]:.2f} at the start), {os.cpu_count()} CPUs"
        )
    finally:
        for server in servers:
            with contextlib.suppress(OSError):
                server.stop()
        cluster.destroy()
        redis.stop()
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
