"""Every public page type, and how a visitor arrives at it.

Each opener takes a Playwright page, brings it to that page type as a visitor would see
it (following links or submitting forms where that is how one gets there) and checks
the HTTP status. The accessibility and keyboard tests run on every entry, at phone and
desktop sizes; a new page type needs only a new entry here.
"""


def arrive(page, path, status=200):
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}, not {status}"


def home(page):
    arrive(page, "/")


def not_found(page):
    arrive(page, "/no-such-page/", status=404)


def booking_form(page):
    arrive(page, "/book/")


def guide_request(page):
    arrive(page, "/guide/")


PAGE_TYPES = {
    "home": home,
    "not-found": not_found,
    "booking-form": booking_form,
    "guide-request": guide_request,
}


def sign_in(page, username, password):
    """Sign in to the admin through its login form, as staff do every morning."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
