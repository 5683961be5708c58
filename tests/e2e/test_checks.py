"""The checks themselves catch what they are meant to catch, on pages built to fail."""

from tests.e2e.checks import (
    axe_violations,
    focus_failures,
    focus_hidden_problems,
    focus_indicator_problems,
    format_violations,
    label_not_in_name,
)

INACCESSIBLE = """<!DOCTYPE html><html><head><title>Bad</title></head><body><main>
<h1>Bad page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Grey on white</p>
<input type="text">
</main></body></html>"""

HIDDEN_FOCUS = """<!DOCTYPE html><html lang="en"><head><title>Focus</title><style>
a { display: block; margin-top: 50px; }
.quiet:focus { outline: none; }
.card:focus-within { outline: 3px solid #1a4fd6; }
.bar { position: fixed; bottom: 0; left: 0; right: 0; height: 120px; background: #fff; }
</style></head><body><main>
<a href="#one">Ring</a><a class="quiet" href="#two">No ring</a>
<div class="card"><a class="quiet" href="#card">Ring on the card</a></div>
<div style="height: 2000px"></div><a href="#three">Under the bar</a>
</main><div class="bar">Bar</div></body></html>"""


def test_axe_finds_missing_alt_text_low_contrast_and_unlabelled_fields(desktop):
    desktop.set_content(INACCESSIBLE)

    violations = axe_violations(desktop)

    found = {violation["id"] for violation in violations}
    assert {"image-alt", "color-contrast", "label", "html-has-lang"} <= found
    message = format_violations(violations, "bad page")
    assert "on bad page" in message
    assert "[critical] image-alt: Images must have alternative text" in message
    assert '<input type="text">' in message


def test_label_in_name_check_sees_a_link_named_other_than_it_reads(desktop):
    desktop.set_content(
        "<style>.hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; }"
        '</style><a href="/call/">Call <span class="hidden">(360) 555-0142</span></a>'
        '<a href="/book/"><span aria-hidden="true">Book</span>'
        '<span class="hidden">Request an appointment</span></a>'
    )

    call, book = desktop.get_by_role("link").all()

    assert label_not_in_name(call) is None
    assert label_not_in_name(book) == "shows 'Book' but is named 'Request an appointment'"


def test_axe_runs_under_a_strict_content_security_policy(desktop):
    desktop.route(
        "http://csp.test/",
        lambda route: route.fulfill(
            headers={"Content-Security-Policy": "default-src 'self'; script-src 'self'"},
            content_type="text/html",
            body=INACCESSIBLE,
        ),
    )
    desktop.goto("http://csp.test/")

    assert "image-alt" in {violation["id"] for violation in axe_violations(desktop)}


def test_focus_checks_see_a_missing_ring_and_a_link_under_a_fixed_bar(phone):
    phone.set_content(HIDDEN_FOCUS)

    no_ring = focus_failures(phone, focus_indicator_problems)
    hidden = focus_failures(phone, focus_hidden_problems)

    assert len(no_ring) == 1 and "No ring" in no_ring[0]
    assert "no visible focus indicator" in no_ring[0]
    assert len(hidden) == 1 and "Under the bar" in hidden[0]
    assert 'hidden behind <div class="bar">' in hidden[0]
