"""What each change queues for the worker to purge (the Varnish tests show the purges
working end to end; these name the addresses)."""

import http.server
import threading

import pytest
from django_tasks_db.models import DBTaskResult

from bench.varnish import free_port
from tests.factories import (
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPostPageFactory,
    LocationFactory,
    StandardPageFactory,
    TherapistFactory,
    clinic_settings,
)

PURGE = "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task"
BAN = "clinic.purging.ban_everything"


@pytest.fixture
def purged(settings):
    """The addresses and bans queued from now on, on the worker's queue."""
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "clinic.purging.VarnishBackend", "LOCATION": "http://cache:6081"}
    }

    def queued():
        tasks = DBTaskResult.objects.filter(task_path__in=[PURGE, BAN])
        assert {task.backend_name for task in tasks} <= {"outbox"}
        assert {task.queue_name for task in tasks} <= {"purge"}
        urls = {
            url for task in tasks if task.task_path == PURGE for url in task.args_kwargs["args"][0]
        }
        return urls, sum(task.task_path == BAN for task in tasks)

    def reset():
        DBTaskResult.objects.filter(task_path__in=[PURGE, BAN]).delete()

    queued.reset = reset
    return queued


@pytest.fixture
def blog(home_page):
    index = BlogIndexPageFactory(parent=home_page)
    index.save_revision().publish()
    maya = TherapistFactory(name="Maya Okafor")
    back = BlogCategoryFactory(name="Back pain", slug="back-pain")
    first = BlogPostPageFactory(
        parent=index, slug="back", authors=[maya], categories=[back], tags=["sleep"]
    )
    return {"index": index, "maya": maya, "first": first}


def test_publishing_an_article_purges_it_and_every_list_that_shows_it(purged, blog):
    purged.reset()
    article = BlogPostPageFactory(parent=blog["index"], slug="ice-or-heat")
    urls, bans = purged()
    assert bans == 0
    base = "http://localhost"
    assert {
        f"{base}/blog/ice-or-heat/",
        f"{base}/blog/",
        f"{base}/blog/feed/",
        f"{base}/blog/category/back-pain/",
        f"{base}/blog/category/back-pain/feed/",
        f"{base}/blog/tag/sleep/",
        f"{base}/",
        f"{base}/sitemap.xml",
    } <= urls
    # The article's own address alone, ahead of the lists (the worker takes the highest
    # priority first).
    first = DBTaskResult.objects.filter(task_path=PURGE).order_by("-priority").first()
    assert first.args_kwargs["args"][0] == [f"{base}/blog/ice-or-heat/"]
    assert first.priority > max(
        task.priority for task in DBTaskResult.objects.filter(task_path=PURGE).exclude(pk=first.pk)
    )
    purged.reset()
    article.unpublish()
    assert f"{base}/blog/ice-or-heat/" in purged()[0]


def test_deleting_a_live_article_purges_it_and_its_lists(purged, blog):
    purged.reset()
    blog["first"].delete()
    urls, _ = purged()
    assert {"http://localhost/blog/back/", "http://localhost/blog/"} <= urls


def test_saving_a_therapist_purges_the_articles_they_wrote(purged, blog):
    purged.reset()
    blog["maya"].name = "Maya Okafor-Reyes"
    blog["maya"].save()
    urls, bans = purged()
    assert "http://localhost/blog/back/" in urls and bans == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda: clinic_settings(phone="+13605559999"),
        lambda: LocationFactory(name="Westside"),
        lambda: BlogCategoryFactory(name="Knees"),
    ],
    ids=["clinic settings", "a location", "a category"],
)
def test_a_site_wide_change_empties_the_whole_cache(purged, blog, change):
    purged.reset()
    change()
    assert purged()[1] >= 1


def test_a_page_of_the_main_menu_empties_the_whole_cache(purged, home_page):
    purged.reset()
    StandardPageFactory(parent=home_page, slug="insurance").save_revision().publish()
    assert purged()[1] >= 1


def test_without_a_front_cache_nothing_is_queued(settings, blog):
    settings.WAGTAILFRONTENDCACHE = {}
    DBTaskResult.objects.all().delete()
    BlogPostPageFactory(parent=blog["index"], slug="quiet")
    clinic_settings(phone="+13605559999")
    assert not DBTaskResult.objects.filter(task_path__in=[PURGE, BAN]).exists()


def test_the_ban_task_bans_varnish_once(settings, blog, monkeypatch):
    from clinic import purging

    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "clinic.purging.VarnishBackend", "LOCATION": "http://cache:6081"}
    }
    banned = []
    monkeypatch.setattr(purging.VarnishBackend, "ban", lambda self: banned.append(self))
    purging.ban_everything.call()
    assert len(banned) == 1


class RecordingCache(http.server.BaseHTTPRequestHandler):
    """A stand-in for Varnish on loopback: answers PURGE and BAN, keeps connections alive,
    and records each request with the connection it came on."""

    protocol_version = "HTTP/1.1"
    requests = []

    def answer(self):
        self.requests.append((self.command, self.headers["Host"], self.path, self.client_address))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PURGE = do_BAN = answer

    def log_message(self, *args):
        pass


@pytest.fixture
def recording_cache():
    RecordingCache.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingCache)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, RecordingCache.requests
    server.shutdown()
    server.server_close()


def test_varnish_gets_one_purge_per_path_over_one_connection(recording_cache):
    """The VCL purges a path with every query string of it: a list's hundreds of
    `?page=N` are one PURGE; Cloudflare and CloudFront still get each address."""
    from clinic.purging import VarnishBackend

    server, requests = recording_cache
    backend = VarnishBackend({"LOCATION": f"http://127.0.0.1:{server.server_port}"})
    backend.purge_batch(
        [
            "http://localhost/blog/",
            *(f"http://localhost/blog/?page={number}" for number in range(2, 300)),
            "http://localhost/blog/feed/",
            "http://localhost:8000/",
        ]
    )
    assert [(method, host, path) for method, host, path, _ in requests] == [
        ("PURGE", "localhost", "/blog/"),
        ("PURGE", "localhost", "/blog/feed/"),
        ("PURGE", "localhost:8000", "/"),
    ]
    assert len({client for *_, client in requests}) == 1, "one kept-alive connection"
    backend.ban()
    assert requests[-1][:3] == ("BAN", f"127.0.0.1:{server.server_port}", "/")


def test_a_cache_that_does_not_answer_is_logged_and_the_batch_given_up(caplog):
    from clinic.purging import VarnishBackend

    backend = VarnishBackend({"LOCATION": f"http://127.0.0.1:{free_port()}"})
    backend.purge_batch(["http://localhost/blog/", "http://localhost/blog/feed/"])
    assert "2 purges not sent" in caplog.text


def test_the_worker_takes_each_changed_page_before_any_list(purged, blog):
    """Two publishes queued together: the worker (which takes the first of `ready()` in
    the queue's own order, highest priority first) sends both articles' own purges
    before either list's addresses."""
    purged.reset()
    BlogPostPageFactory(parent=blog["index"], slug="ice-or-heat")
    BlogPostPageFactory(parent=blog["index"], slug="knee-pain")
    queued = DBTaskResult.objects.ready().filter(queue_name="purge", task_path=PURGE)
    assert queued.count() > 2  # the lists', and the new authors' pages
    assert [task.args_kwargs["args"][0] for task in queued[:2]] == [
        ["http://localhost/blog/ice-or-heat/"],
        ["http://localhost/blog/knee-pain/"],
    ]
