"""`make loadtest`: the booking form under load loses no appointment request.

Serves the site with gunicorn, production settings, PostgreSQL and Redis on loopback
(bench/run.py's helpers). Then each of 50 clients loops for 30 seconds as a patient would:
open /book/ (a fresh CSRF cookie and form token), take longer than the form's time trap
to fill it in, send valid answers under a name unique to this run, and record the answer.
Reports requests accepted (302 to the confirmation), the rows this run stored, server
errors, other statuses, throughput and latency percentiles; exits non-zero unless every
accepted request was stored, and no request got a 5xx or no answer at all.

The server's per-address rate limit is raised for the run (every client is 127.0.0.1).
Environment (all optional): LOADTEST_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/clinic_loadtest, created if missing),
LOADTEST_REDIS_URL (redis://127.0.0.1:6379/5), LOADTEST_PORT (8121), LOADTEST_CLIENTS
(50), LOADTEST_SECONDS (30), LOADTEST_MAX_POSTS (5000, a bound on submissions),
LOADTEST_FORM_SECONDS (the server's BOOKING_FORM_MIN_SECONDS for this run only; by
default the production setting, 3 s).
"""

import datetime
import math
import os
import random
import secrets
import sys
import threading
import time
from collections import Counter

# bench.run reads where to serve and store from the environment when imported.
os.environ.setdefault(
    "BENCH_DATABASE_URL",
    os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_loadtest"),
)
os.environ.setdefault(
    "BENCH_REDIS_URL", os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/5")
)
os.environ.setdefault("BENCH_PORT", os.environ.get("LOADTEST_PORT", "8121"))

from bench.patient import answers, outcome
from bench.run import (
    BASE,
    RESULTS,
    THREADS,
    WORKERS,
    Server,
    prepare_site,
    stop_on_term,
)

CLIENTS = int(os.environ.get("LOADTEST_CLIENTS", "50"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "30"))
MAX_POSTS = int(os.environ.get("LOADTEST_MAX_POSTS", "5000"))
FORM_SECONDS = os.environ.get("LOADTEST_FORM_SECONDS")
TIMEOUT = 10


class Outcomes:
    """Every answer the clients got, (kind, outcome, seconds), and the references of the
    accepted requests; shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.records = []
        self.references = set()
        self.posts = 0

    def add(self, kind, outcome, seconds, reference=None):
        with self.lock:
            self.records.append((kind, outcome, seconds))
            if reference:
                self.references.add(reference)

    def take_post(self):
        """False once MAX_POSTS submissions were started: the run is bounded in count."""
        with self.lock:
            self.posts += 1
            return self.posts <= MAX_POSTS


def client(number, run, think, stop_at, outcomes):
    import requests

    session = requests.Session()
    visit = 0
    while time.monotonic() < stop_at and outcomes.take_post():
        visit += 1
        session.cookies.clear()
        started = time.perf_counter()
        try:
            page = session.get(BASE + "/book/", timeout=TIMEOUT)
        except requests.RequestException as error:
            outcomes.add(
                "GET", f"no answer ({type(error).__name__})", time.perf_counter() - started
            )
            continue
        outcomes.add("GET", str(page.status_code), time.perf_counter() - started)
        if page.status_code != 200:
            time.sleep(1)
            continue
        # The CSRF cookie is Secure with DEBUG off; this plain-HTTP client sends it itself.
        cookie = {"Cookie": f"csrftoken={page.cookies.get('csrftoken', '')}"}
        time.sleep(think + random.uniform(0.2, 1.5))  # noqa: S311 - pacing, not security
        data = answers(page.text, f"Client{number}", f"Load-{run}-{number}-{visit}")
        started = time.perf_counter()
        try:
            answer = session.post(
                BASE + "/book/", data=data, headers=cookie, allow_redirects=False, timeout=TIMEOUT
            )
        except requests.RequestException as error:
            outcomes.add(
                "POST", f"no answer ({type(error).__name__})", time.perf_counter() - started
            )
            continue
        result, reference = outcome(answer)
        outcomes.add("POST", result, time.perf_counter() - started, reference)


def percentile(values, share):
    """Nearest-rank percentile of a list of numbers (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = math.ceil(round(share * len(ordered), 9))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def report(records, stored, missing, seconds, meta):
    """The printed report and whether the run passed."""
    statuses = Counter((kind, result) for kind, result, _ in records)
    accepted = statuses["POST", "accepted"]
    server_errors = sum(n for (_, result), n in statuses.items() if result.startswith("5"))
    no_answer = sum(n for (_, result), n in statuses.items() if result.startswith("no answer"))
    others = {
        f"{kind} {result}": n
        for (kind, result), n in sorted(statuses.items())
        if result not in ("accepted", "200")
    }
    lines = [
        f"Booking form load test {meta['when']}",
        f"{meta['clients']} clients for {meta['seconds']} s against gunicorn {meta['server']}, "
        f"PostgreSQL, Redis, loopback; {meta['form']}",
        "",
        f"Requests accepted (302 to the confirmation): {accepted:>6}",
        f"Rows stored in the database by this run:     {stored:>6}",
        f"Accepted references missing in the database: {missing:>6}",
        f"Server errors (5xx):                         {server_errors:>6}",
        f"Requests without an answer:                  {no_answer:>6}",
        "Other statuses: " + (", ".join(f"{k}: {n}" for k, n in others.items()) or "none"),
        "",
        f"{len(records)} requests in {seconds:.1f} s: {len(records) / seconds:.1f} req/s, "
        f"{accepted / seconds:.1f} accepted requests/s",
        f"{'latency ms':<10}{'count':>7}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}",
    ]
    for kind in ("GET", "POST"):
        times = [1000 * s for k, _, s in records if k == kind]
        lines.append(
            f"{kind + ' /book/':<10}{len(times):>7}"
            + "".join(f"{percentile(times, q):>8.1f}" for q in (0.5, 0.9, 0.99, 1.0))
        )
    passed = accepted == stored and not missing and not server_errors and not no_answer
    verdict = "PASS" if passed else "FAIL"
    lines += ["", f"{verdict}: accepted == stored, no 5xx, every request answered"]
    return "\n".join(lines), passed


def main():
    started = datetime.datetime.now(datetime.UTC)
    if FORM_SECONDS is not None:
        os.environ["BOOKING_FORM_MIN_SECONDS"] = FORM_SECONDS
    # Every client is 127.0.0.1: one address's allowance would stop the run in seconds.
    os.environ["BOOKING_RATE_LIMIT"] = str(10 * MAX_POSTS)
    prepare_site()
    from django.conf import settings
    from django.core.management import call_command

    from booking.models import AppointmentRequest

    with open(os.devnull, "w") as quiet:
        call_command("load_demo", force=True, stdout=quiet)
    think = settings.BOOKING_FORM_MIN_SECONDS
    form = (
        f"form time trap {think} s"
        + (" (set for this run by LOADTEST_FORM_SECONDS)" if FORM_SECONDS is not None else "")
        + f", rate limit raised to {settings.BOOKING_RATE_LIMIT} for this run"
    )
    run = secrets.token_hex(4)
    outcomes = Outcomes()
    with Server():
        print(f"{CLIENTS} clients for {SECONDS} s on {BASE}/book/ ...", flush=True)
        began = time.monotonic()
        stop_at = began + SECONDS
        threads = [
            threading.Thread(target=client, args=(n, run, think, stop_at, outcomes), daemon=True)
            for n in range(1, CLIENTS + 1)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - began
    mine = AppointmentRequest.objects.filter(last_name__startswith=f"Load-{run}-")
    stored = mine.count()
    missing = len(outcomes.references - set(mine.values_list("reference", flat=True)))
    meta = {
        "when": started.strftime("%Y-%m-%d %H:%M UTC"),
        "clients": CLIENTS,
        "seconds": SECONDS,
        "server": f"{WORKERS} workers x {THREADS} threads",
        "form": form,
    }
    text, passed = report(outcomes.records, stored, missing, seconds, meta)
    print("\n" + text)
    (RESULTS / "loadtest-latest.txt").write_text(text + "\n")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    stop_on_term()
    main()
