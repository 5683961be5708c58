"""A keyboard user: the first Tab offers to skip to the content, and it does."""

from playwright.sync_api import expect

from tests.e2e.checks import focus_indicator_problems, focus_state


def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_the_content(live, page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert not focus_indicator_problems(focus_state(page))

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.keyboard.press("Tab")
    state = focus_state(page)
    assert state["inMain"], f"after skipping, Tab went to {state['html']}, outside main"
    expect(page.get_by_role("main").get_by_role("link").first).to_be_focused()
