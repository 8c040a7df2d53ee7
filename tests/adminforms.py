"""Reading admin pages as a browser does: the POST an unchanged form sends, its errors.

Parsed with lxml.html, without a tree of Python objects on top: the admin's change forms are
large, and reading them was a quarter of the re-save tests' time with html.parser, and an
eighth with BeautifulSoup over lxml.
"""

import lxml.html

SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


def _tree(html):
    return lxml.html.document_fromstring(html if html.strip() else "<html></html>")


def _form(html, form_id=None):
    forms = _tree(html).forms
    if form_id:
        found = [f for f in forms if f.get("id") == form_id]
    else:
        found = [f for f in forms if (f.get("id") or "").endswith("_form")] or [
            f for f in forms if (f.get("method") or "").lower() == "post"
        ]
    assert found, "no form on the page"
    return found[0]


def _option_value(option):
    """What a browser posts for an <option>: its value, else its text."""
    return option.get("value", option.text or "")


def form_data(html, form_id=None):
    """The POST a browser would send for the (first, or `form_id`) admin form in `html`.

    Inputs, selects and textareas as rendered, inline management forms included; the empty
    inline templates (`__prefix__`), disabled fields, file inputs and buttons are left out.
    Returns {name: [values]} (the test client sends lists as repeated fields).
    """
    data = {}
    for field in _form(html, form_id).iter("input", "select", "textarea"):
        name = field.get("name")
        if not name or "__prefix__" in name or field.get("disabled") is not None:
            continue
        if field.tag == "textarea":
            text = field.text or ""
            # Browsers drop the newline right after <textarea>.
            data.setdefault(name, []).append(text[1:] if text.startswith("\n") else text)
        elif field.tag == "select":
            options = list(field.iter("option"))
            chosen = [_option_value(o) for o in options if o.get("selected") is not None]
            if not chosen and field.get("multiple") is None and options:
                chosen = [_option_value(options[0])]
            data.setdefault(name, []).extend(chosen)
        else:
            kind = (field.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                continue
            if kind in ("checkbox", "radio") and field.get("checked") is None:
                continue
            default = "on" if kind in ("checkbox", "radio") else ""
            data.setdefault(name, []).append(field.get("value", default))
    return data


def form_errors(html):
    """The texts of the error notes and error lists on an admin page."""
    found = _tree(html).xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' errorlist ')"
        " or contains(concat(' ', normalize-space(@class), ' '), ' errornote ')]"
    )
    return [" ".join(" ".join(e.itertext()).split()) for e in found]
