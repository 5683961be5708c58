"""What a deployment starts with: secrets it refuses to run without, no demo content, a
first-run set-up, and Django trusting exactly its proxies."""

import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from wagtail.models import Page, Site

from clinic.models import ClinicSettings, HomePage, Therapist
from clinic.security import client_ip
from tests.factories import AppointmentRequestFactory, BlogIndexPageFactory

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Jx9-pQz_Lw2mVt7Rb4Yn8Hc6Fd1Gs5Ae0Uo3Ik9Pl2Xz7Cv4Bn6Mq8Wr1Ty5Eu"


def run_python(code, drop=(), **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO", *drop}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "clinic.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_field_encryption_keys():
    result = run_python(
        "import django; django.setup()",
        drop={"FIELD_ENCRYPTION_KEYS"},
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
    )
    assert result.returncode == 1
    message = result.stderr.strip()
    assert "\n" not in message and "FIELD_ENCRYPTION_KEYS" in message
    assert "make secrets" in message


def test_check_deploy_fails_when_the_field_key_is_derived_from_the_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "FIELD_ENCRYPTION_KEYS"},
            "DEBUG": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "clinic.E001" in result.stderr


def test_production_leaves_the_demo_out():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "from django.core.management import get_commands; "
        "print('demo' in settings.INSTALLED_APPS, 'load_demo' in get_commands())",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
    )
    assert result.stdout.split() == ["False", "False"], result.stderr


def make_env(tmp_path, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "make_env.py"), *args],
        env={"ENV_FILE": str(tmp_path / ".env"), "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_env(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def test_make_secrets_writes_a_private_env_file_and_never_replaces_a_key(tmp_path):
    result = make_env(tmp_path, "SITE_DOMAIN=www.harborpt.example", "ADMINS=lead@harborpt.example")
    assert result.returncode == 0, result.stderr
    env_file = tmp_path / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    first = read_env(env_file)
    assert len(first["SECRET_KEY"]) >= 50 and first["SITE_DOMAIN"] == "www.harborpt.example"
    from cryptography.fernet import Fernet

    Fernet(first["FIELD_ENCRYPTION_KEYS"])

    assert make_env(tmp_path, "EMAIL_HOST=smtp.harborpt.example").returncode == 0
    second = read_env(env_file)
    for secret in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "POSTGRES_PASSWORD"):
        assert second[secret] == first[secret]
    assert second["EMAIL_HOST"] == "smtp.harborpt.example"
    refused = make_env(tmp_path, "FIELD_ENCRYPTION_KEYS=another")
    assert refused.returncode != 0 and read_env(env_file) == second
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_first_run_prepares_an_empty_site_once(db):
    out = io.StringIO()
    call_command("first_run", stdout=out)
    printed = out.getvalue()
    admin = get_user_model().objects.get(is_superuser=True)
    password = printed.split("shown only this once: ")[1].split()[0]
    assert admin.check_password(password)
    assert "Clinic settings" in printed
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert ClinicSettings.for_site(site).name

    again = io.StringIO()
    call_command("first_run", stdout=again)
    assert password not in again.getvalue() and "exists already" in again.getvalue()
    assert get_user_model().objects.count() == 1
    assert Page.objects.count() == 2  # root and home: no demo content


def test_first_run_takes_the_admin_from_the_environment(db, settings):
    settings.FIRST_ADMIN_USERNAME = "maya"
    settings.FIRST_ADMIN_EMAIL = "maya@harborpt.example"
    settings.FIRST_ADMIN_PASSWORD = "a-long-passphrase-for-maya"
    out = io.StringIO()
    call_command("first_run", stdout=out)
    admin = get_user_model().objects.get(username="maya")
    assert admin.email == "maya@harborpt.example"
    assert admin.check_password("a-long-passphrase-for-maya")
    assert "a-long-passphrase-for-maya" not in out.getvalue()


def test_load_demo_refuses_a_database_with_the_clinics_own_content(home_page):
    BlogIndexPageFactory(parent=home_page, title="Our news", slug="news")
    AppointmentRequestFactory(reference="REAL0001")
    with pytest.raises(CommandError, match=r"1 pages, 1 appointment requests"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Therapist.objects.exists()

    call_command("load_demo", "--force", stdout=io.StringIO())
    assert Therapist.objects.exists()
    call_command("load_demo", "--force", stdout=io.StringIO())


def test_load_demo_runs_again_on_its_own_content(db):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # nothing but its own: no refusal


def test_demo_testimonials_are_named_as_examples(db):
    from clinic.models import Testimonial

    call_command("load_demo", stdout=io.StringIO())
    names = list(Testimonial.objects.values_list("patient_name", flat=True))
    assert names and all(name.endswith("(example)") for name in names)


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        # Caddy replaces what the client sent with the address it saw; Varnish appends
        # Caddy's address, the balancer Varnish's: the client is third from the right.
        ("203.0.113.7, 172.18.0.5, 172.18.0.6", "203.0.113.7"),
        # A client's own X-Forwarded-For never reaches Django through Caddy; if Caddy
        # appended instead, the spoofed entry is still further left and ignored.
        ("6.6.6.6, 203.0.113.7, 172.18.0.5, 172.18.0.6", "203.0.113.7"),
    ],
)
def test_behind_caddy_and_varnish_the_client_address_is_the_one_caddy_saw(
    settings, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = int(compose()["x-app-env"]["TRUSTED_PROXY_COUNT"])
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR="172.18.0.9"
    )
    assert client_ip(request) == expected


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_puts_varnish_between_caddy_and_every_web_replica():
    services = compose()["services"]
    cache, balancer = services["cache"], services["balancer"]
    assert re.fullmatch(r"varnish:\d+\.\d+", cache["image"]), "the official image, pinned"
    assert cache["environment"]["VARNISH_HTTP_PORT"] == "6081"
    assert "./deploy/varnish/default.vcl:/etc/varnish/default.vcl:ro" in cache["volumes"]
    assert "./deploy/varnish/compose-site.vcl:/etc/varnish/site.vcl:ro" in cache["volumes"]
    assert "ports" not in cache and "ports" not in balancer, "only the proxy is public"
    assert services["proxy"]["depends_on"] == ["cache"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy {$UPSTREAM:cache:6081}" in caddyfile
    assert "@purge method PURGE BAN" in caddyfile, "the internet cannot purge"

    # Varnish reaches web through the balancer: a Varnish backend must resolve to one
    # address, and `web` resolves to one per replica (--scale web=3).
    site_vcl = (ROOT / "deploy" / "varnish" / "compose-site.vcl").read_text()
    assert re.search(r'\.host = "balancer";\s*\.port = "8081"', site_vcl)
    assert "/healthz" in site_vcl and "/var/lib/clinic/error-page/500.html" in site_vcl
    balancer_file = (ROOT / "deploy" / "balancer.Caddyfile").read_text()
    assert "dynamic a" in balancer_file and "{$BALANCER_UPSTREAM:web}" in balancer_file
    assert "./deploy/balancer.Caddyfile:/etc/caddy/Caddyfile:ro" in balancer["volumes"]


def test_compose_writes_the_error_page_varnish_shows_and_purges_through_the_worker():
    services = compose()["services"]
    assert "--error-page /app/error-page/500.html" in services["migrate"]["command"]
    assert "error-page:/app/error-page" in services["migrate"]["volumes"]
    assert "error-page:/var/lib/clinic/error-page:ro" in services["cache"]["volumes"]
    for name in ("web", "worker"):
        assert services[name]["environment"]["VARNISH_URL"] == "http://cache:6081"


def test_purges_have_a_worker_of_their_own_polling_often_wherever_it_runs():
    """Compose's `purger`, `make run` and `make worker`, and the benchmark run the same
    command; the `worker` still takes every queue, purges too."""
    from bench.varnish import PURGER

    command = "python manage.py " + " ".join(PURGER)
    assert "--queue-name purge" in command and "--interval 0.2" in command
    services = compose()["services"]
    assert services["purger"]["command"] == command
    assert services["purger"]["environment"]["VARNISH_URL"] == "http://cache:6081"
    assert services["purger"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "--queue-name '*'" in services["worker"]["command"]
    makefile = (ROOT / "Makefile").read_text()
    assert f"PURGER := $(BIN)/{command}" in makefile
    assert makefile.count("$(PURGER) &") == 2, "make run and make worker"


def test_compose_keeps_varnish_working_files_in_memory():
    cache = compose()["services"]["cache"]
    assert "/var/lib/varnish/varnishd:exec" in cache["tmpfs"]
    assert cache["ulimits"]["memlock"] == {"soft": -1, "hard": -1}


def test_scaled_web_replicas_hold_no_state_of_their_own():
    """`--scale web=3`: every replica reads the same database and Redis, and pages from
    Varnish; nothing a replica keeps in its own memory changes a page."""
    env = compose()["x-app-env"]
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["DATABASE_URL"].startswith("postgres://")
    web = compose()["services"]["web"]
    assert "container_name" not in web and "ports" not in web, "replicas need neither"
