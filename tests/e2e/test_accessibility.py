"""Every public page type, at phone and desktop sizes: WCAG 2.x A/AA and visible focus.

Screenshots of each page type at both sizes land in test-artifacts/screenshots/.
"""

import pytest

from tests.e2e.checks import (
    axe_violations,
    focus_failures,
    focus_hidden_problems,
    focus_indicator_problems,
    format_violations,
    screenshot,
    size_of,
)
from tests.e2e.pages import PAGE_TYPES


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_meets_wcag_aa_with_visible_focus_on_phone_and_desktop(
    page_type, demo_site, phone, desktop
):
    problems = []
    for page in (phone, desktop):
        where = f"{page_type} ({size_of(page)})"
        PAGE_TYPES[page_type](page)
        screenshot(page, page_type)
        if violations := axe_violations(page):
            problems.append(format_violations(violations, where))
        if failures := focus_failures(page, focus_indicator_problems):
            problems.append(f"Focus not visible on {where}:\n  " + "\n  ".join(failures))
    assert not problems, "\n\n".join(problems)


def test_call_and_book_bar_never_hides_the_keyboard_focus_on_a_phone(demo_site, phone):
    problems = []
    for page_type, arrive in PAGE_TYPES.items():
        arrive(phone)
        if failures := focus_failures(phone, focus_hidden_problems):
            problems.append(f"{page_type}:\n  " + "\n  ".join(failures))
    assert not problems, "Focus hidden on a phone:\n" + "\n".join(problems)
