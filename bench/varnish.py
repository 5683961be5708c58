"""`make bench`, through Varnish: a cached article against Varnish serving a static file in
the same run, and how long a publish takes to show through it with the worker running.

Varnish (Debian's varnishd) runs with the repository's VCL in front of gunicorn, as in
docker compose; the workers are `manage.py db_worker`, as deployed (all queues, and the
purges' own). Each URL is measured twice (article, file, file, article): the mean of its
requests/s and the worse p99 are judged. Targets: the article at least 80% of the static
file's requests/s with p99 under 5 ms; publish to visible under
2 s at the 99th percentile over 50 publishes. Environment as bench/run.py, plus
BENCH_VARNISH_PORT and BENCH_PUBLISHES.

The classes here also start the servers the Varnish tests run against.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.run import ARTICLES, RESULTS, ROOT, Background, parse_wrk, prepare, stop_on_term

VCL = ROOT / "deploy" / "varnish" / "default.vcl"
HOST = "localhost"  # the Wagtail site's hostname: purges name it
SHARE_TARGET, P99_TARGET_MS, PUBLISH_TARGET_S = 0.80, 5.0, 2.0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def get(port, path, headers=None):
    """(status, headers, body) of a GET on 127.0.0.1:port as the site's own host."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": HOST, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class Gunicorn(Background):
    """The site served by gunicorn (gunicorn.conf.py) with the given environment."""

    def __init__(self, port, env, log):
        self.port, self.env, self.log_path = port, env, log
        self.name = f"gunicorn on {port} (see {log})"

    def start(self):
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in clean_up
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "clinic.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                "--graceful-timeout=2",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def ready(self):
        try:
            return get(self.port, "/healthz")[0] == 200
        except OSError:
            return False

    def clean_up(self):
        self.log.close()


def site_vcl(backend_port, error_page):
    """The per-deployment part of the VCL (deploy/varnish/site.vcl) for a local backend."""
    return f"""
backend web {{
    .host = "127.0.0.1";
    .port = "{backend_port}";
    .probe = {{
        .request = "GET /healthz HTTP/1.1" "Host: {HOST}" "Connection: close";
        .interval = 1s;
        .timeout = 1s;
        .window = 2;
        .threshold = 1;
    }}
}}
sub clinic_error_page {{
    synthetic(std.fileread("{error_page}"));
}}
"""


class Varnish(Background):
    """varnishd in the foreground with the repository's VCL, its work directory in memory
    (its log there too: varnishd.log)."""

    def __init__(self, port, backend_port, error_page):
        self.port, self.backend_port, self.error_page = port, backend_port, error_page
        self.name = f"varnishd on {port}"

    def start(self):
        # The shared memory log and counters are files varnishd writes all the time: on a
        # disk they cost I/O and page faults (Varnish's own images mount the directory as
        # tmpfs), so in memory where the machine has one (/dev/shm) that may hold the
        # compiled VCL varnishd loads from there (not mounted noexec).
        memory = Path("/dev/shm")  # noqa: S108 - a private directory made inside it
        in_memory = memory.is_dir() and not os.statvfs(memory).f_flag & os.ST_NOEXEC
        self.workdir = Path(tempfile.mkdtemp(prefix="varnish-", dir=memory if in_memory else None))
        # Started as root, varnishd reads the VCL as its own unprivileged user.
        self.workdir.chmod(0o755)
        self.log = open(self.workdir / "varnishd.log", "w")  # noqa: SIM115 - closed in clean_up
        # Where varnishd's user can read it (as compose mounts the `error-page` volume).
        error_page = self.workdir / "500.html"
        shutil.copy(self.error_page, error_page)
        error_page.chmod(0o644)
        (self.workdir / "site.vcl").write_text(site_vcl(self.backend_port, error_page))
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                shutil.which("varnishd") or "varnishd",
                "-F",
                "-n",
                str(self.workdir / "n"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(VCL),
                # Where `include "site.vcl"` is found (in docker compose: /etc/varnish).
                "-p",
                f"vcl_path={self.workdir}",
                "-s",
                "malloc,64m",
            ],
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def ready(self):
        """Listening, and its probe has found the backend (started first) healthy."""
        try:
            return answers(self.port) and get(self.port, "/healthz")[0] == 200
        except OSError:
            return False

    def clean_up(self):
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


def wrk(url, seconds):
    output = subprocess.run(  # noqa: S603 - fixed arguments
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            "-c16",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Host: {HOST}",
            # As browsers ask: Varnish then sends its stored gzip as it is, unzipping none.
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    return parse_wrk(output)


def combined(runs):
    """Two runs of one URL: their mean requests/s, and the worse of their p99s."""
    return {
        "rps": sum(run["rps"] for run in runs) / len(runs),
        "p99": max(run["p99"] for run in runs),
    }


def each_run(runs):
    return ", ".join(f"{run['rps']:.0f} req/s p99 {run['p99']:.2f} ms" for run in runs)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def publish_to_visible(varnish_port, publishes):
    """Seconds from each publish until the article's new title shows through Varnish."""
    from blog.models import BlogPostPage

    article = BlogPostPage.objects.live().order_by("-date_published").first()
    get(varnish_port, article.url)
    timings = []
    for number in range(publishes):
        title = f"Back pain, revised {number} {time.time_ns()}"
        revision = article.specific.save_revision()
        revision.content["title"] = title
        revision.save(update_fields=["content"])
        started = time.monotonic()
        revision.publish()
        while title not in get(varnish_port, article.url)[2]:
            if time.monotonic() - started > 30:
                raise SystemExit("A publish did not show through Varnish within 30 s.")
            time.sleep(0.01)
        timings.append(time.monotonic() - started)
    return timings


def main():
    if not shutil.which("varnishd"):
        raise SystemExit("varnishd is missing: apt-get install varnish.")
    seconds = int(os.environ.get("BENCH_DURATION") or 10)
    publishes = int(os.environ.get("BENCH_PUBLISHES", "50"))
    backend_port = free_port()
    varnish_port = int(os.environ.get("BENCH_VARNISH_PORT") or free_port())
    # Before the settings load: this process publishes, so it queues the purges.
    os.environ["VARNISH_URL"] = f"http://127.0.0.1:{varnish_port}"
    prepare(ARTICLES)
    from django.core.management import call_command

    from blog.models import BlogPostPage

    env = {"HTTP_CACHE_SECONDS": "3600"}
    error_page = RESULTS / "varnish-500.html"
    call_command("write_contact_card", "--error-page", str(error_page), verbosity=0)
    article = BlogPostPage.objects.live().order_by("-date_published").first().url
    static = f"/static/{static_file()}"
    log = RESULTS / "gunicorn-varnish.log"
    with (
        Gunicorn(backend_port, env, log),
        Varnish(varnish_port, backend_port, error_page) as varnish,
    ):
        for path in (article, static):
            for _ in range(3):
                get(varnish_port, path)
        if get(varnish_port, article)[1]["X-Cache"] != "HIT":
            raise SystemExit("The article is not cached by Varnish: see its Cache-Control.")
        # Each twice, in the order article, file, file, article: neither gains from going
        # first or last, however other jobs load the machine meanwhile.
        runs = {"article": [], "file": []}
        for name in ("article", "file", "file", "article"):
            path = article if name == "article" else static
            runs[name].append(wrk(varnish.url + path, seconds))
        with (
            Worker(WORKER, RESULTS / "worker-varnish.log"),
            Worker(PURGER, RESULTS / "purger-varnish.log"),
        ):
            timings = publish_to_visible(varnish_port, publishes)
    cached, files = combined(runs["article"]), combined(runs["file"])
    share = cached["rps"] / files["rps"]
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    report = "\n".join(
        [
            f"Through Varnish (wrk -t2 -c16, {seconds} s each, article, file, file, article; "
            f"load average {load}):",
            f"  cached article {cached['rps']:.0f} req/s, p99 {cached['p99']:.2f} ms "
            f"({each_run(runs['article'])})",
            f"  static file    {files['rps']:.0f} req/s, p99 {files['p99']:.2f} ms "
            f"({each_run(runs['file'])})",
            f"  article / static file: {share:.0%} (target >= {SHARE_TARGET:.0%}); "
            f"p99 target < {P99_TARGET_MS:g} ms: "
            f"{'met' if share >= SHARE_TARGET and cached['p99'] < P99_TARGET_MS else 'MISSED'}",
            f"Publish to visible through Varnish, worker running, {publishes} publishes: "
            f"p50 {percentile(timings, 0.5):.2f} s, p99 {percentile(timings, 0.99):.2f} s "
            f"(target < {PUBLISH_TARGET_S:g} s: "
            f"{'met' if percentile(timings, 0.99) < PUBLISH_TARGET_S else 'MISSED'})",
        ]
    )
    print(report)
    (RESULTS / "varnish.txt").write_text(report + "\n")


def static_file():
    """A hashed CSS file, as pages link it (WhiteNoise's manifest)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    return staticfiles_storage.stored_name("clinic/css/site.css")


# The task workers as deployed (docker-compose.yml's `worker` and `purger`, the Makefile's
# WORKER and PURGER): everything, and the purges on their own queue, polled often.
WORKER = ["db_worker", "--backend", "outbox", "--queue-name", "*"]
PURGER = ["db_worker", "--backend", "outbox", "--queue-name", "purge", "--interval", "0.2"]


class Worker(Background):
    """A task worker (`manage.py db_worker ...`), ready once it polls its queues and the
    purges left from building the data (queued with no Varnish to take them) are sent."""

    def __init__(self, arguments, log):
        self.arguments, self.log_path = arguments, log
        self.name = " ".join(arguments)
        self.port = free_port()  # none: Background refuses a busy one

    def start(self):
        self.log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.started = None
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in clean_up
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "manage.py", *self.arguments],
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def ready(self):
        from django_tasks_db.models import DBTaskResult

        if self.started is None:
            with open(self.log_path) as log:
                log.seek(self.log_start)
                if "Starting worker" in log.read():
                    self.started = time.monotonic()
            return False
        # db_worker waits up to a second after starting (against a thundering herd).
        return time.monotonic() > self.started + 1 and not (
            DBTaskResult.objects.ready().filter(queue_name="purge").exists()
        )

    def clean_up(self):
        self.log.close()


if __name__ == "__main__":
    stop_on_term()
    main()
