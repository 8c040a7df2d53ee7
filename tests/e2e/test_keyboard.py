"""Every public page, in a real browser, usable with the keyboard alone: each interactive
element is reached by Tab and drawn visibly focused when it is."""

import pytest

from .helpers import checked_pages

pytestmark = pytest.mark.browser

FOCUSABLE_JS = """
() => {
  const candidates = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]'
  );
  const visible = (el) => {
    if (el.disabled || el.tabIndex < 0 || el.type === 'hidden') return false;
    if (!el.getClientRects().length) return false;
    return getComputedStyle(el).visibility !== 'hidden';
  };
  const found = [...candidates].filter(visible);
  found.forEach((el, i) => { el.dataset.mwiFocus = String(i); });
  return found.map((el) => el.outerHTML.slice(0, 120));
}
"""

# Records, for every element that gets the focus, whether it is drawn so a sighted keyboard
# user can see it: an outline, or a box-shadow ring (Bootstrap's form controls), in a colour
# that is not transparent. Read back once per batch of Tabs (a round trip per Tab is enough).
RECORD_FOCUS_JS = """
() => {
  window.mwiFocused = [];
  const opaque = (color) => {
    const alpha = color.match(/rgba\\([^)]*,\\s*([\\d.]+)\\)/);
    return !alpha || parseFloat(alpha[1]) >= 0.2;
  };
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    if (el.dataset.mwiFocus === undefined) return;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1
      && opaque(style.outlineColor);
    const colors = /rgba?\\([^)]*\\)/g;
    const shadows = style.boxShadow === 'none' ? [] : style.boxShadow.match(colors) || [];
    const shadow = shadows.some((color) => opaque(color));
    window.mwiFocused.push({index: Number(el.dataset.mwiFocus), shown: outline || shadow});
  });
}
"""


def test_every_interactive_element_is_reachable_by_tab_and_visibly_focused(page, demo):
    # Without animations the focus ring is measured as drawn, not halfway through fading in.
    page.emulate_media(reduced_motion="reduce")
    problems = []
    for label, path in checked_pages():
        page.goto(path)
        elements = page.evaluate(FOCUSABLE_JS)
        reached, unseen = set(), []
        page.evaluate(RECORD_FOCUS_JS)
        page.locator("body").focus()
        # A date input takes three Tabs (month, day, year): allow them, stop once all are seen.
        budget = 3 * len(elements) + 3
        while budget > 0 and len(reached) < len(elements):
            batch = min(budget, len(elements) - len(reached))
            for _ in range(batch):
                page.keyboard.press("Tab")
            budget -= batch
            for focused in page.evaluate("window.mwiFocused.splice(0)"):
                reached.add(focused["index"])
                if not focused["shown"]:
                    unseen.append(elements[focused["index"]])
        missed = [html for i, html in enumerate(elements) if i not in reached]
        if missed:
            problems.append(f"{label}: not reachable by Tab: {missed[:3]}")
        if unseen:
            problems.append(f"{label}: focus not visible on: {unseen[:3]}")
    assert problems == [], "\n".join(problems)
