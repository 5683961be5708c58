"""Real-browser fixtures: Debian's Chromium, driven by Playwright, against a live server.

Every test in this package is marked `e2e` and runs in its own pytest process after the
rest of the suite (see the Makefile's `test` target). The live server is pytest-django's,
a thread of the test process talking to the same test database, so the tests arrange data
with factories and assert what the database holds, while the browser sees real pages.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.checks import AXE_SCRIPT, CHROMIUM, CHROMIUM_ARGS, ROOT, SIZES

# Generous: the first view of a page makes its image renditions (AVIF encoding), which on
# a busy shared machine takes longer than any person would wait twice.
TIMEOUT_MS = 30_000


def _missing_tool():
    if not CHROMIUM.exists():
        return (
            f"browser tests need Debian's Chromium at {CHROMIUM} "
            "(`apt-get install chromium`; .ci/run installs it)"
        )
    if not AXE_SCRIPT.exists():
        return (
            f"browser tests need axe-core at {AXE_SCRIPT.relative_to(ROOT)} "
            "(`npm ci`; `make test` runs it)"
        )
    return None


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = _missing_tool()
    for item in items:
        if here not in item.path.parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing and not os.environ.get("CI"):
            item.add_marker(pytest.mark.skip(reason=missing))


@pytest.fixture(autouse=True)
def browser_tools():
    """CI installs both tools: there, a missing one fails the run instead of skipping."""
    missing = _missing_tool()
    if missing:
        pytest.fail(f"{missing}; CI must run the browser tests")


def _no_static_handler(application):
    return application


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with static files served as in production.

    Address: --liveserver or DJANGO_LIVE_TEST_SERVER_ADDRESS, else localhost on a free port.
    The host name must be "localhost", not 127.0.0.1: the settings mark session and CSRF
    cookies Secure (DEBUG is off), and Chromium keeps Secure cookies over plain HTTP only
    for localhost, which it treats as a secure origin.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    # Django's live server would answer /static/ from the source folders, where the hashed
    # names the templates link to (ManifestStaticFilesStorage) do not exist. Without that
    # handler, the site's own WhiteNoise middleware serves them from STATIC_ROOT.
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One headless Chromium for the whole package; each test gets fresh contexts.

    Playwright's sync API keeps an asyncio event loop running on this thread (inside a
    greenlet) while the browser is open, and Django behaves as in async code while it does:
    1. It refuses ORM calls from the test body ("You cannot call this from an async
       context"). Nothing runs concurrently here - the test's queries happen one at a
       time between browser commands, and the live server answers from its own thread
       with its own connection - so the guard is off exactly while the loop runs.
    2. It keeps database connections per asyncio context instead of per thread, so the
       test body gets new connection objects. They are handed the snapshot of the
       migrated database that the serialized rollback restores (see `live`), and closed
       before the loop stops so that the test database can be dropped at the end.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            for alias, snapshot in snapshots.items():
                connections[alias]._test_serialized_contents = snapshot
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
            connections.close_all()


@pytest.fixture
def live(live_server, django_db_serialized_rollback):
    """The live server with the database as migrations left it (root page, home, site).

    Live-server tests commit for real and the database is emptied after each one; the
    serialized rollback restores the migrations' content before each test.
    """
    return live_server


@pytest.fixture
def demo_site(live):
    """The site as `make run` shows it: the demo content of every app."""
    call_command("load_demo", stdout=io.StringIO())
    return live


def _open(browser, live, size):
    context = browser.new_context(base_url=live.url, **SIZES[size])
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def phone(browser, live):
    """A page in a phone-sized, touch window (390x844)."""
    context, page = _open(browser, live, "phone")
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live):
    """A page in a desktop window (1280x900)."""
    context, page = _open(browser, live, "desktop")
    yield page
    context.close()


@pytest.fixture(params=list(SIZES))
def page(request, browser, live):
    """A page at each size in turn: the test runs once on a phone, once on a desktop."""
    context, page = _open(browser, live, request.param)
    yield page
    context.close()
