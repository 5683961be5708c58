"""What the browser tests look for on every page: screenshots, axe-core, visible focus."""

import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

# Nothing may leave the machine: no component updates, no sync, no background fetches.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}

# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core has no wcag22a rules).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def size_of(page):
    """The name of the window size the page was opened at ("phone" or "desktop")."""
    width = page.viewport_size["width"]
    return next(name for name, size in SIZES.items() if size["viewport"]["width"] == width)


def screenshot(page, page_type):
    """Write the whole page to test-artifacts/screenshots/<page type>-<size>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{page_type}-{size_of(page)}.png"
    page.screenshot(path=path, full_page=True)
    return path


@functools.cache
def axe_source():
    return AXE_SCRIPT.read_text()


def axe_violations(page):
    """Run axe-core on the page as it is now; the WCAG A/AA violations it finds.

    axe-core is evaluated through the DevTools protocol rather than added as a <script>:
    the site's Content-Security-Policy (rightly) refuses inline scripts, and the tests
    keep that policy in force instead of bypassing it.
    """
    page.evaluate(axe_source())
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return results["violations"]


def format_violations(violations, where=""):
    """One paragraph per rule: what is wrong, how bad, where, and how to fix it."""
    lines = [f"{len(violations)} accessibility violation(s){' on ' + where if where else ''}:"]
    for violation in violations:
        lines.append(
            f"\n[{violation['impact']}] {violation['id']}: {violation['help']}"
            f"\n  rule: {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " > ".join(str(part) for part in node["target"])
            summary = re.sub(r"\s+", " ", node.get("failureSummary") or "").strip()
            html = re.sub(r"\s+", " ", node["html"]).strip()
            lines.append(f"  - {target}\n      {html[:200]}\n      {summary}")
    return "\n".join(lines)


def assert_accessible(page, page_type):
    """The page has no WCAG 2.0/2.1/2.2 A or AA violation that axe-core can detect."""
    violations = axe_violations(page)
    assert not violations, format_violations(violations, f"{page_type} ({size_of(page)})")


def inspect_page(page, page_type):
    """What every visited page goes through: a screenshot to look at, then axe-core."""
    screenshot(page, page_type)
    assert_accessible(page, page_type)


# How the focused element looks, and whether anything fixed (a sticky bar) hides it.
# The focus ring may be drawn by an ancestor (a whole card, through :focus-within): the
# nearest element, from the focused one up, with an outline or shadow carries it.
# "Hidden" means none of five points of the element (centre, inset corners) is on top.
FOCUS_STATE = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const drawsRing = (node) => {
        const style = getComputedStyle(node);
        return style.outlineStyle !== "none" || style.boxShadow !== "none";
    };
    let ring = element;
    while (ring && ring !== document.body && !drawsRing(ring)) ring = ring.parentElement;
    if (!ring || ring === document.body) ring = element;
    const style = getComputedStyle(ring);
    const box = element.getBoundingClientRect();
    const points = [
        [box.left + box.width / 2, box.top + box.height / 2],
        [box.left + 2, box.top + 2], [box.right - 2, box.top + 2],
        [box.left + 2, box.bottom - 2], [box.right - 2, box.bottom - 2],
    ].filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
    const onTop = points.map(([x, y]) => document.elementFromPoint(x, y));
    const shows = onTop.some(
        (hit) => hit && (hit === element || element.contains(hit) || hit.contains(element)));
    const cover = onTop.find((hit) => hit && !element.contains(hit) && !hit.contains(element));
    return {
        html: element.outerHTML.replace(/\\s+/g, " ").slice(0, 120),
        id: element.id,
        text: element.innerText.trim(),
        inMain: !!element.closest("main"),
        segmented: element.matches(
            "input[type=date], input[type=time], input[type=datetime-local], "
            + "input[type=month], input[type=week]"),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
        outlineColor: style.outlineColor,
        boxShadow: style.boxShadow,
        inViewport: points.length > 0,
        hidden: !shows,
        coveredBy: cover ? cover.outerHTML.replace(/\\s+/g, " ").slice(0, 80) : "",
    };
}"""
MAX_TAB_STOPS = 80


def focus_state(page):
    """How the element that has the keyboard focus looks now (None: nothing focused)."""
    return page.evaluate(FOCUS_STATE)


def focus_indicator_problems(state):
    """Why a sighted keyboard user could not see this focused element (empty: they can).

    Visible means the browser's own focus ring (outline style "auto", drawn in two
    contrasting colours), an outline of at least 2px that is not transparent (the site's
    focus style) or a box shadow, on an element inside the window. Date and time inputs
    always show it: Chromium highlights the focused part (mm/dd/yyyy) inside the field.
    """
    problems = []
    has_outline = (
        state["segmented"]
        or state["outlineStyle"] == "auto"
        or (
            state["outlineStyle"] not in ("none", "hidden")
            and state["outlineWidth"] >= 2
            and state["outlineColor"] not in ("transparent", "rgba(0, 0, 0, 0)")
        )
    )
    if not has_outline and state["boxShadow"] in ("none", ""):
        problems.append(
            f"no visible focus indicator (outline: {state['outlineStyle']} "
            f"{state['outlineWidth']}px {state['outlineColor']}; box-shadow: "
            f"{state['boxShadow']})"
        )
    if not state["inViewport"]:
        problems.append("it is outside the window")
    return problems


def focus_hidden_problems(state):
    """WCAG 2.4.11: the focused element must not be entirely hidden by fixed content."""
    if state["inViewport"] and state["hidden"]:
        return [f"it is hidden behind {state['coveredBy']}"]
    return []


def tab_through(page):
    """Press Tab from the top of the page until focus leaves it; each stop's focus state."""
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    stops = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        state = focus_state(page)
        if state is None or (stops and state["html"] == stops[0]["html"]):
            break
        stops.append(state)
    return stops


def focus_failures(page, check):
    """Readable lines for every Tab stop on the page where `check` finds problems."""
    return [
        f"Tab stop {number} {state['html']}: {'; '.join(problems)}"
        for number, state in enumerate(tab_through(page), start=1)
        if (problems := check(state))
    ]


# The words a sighted person reads on an element: its text, less what is visually hidden.
VISIBLE_TEXT = """element => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const parts = [];
    while (walker.nextNode()) {
        const box = walker.currentNode.parentElement.getBoundingClientRect();
        if (box.width > 1 && box.height > 1) parts.push(walker.currentNode.textContent);
    }
    return parts.join(" ").replace(/\\s+/g, " ").trim();
}"""


def label_not_in_name(locator):
    """WCAG 2.5.3: the element's accessible name must contain the words it shows, so that
    voice-control users can say them. A readable problem, or None."""
    visible = locator.evaluate(VISIBLE_TEXT)
    name = re.match(r'- \w+ "(.*)"', locator.aria_snapshot()).group(1)
    if visible.lower() not in name.lower():
        return f"shows {visible!r} but is named {name!r}"
    return None
