"""`make lighthouse`: Lighthouse's four scores for the home page, an article and the booking form.

Serves the site as `make bench` does (gunicorn, production settings, Wagtail's caches) and
runs Lighthouse from npm with mobile settings in Debian's chromium, which this script
starts and stops itself. Like the benchmark, it warms each page up first: the first view
of a page makes its image renditions (AVIF and WebP encoding, about a second) and fills
the header and footer fragments, a cost each page pays once and not what patients
normally get. Scores and the audits that cost points go to bench-results/.
"""

import json
import os
import shutil
import subprocess
import tempfile
import urllib.request

from bench.run import BASE, RESULTS, ROOT, Background, Server, fetch, prepare, stop_on_term

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
DEBUG_PORT = int(os.environ.get("LIGHTHOUSE_CHROME_PORT", "8119"))
VERSION_URL = "http://127.0.0.1:{}/json/version"
PAGES = ["home", "article", "booking form GET"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class Chromium(Background):
    """Headless chromium for Lighthouse to drive."""

    name = "chromium"
    port = DEBUG_PORT

    def start(self):
        self.profile = tempfile.mkdtemp(prefix="lighthouse-")
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                CHROMIUM,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--remote-debugging-port={DEBUG_PORT}",
                "--remote-debugging-address=127.0.0.1",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def ready(self):
        try:
            with urllib.request.urlopen(VERSION_URL.format(DEBUG_PORT), timeout=2):  # noqa: S310
                return True
        except OSError:
            return False

    def clean_up(self):
        shutil.rmtree(self.profile, ignore_errors=True)


def lighthouse(label, path):
    report_path = RESULTS / f"lighthouse-{label.replace(' ', '-')}.json"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(ROOT / "node_modules" / ".bin" / "lighthouse"),
            BASE + path,
            f"--port={DEBUG_PORT}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report_path}",
            "--quiet",
        ],
        check=True,
        timeout=180,
        cwd=ROOT,
    )
    report = json.loads(report_path.read_text())
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    missed = sorted(
        audit["title"]
        for audit in report["audits"].values()
        if audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
        and audit.get("score") is not None
        and audit["score"] < 1
    )
    return scores, missed


def main():
    described = prepare(articles=0)
    from bench.pages import targets

    found = {t.label: t.path for t in targets()}
    lines = [
        f"Lighthouse (mobile) | {described} | each page viewed once first (renditions made, "
        "fragments warm)",
        "",
        f"{'page':<20}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}  url",
    ]
    details = []
    with Server(), Chromium():
        for label in PAGES:
            if label not in found:
                lines.append(f"{label:<20}  (no such page yet)")
                continue
            fetch(found[label])
            scores, missed = lighthouse(label, found[label])
            row = "".join(f"{scores[c]:>6}" for c in CATEGORIES)
            lines.append(f"{label:<20}{row}  {found[label]}")
            if missed:
                details.append(f"{label}: " + "; ".join(missed))
    report = "\n".join(lines + ["", "Audits below full marks:", *details])
    print("\n" + report)
    (RESULTS / "lighthouse-latest.txt").write_text(report + "\n")


if __name__ == "__main__":
    stop_on_term()
    main()
