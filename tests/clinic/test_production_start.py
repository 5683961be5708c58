"""A production start on an empty database, as the compose stack does it: migrations,
first run, `check --deploy`, then gunicorn behind Debian's Caddy with its local CA, and
the admin signed into over HTTPS."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Jx9-pQz_Lw2mVt7Rb4Yn8Hc6Fd1Gs5Ae0Uo3Ik9Pl2Xz7Cv4Bn6Mq8Wr1Ty5Eu"

pytestmark = pytest.mark.skipif(
    shutil.which("caddy") is None, reason="Caddy is not installed (CI installs Debian's)"
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.2)


def answers(url, **kwargs):
    try:
        requests.get(url, timeout=2, allow_redirects=False, **kwargs)
    except requests.RequestException:
        return False
    return True


def test_an_empty_production_site_starts_behind_caddy_and_its_admin_signs_in(
    scratch_database, tmp_path
):
    https_port, http_port, web_port = free_port(), free_port(), free_port()
    origin = f"https://localhost:{https_port}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DATABASE_URL": scratch_database,
        "SECRET_KEY": STRONG_KEY,
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "localhost",
        "CSRF_TRUSTED_ORIGINS": origin,
        # Search engines' address for the site (443); this Caddy listens on a spare port.
        "SITE_URL": "https://localhost",
        "WAGTAILADMIN_BASE_URL": origin,
        "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
        "SECURE_SSL_REDIRECT": "1",
        "TRUSTED_PROXY_COUNT": "1",  # Caddy only: this test has no HTTP cache between
        "ADMINS": "lead@harborpt.example",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "LOG_LEVEL": "WARNING",
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    first_run = manage("first_run")
    assert manage("sync_site").strip() == "Site now at https://localhost."
    password = re.search(r"shown only this once: (\S+)", first_run).group(1)
    assert "System check identified no issues" in manage(
        "check", "--deploy", "--fail-level", "WARNING"
    )
    counts = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from wagtail.models import Page; from clinic.models import Therapist; "
        "from booking.models import AppointmentRequest; "
        "print(Page.objects.count(), Therapist.objects.count(), "
        "AppointmentRequest.objects.count())",
    )
    assert counts.split() == ["2", "0", "0"], "root and home only: no demo content"

    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "clinic.wsgi", "-b", f"127.0.0.1:{web_port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    caddy_env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "SITE_DOMAIN": f"localhost:{https_port}",
        "HTTP_PORT": str(http_port),
        "HTTPS_PORT": str(https_port),
        "CADDY_ADMIN": "off",
        "UPSTREAM": f"127.0.0.1:{web_port}",
    }
    caddy = subprocess.Popen(
        ["caddy", "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        env=caddy_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        root_ca = tmp_path / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        wait_for(lambda: answers(f"http://127.0.0.1:{web_port}/healthz"), "gunicorn start")
        wait_for(root_ca.exists, "Caddy's local CA")
        wait_for(lambda: answers(f"{origin}/healthz", verify=str(root_ca)), "Caddy serving TLS")

        redirect = requests.get(
            f"http://localhost:{http_port}/admin/", allow_redirects=False, timeout=10
        )
        assert redirect.status_code in (301, 308)
        # To HTTPS, same host and path (Caddy names no port here: in production it is 443).
        target = urlsplit(redirect.headers["Location"])
        assert (target.scheme, target.hostname, target.path) == ("https", "localhost", "/admin/")

        browser = requests.Session()
        browser.verify = str(root_ca)  # trust Caddy's local CA, as `caddy trust` would
        browser.trust_env = False  # ...and not a CA bundle named in the environment
        login = browser.get(f"{origin}/admin/login/", timeout=10)
        assert login.status_code == 200
        assert login.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        signed_in = browser.post(
            f"{origin}/admin/login/",
            data={"csrfmiddlewaretoken": token, "username": "admin", "password": password},
            headers={"Referer": f"{origin}/admin/login/"},
            timeout=30,
        )
        assert signed_in.status_code == 200 and signed_in.url == f"{origin}/admin/"
        assert "Sign out" in signed_in.text or "Log out" in signed_in.text
        assert all(cookie.secure for cookie in browser.cookies)
        assert browser.get(f"{origin}/", timeout=10).status_code == 200
    finally:
        for process in (caddy, web):
            process.terminate()
            process.wait(timeout=10)
