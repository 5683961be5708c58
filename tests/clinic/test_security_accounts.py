"""Admin accounts: password storage and rules, sign-in lockout, what an editor may reach."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

import clinic.settings as production_settings
from clinic.security import client_ip

PASSPHRASE = "harbor-tide-lantern-42"
LOGIN_URL = "/admin/login/"


def sign_in(client, username, password, ip="198.51.100.20"):
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip, secure=True
    )


@pytest.fixture
def frontdesk(django_user_model):
    return django_user_model.objects.create_user(
        "frontdesk", password=PASSPHRASE, is_superuser=True
    )


def test_passwords_are_stored_with_argon2_and_older_hashes_upgraded_on_sign_in(
    client, django_user_model, settings
):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    user = django_user_model.objects.create_user("therapist", password=PASSPHRASE)
    assert user.password.startswith("argon2$")

    user.password = PBKDF2PasswordHasher().encode(PASSPHRASE, "oldsalt")
    user.save()
    assert sign_in(client, "therapist", PASSPHRASE).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_passwords_need_at_least_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("tide-lanter")  # 11
    validate_password("tide-lantern")  # 12


def test_signing_in_issues_a_new_session_key(client, frontdesk):
    client.get(LOGIN_URL, secure=True)
    session = client.session
    session["seen_cookie_banner"] = True
    session.save()
    key_before = session.session_key

    assert sign_in(client, "frontdesk", PASSPHRASE).status_code == 302
    assert client.session.session_key != key_before
    assert client.get("/admin/", secure=True).status_code == 200


def test_too_many_wrong_passwords_lock_that_username_from_that_address(client, frontdesk, settings):
    attacker = "203.0.113.7"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "frontdesk", "guess-guess-guess", ip=attacker)
        assert response.status_code == 200  # the form again, with an error

    locked = sign_in(client, "frontdesk", "guess-guess-guess", ip=attacker)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed sign-in attempts for “frontdesk” from your network" in page
    assert "for 15 minutes" in page
    right_password_too_late = sign_in(client, "frontdesk", PASSPHRASE, ip=attacker)
    assert right_password_too_late.status_code == 429

    # The real front desk, elsewhere, still signs in: one attacker cannot lock users out.
    assert sign_in(client, "frontdesk", PASSPHRASE, ip="198.51.100.20").status_code == 302


def test_a_lockout_ends_after_the_cool_off(client, frontdesk, settings):
    attacker = "203.0.113.8"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "frontdesk", "guess-guess-guess", ip=attacker)
    assert sign_in(client, "frontdesk", PASSPHRASE, ip=attacker).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(seconds=1)
    )
    assert sign_in(client, "frontdesk", PASSPHRASE, ip=attacker).status_code == 302


def test_client_address_behind_a_proxy_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9", "the left part was written by the client"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2", "fewer hops than proxies: the header is forged"


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client, frontdesk, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN_URL,
            {"username": "frontdesk", "password": "guess-guess-guess"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.10",
            secure=True,
        )
    locked = client.post(
        LOGIN_URL,
        {"username": "frontdesk", "password": PASSPHRASE},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.10",
        secure=True,
    )
    assert locked.status_code == 429


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("therapist", password=PASSPHRASE)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


ADMIN_ONLY_URLS = {
    "clinic settings": "/admin/settings/clinic/clinicsettings/",
    "users": "/admin/users/",
    "groups": "/admin/groups/",
}


@pytest.mark.parametrize("area", ADMIN_ONLY_URLS)
def test_an_editor_cannot_open_settings_users_or_groups_by_url(client, editor, area):
    client.force_login(editor)
    response = client.get(ADMIN_ONLY_URLS[area], secure=True)
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def test_an_editor_sees_no_settings_users_or_groups_in_the_menu(client, editor, admin_user):
    client.force_login(admin_user)
    admin_dashboard = client.get("/admin/", secure=True).content.decode()
    client.force_login(editor)
    editor_dashboard = client.get("/admin/", secure=True).content.decode()

    for url in ADMIN_ONLY_URLS.values():
        assert url in admin_dashboard, "the check looks at the right place"
        assert url not in editor_dashboard


def test_sign_in_without_a_request_still_works_for_scripts_and_tests(client, frontdesk):
    """Only sign-ins from a request have an address to lock; the others are not blocked."""
    assert client.login(username="frontdesk", password=PASSPHRASE)
    assert not client.login(username="frontdesk", password="guess-guess-guess")
