"""`make bench-import`: import a generated 2,000-post WordPress export, timed, with the
import's peak memory. Targets (issue 16): under 5 minutes, under 500 MB.

Builds a fresh database (BENCH_IMPORT_DATABASE_URL, default clinic_bench_import on the
local PostgreSQL), migrates it, adds a home page's article index, writes the export (each
post the reference article's length, with categories, tags, a comment, and one in ten
with a featured image from a generated uploads folder), then runs
`manage.py import_wordpress` in a child process that reports its own peak memory. Writes
the figures to bench-results/wordpress-import.txt.
"""

import base64
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
POSTS = int(os.environ.get("BENCH_IMPORT_POSTS", "2000"))
DATABASE_URL = os.environ.get(
    "BENCH_IMPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench_import"
)
TARGET_SECONDS, TARGET_MB = 300, 500

SETUP = """
from clinic.models import HomePage
from blog.models import BlogIndexPage
home = HomePage.objects.first()
index = BlogIndexPage(title="Articles", slug="blog")
home.add_child(instance=index)
index.save_revision().publish()
"""
# The child runs the import and prints its own peak memory (ru_maxrss is in KiB on Linux).
IMPORT = """
import resource, sys, time, django
django.setup()
from blog.importing_wordpress import WordPressImporter
from blog.models import BlogIndexPage
started = time.monotonic()
def progress(done, total):
    if done % 100 == 0:
        seconds = time.monotonic() - started
        print(f"{done}/{total} after {seconds:.0f} s", file=sys.stderr, flush=True)
with open(sys.argv[1], "rb") as source:
    report = WordPressImporter(
        source, BlogIndexPage.objects.get(slug="blog"), uploads=sys.argv[2], progress=progress
    ).run()
print("\\n".join(list(report.lines())[:2]))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"cpu_s={usage.ru_utime + usage.ru_stime:.0f}")
print(f"peak_kib={usage.ru_maxrss}")
"""


def bench_env():
    """Production settings (DEBUG off) on the bench database, with throwaway keys."""
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault(
        "FIELD_ENCRYPTION_KEYS", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    return env


def fresh_database(url):
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def write_export(folder):
    sys.path.insert(0, str(ROOT))
    from tests.blog.fixtures.wxr import attachment, export, reference_post

    uploads = folder / "uploads"
    items = []
    for n in range(20):
        path = f"2024/{n % 12 + 1:02d}/photo-{n}.jpg"
        (uploads / path).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (1600, 900), (40 + n * 9, 120, 90)).save(uploads / path, "JPEG")
        items.append(attachment(10_000 + n, path, alt=f"Photo {n} of a stretch"))
    categories = [(f"topic-{n}", f"Topic {n}") for n in range(12)]
    for n in range(POSTS):
        year, month, day = 2015 + n % 10, n % 12 + 1, n % 28 + 1
        post = reference_post(
            wp_id=n + 1,
            title=f"Why do I have pain, part {n}?",
            slug=f"pain-part-{n}",
            date=f"{year}-{month:02d}-{day:02d} 09:00:00",
            status="draft" if n % 20 == 0 else "publish",
            categories=[categories[n % 12], categories[(n * 7) % 12]],
            tags=[(f"tag-{n % 30}", f"tag {n % 30}")],
            meta={"_thumbnail_id": str(10_000 + n % 20)} if n % 10 == 0 else {},
            comments=["Thanks, this helped my back."],
        )
        items.append(post)
    source = folder / f"wordpress-{POSTS}.xml"
    source.write_bytes(export(items))
    return source, uploads


def main():
    RESULTS.mkdir(exist_ok=True)
    work = RESULTS / "wordpress-import"
    work.mkdir(exist_ok=True)
    env = bench_env()
    manage = [sys.executable, str(ROOT / "manage.py")]
    print(f"Fresh database {urlsplit(DATABASE_URL).path.lstrip('/')}, migrating...")
    fresh_database(DATABASE_URL)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603 - fixed arguments
    subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True)  # noqa: S603
    source, uploads = write_export(work)
    size_mb = source.stat().st_size / 1e6
    print(f"Importing {POSTS} posts ({size_mb:.1f} MB export)...")
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    child = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", IMPORT, str(source), str(uploads)],
        env={**env, "DJANGO_SETTINGS_MODULE": "clinic.settings", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    seconds = time.monotonic() - started
    load = f"{load_before:.1f} -> {os.getloadavg()[0]:.1f}"
    peak_mb = int(child.stdout.rsplit("peak_kib=", 1)[1]) / 1024
    cpu_seconds = int(child.stdout.rsplit("cpu_s=", 1)[1].split()[0])
    summary = "\n".join(child.stdout.splitlines()[:2])
    figures = (
        f"{POSTS} posts ({size_mb:.1f} MB export): {seconds:.0f} s "
        f"({seconds / POSTS * 1000:.0f} ms a post), peak memory {peak_mb:.0f} MB; "
        f"the importing process used {cpu_seconds} s of CPU (PostgreSQL's own not counted); "
        f"load average {load} on {os.cpu_count()} cores.\n"
        f"Targets: under {TARGET_SECONDS} s -> {'met' if seconds < TARGET_SECONDS else 'MISSED'}; "
        f"under {TARGET_MB} MB -> {'met' if peak_mb < TARGET_MB else 'MISSED'}.\n{summary}\n"
    )
    (RESULTS / "wordpress-import.txt").write_text(figures)
    print(figures)


if __name__ == "__main__":
    main()
