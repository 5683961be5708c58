"""Staff sign in through the browser, over the Secure cookies production settings set."""

from playwright.sync_api import expect

from tests.e2e.pages import sign_in

PASSWORD = "a-long-front-desk-passphrase"


def test_staff_sign_in_to_the_admin_and_keep_a_secure_session(live, desktop, django_user_model):
    django_user_model.objects.create_superuser("maya", "maya@harborpt.example", PASSWORD)

    sign_in(desktop, "maya", PASSWORD)

    expect(desktop.get_by_role("heading", level=1)).to_be_visible()
    cookies = {cookie["name"]: cookie for cookie in desktop.context.cookies()}
    assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
    assert cookies["csrftoken"]["secure"]


def test_wrong_password_keeps_staff_out_with_an_explanation(live, desktop, django_user_model):
    django_user_model.objects.create_superuser("maya", "maya@harborpt.example", PASSWORD)

    desktop.goto("/admin/login/")
    desktop.get_by_label("Username").fill("maya")
    desktop.get_by_label("Password").fill("not-the-password")
    desktop.get_by_role("button", name="Sign in").click()

    expect(desktop.get_by_text("Your username and password didn't match")).to_be_visible()
    assert "sessionid" not in {cookie["name"] for cookie in desktop.context.cookies()}
