"""The foundation: configuration, health, error pages, production checks, compose file."""

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import wagtail_factories
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.models import Page, Site

from clinic.models import ClinicSettings, HomePage, Location, Therapist
from clinic.views import server_error
from tests.factories import clinic_settings

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Jx9-pQz_Lw2mVt7Rb4Yn8Hc6Fd1Gs5Ae0Uo3Ik9Pl2Xz7Cv4Bn6Mq8Wr1Ty5Eu"


def run_django(code, **env):
    """Run Python with the project's settings in a fresh process, with the given env."""
    clean_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean_env.update(env)
    clean_env["DJANGO_SETTINGS_MODULE"] = "clinic.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "secret_key",
    [None, "", "short", "django-insecure-" + "x" * 60, "a" * 80],
    ids=["missing", "empty", "short", "django-insecure", "low-variety"],
)
def test_production_refuses_to_start_without_a_proper_secret_key(secret_key):
    env = {"DEBUG": "0"}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    result = run_django("import django; django.setup()", **env)
    assert result.returncode == 1
    message = result.stderr.strip()
    assert "\n" not in message, "the explanation is one line, not a traceback"
    assert "SECRET_KEY" in message


def test_production_starts_with_a_strong_secret_key():
    result = run_django(
        "import django; django.setup(); print('up')", DEBUG="0", SECRET_KEY=STRONG_KEY
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "up"


def test_check_deploy_has_no_warnings_with_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "www.harborpt.example",
            "CSRF_TRUSTED_ORIGINS": "https://www.harborpt.example",
            "SECURE_SSL_REDIRECT": "1",
            "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
            "ADMINS": "Front desk <frontdesk@harborpt.example>",
            "SITE_URL": "https://www.harborpt.example",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_healthz_answers_200_with_json_and_is_never_cached(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_liveness_only_and_stays_200_with_the_database_down(client, database_down):
    """A database outage must not get every healthy web container restarted: /readyz
    is the check that says the site cannot serve (tests/clinic/test_health.py)."""
    assert client.get("/healthz").status_code == 200


def test_healthz_refuses_other_methods(client, db):
    assert client.post("/healthz").status_code == 405


def test_unknown_page_gets_the_branded_404(client, db):
    clinic_settings(phone="+13605550142")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn&#x27;t find that page" in html or "We couldn't find that page" in html
    assert 'href="tel:+13605550142"' in html


def test_500_page_shows_the_phone_saved_in_settings(db, django_db_blocker):
    clinic_settings(phone="+13605559876")
    with django_db_blocker.block():  # any database query now raises
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "(360) 555-9876" in html
    assert "Harbor Physical Therapy" in html


def test_500_page_falls_back_to_the_database_without_a_contact_card(db, contact_card_file):
    from clinic import contact_card

    clinic_settings(phone="+13605551111")
    contact_card.forget()
    contact_card_file.unlink()
    html = server_error(RequestFactory().get("/")).content.decode()
    assert "(360) 555-1111" in html


def test_a_page_view_brings_a_process_the_phone_another_process_saved(
    client, db, django_db_blocker, contact_card_file
):
    from clinic import contact_card

    clinic_settings(phone="+13605556666")
    contact_card.forget()  # this process did not save them: it holds nothing
    contact_card_file.unlink()
    client.get("/")
    assert contact_card_file.exists()
    with django_db_blocker.block():  # the database is gone too
        html = server_error(RequestFactory().get("/")).content.decode()
    assert "(360) 555-6666" in html


def test_an_unhandled_error_renders_the_500_page(client, db, settings):
    settings.ROOT_URLCONF = "tests.clinic.failing_urls"
    client.raise_request_exception = False
    clinic_settings(phone="+13605552222")
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "(360) 555-2222" in response.content.decode()


def test_site_root_is_the_clinic_home_page(client, db):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    response = client.get("/")
    assert response.status_code == 200
    assert b"<h1>" in response.content


def test_home_page_links_hashed_compressed_static_files(client, db):
    html = client.get("/").content.decode()
    match = re.search(r'href="(/static/clinic/css/site\.[0-9a-f]{12}\.css)"', html)
    assert match, "stylesheet is served under a hashed name"
    response = client.get(match.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response.get("Content-Encoding") == "gzip"


def test_admin_login_carries_the_clinic_name(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert settings.WAGTAIL_SITE_NAME in response.content.decode()


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://localhost/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_sitemap_lists_the_home_page(client, db):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"<loc>http://localhost/</loc>" in response.content


def test_demo_content_loads_twice_without_duplicates(db):
    call_command("load_demo", stdout=io.StringIO())
    counts = (Page.objects.count(), Therapist.objects.count(), Location.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Page.objects.count(), Therapist.objects.count(), Location.objects.count()) == counts
    assert Therapist.objects.count() >= 3
    assert ClinicSettings.for_site(Site.objects.get(is_default_site=True)).phone


def test_demo_content_keeps_what_staff_edited(db):
    call_command("load_demo", stdout=io.StringIO())
    clinic_settings(phone="+13605553333")
    call_command("load_demo", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert ClinicSettings.for_site(site).phone.as_e164 == "+13605553333"


def settings_variables():
    """Every environment variable name clinic/settings.py reads."""
    source = (ROOT / "clinic" / "settings.py").read_text()
    return set(
        re.findall(
            r"""(?:environ(?:\.get)?\(|environ\[|env_\w+\()\s*["']([A-Z0-9_]+)["']""", source
        )
    )


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_describes_a_working_stack():
    services = compose()["services"]
    assert {"db", "redis", "migrate", "web", "worker", "cache", "balancer", "proxy", "mailpit"} <= (
        set(services)
    )

    db = services["db"]
    assert db["image"].startswith("postgres:17")  # the image's pg_dump is 17 (Dockerfile)
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose()["volumes"]
    assert "db_worker" in services["worker"]["command"]
    assert services["mailpit"]["profiles"] == ["local"], "the mail catcher is for trying it"

    known = settings_variables()
    for name in ("migrate", "web", "worker"):
        unknown = set(services[name]["environment"]) - known
        assert not unknown, f"{name} sets variables the settings never read: {unknown}"


def test_compose_has_no_default_secrets_and_refuses_to_start_without_them():
    text = (ROOT / "docker-compose.yml").read_text()
    env = compose()["services"]["web"]["environment"]
    for secret in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "POSTGRES_PASSWORD"):
        uses = re.findall(rf"\$\{{{secret}(:?[-?])?([^}}]*)\}}", text)
        assert uses, f"{secret} is not taken from .env"
        for operator, message in uses:
            if operator:
                assert operator == ":?", f"{secret} has a default: {operator}{message}"
                assert "make secrets" in message, "the refusal says how to make the secret"
    assert (
        env["SECRET_KEY"]
        == "${SECRET_KEY:?SECRET_KEY is missing: run `make secrets` to write .env}"
    )
    assert "DEMO" not in env and "DEBUG" not in env


def test_compose_runs_migrations_once_before_web_and_worker():
    services = compose()["services"]
    migrate = services["migrate"]
    assert migrate["restart"] == "no"
    steps = migrate["command"]
    assert steps.index("migrate --noinput") < steps.index("first_run")
    assert "schedule_tasks" in steps and "purge_requests --schedule" in steps
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert "migrate" not in services[name]["command"]
        assert "load_demo" not in services[name]["command"]
    assert "load_demo" not in (ROOT / "docker-compose.yml").read_text()
    assert "ports" not in services["web"], "only the proxy is reachable from outside"


def test_compose_puts_caddy_in_front_and_django_trusts_exactly_its_proxies():
    services = compose()["services"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:2")
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert any(volume.endswith(":/data") for volume in proxy["volumes"]), "certificates kept"
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "{$SITE_DOMAIN}" in caddyfile and "Strict-Transport-Security" in caddyfile
    assert "reverse_proxy {$UPSTREAM:cache:6081}" in caddyfile, "to the HTTP cache (Varnish)"
    env = services["web"]["environment"]
    assert env["SECURE_PROXY_SSL_HEADER_NAME"] == "HTTP_X_FORWARDED_PROTO"
    assert env["TRUSTED_PROXY_COUNT"] == "3", "Caddy, Varnish, the balancer: X-Forwarded-For"
    assert env["CSRF_TRUSTED_ORIGINS"] == "https://${SITE_DOMAIN}"
    for relaxed in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS"):
        assert relaxed not in env, f"{relaxed}: production keeps the secure default"


def test_compose_worker_makes_and_keeps_the_daily_backups():
    services = compose()["services"]
    worker = services["worker"]
    assert "backups:/app/backups" in worker["volumes"] and "backups" in compose()["volumes"]
    env = worker["environment"]
    assert env["BACKUP_DIR"] == "/app/backups"
    assert env["BACKUP_KEEP"] == "${BACKUP_KEEP:-14}"
    assert env["ADMINS"].startswith("${ADMINS:?"), "errors reach someone from the first day"


@pytest.mark.skipif(shutil.which("docker") is None, reason="Docker is not installed")
def test_docker_compose_accepts_the_file(tmp_path):
    probe = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip("no Docker engine runs here (docker info failed)")
    env_file = tmp_path / ".env"
    env_file.write_text(
        "SECRET_KEY=x\nFIELD_ENCRYPTION_KEYS=y\nPOSTGRES_PASSWORD=z\nSITE_DOMAIN=localhost\n"
        "ADMINS=a@example.com\n"
    )
    result = subprocess.run(
        ["docker", "compose", "--env-file", str(env_file), "config", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    missing = subprocess.run(
        ["docker", "compose", "--env-file", "/dev/null", "config", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode != 0 and "make secrets" in missing.stderr


def test_every_settings_variable_is_documented():
    documented_env = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    for name in settings_variables():
        assert name in documented_env, f"{name} missing from .env.example"
        assert name in readme, f"{name} missing from README.md"


def test_healthz_json_is_small(client, db):
    assert len(json.dumps(client.get("/healthz").json())) < 100


def test_images_are_served_without_a_proxy_but_document_files_are_not(client, db):
    image = wagtail_factories.ImageFactory(title="Hero")
    rendition = image.get_rendition("fill-80x45")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")

    private = Path(settings.MEDIA_ROOT) / "documents" / "intake-form.pdf"
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_bytes(b"%PDF-1.4 patient notes")
    try:
        assert client.get("/media/documents/intake-form.pdf").status_code == 404
    finally:
        private.unlink()


def test_gunicorn_spreads_keep_alive_connections_over_every_worker(monkeypatch):
    """gunicorn.conf.py (Docker image, compose, make bench): a worker holds at most two
    connections per thread, so long-lived ones cannot pile onto one worker."""
    import runpy

    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    assert (config["workers"], config["threads"]) == (3, 4)
    assert config["worker_class"] == "gthread"
    assert config["worker_connections"] == 8
