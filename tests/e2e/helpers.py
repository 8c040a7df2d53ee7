"""Constants and small helpers shared by the browser tests."""

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's password


def sign_in(page, username, password=PASSWORD, next_url="/"):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_violations(page):
    """axe-core's violations on the current page, as readable strings (empty when accessible).

    The script is evaluated through the DevTools protocol, which the page's CSP does not govern,
    so the page under test keeps its real policy.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in results
    ]


# The admin's sign-in page is the lead's door; it is checked with the public pages.
ADMIN_LOGIN = ("admin login", "/admin/login/?next=/admin/")


def checked_pages():
    """[(label, path)]: every public HTML page (tests/pages.py) and the admin's sign-in page."""
    from tests.pages import html_pages

    return [*html_pages(), ADMIN_LOGIN]
