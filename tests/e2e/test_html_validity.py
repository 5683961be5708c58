"""Every public page type is valid HTML by the Nu HTML checker (npm `vnu-jar`, on Java):
the HTML each page is served as, checked in one run of the checker."""

import json
import os
import shutil
import subprocess

import pytest

from tests.e2e.checks import ROOT
from tests.e2e.pages import PAGE_TYPES

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def checker_missing():
    if not shutil.which("java"):
        return "the Nu HTML checker needs Java (`apt-get install default-jre-headless`)"
    if not VNU_JAR.exists():
        return f"the Nu HTML checker is {VNU_JAR.relative_to(ROOT)} (`npm ci`)"
    return None


def served_html(page, arrive):
    """The HTML of the document the visitor ends on, as the server sent it."""
    documents = []

    def remember(response):
        if response.request.resource_type == "document" and response.frame == page.main_frame:
            documents.append(response)

    page.on("response", remember)
    try:
        arrive(page)
    finally:
        page.remove_listener("response", remember)
    return documents[-1].body()


def nu_messages(files):
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return json.loads(result.stderr)["messages"]


def test_every_page_type_is_valid_html_by_the_nu_checker(demo_site, desktop, tmp_path):
    if missing := checker_missing():
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; CI must run it")
        pytest.skip(missing)
    files = []
    for page_type, arrive in PAGE_TYPES.items():
        path = tmp_path / f"{page_type}.html"
        path.write_bytes(served_html(desktop, arrive))
        files.append(path)

    messages = nu_messages(files)

    errors = [m for m in messages if m["type"] in {"error", "non-document-error"}]
    warnings = [m for m in messages if m.get("subType") == "warning"]
    counts = f"{len(errors)} errors, {len(warnings)} warnings"
    print(f"\nNu HTML checker, {len(files)} page types: {counts}")
    for warning in warnings:
        print("  warning", describe(warning))
    assert not errors, "\n".join(map(describe, errors))


def describe(message):
    where = f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine')}"
    return f"{where}: {message['message']} [{message.get('extract', '')}]"
