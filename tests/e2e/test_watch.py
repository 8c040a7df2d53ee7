"""The watch that every browser test relies on really sees CSP violations and console errors
(otherwise "0 violations" would prove nothing)."""

import pytest

pytestmark = pytest.mark.browser


def test_the_watch_sees_a_blocked_inline_style_and_a_console_error(page, page_watch, db):
    page.goto("/accounts/login/")
    # An inline style is what the CSP forbids; the page itself never adds one.
    page.evaluate(
        """() => {
          const style = document.createElement('style');
          style.textContent = 'body { color: red; }';
          document.head.append(style);
          console.error('deliberate');
        }"""
    )
    page.wait_for_timeout(100)
    found = "\n".join(page_watch.problems)
    assert "CSP violation: style-src" in found
    assert "deliberate" in found
    page_watch.problems.clear()
