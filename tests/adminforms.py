"""Reading admin pages as a browser does: the POST an unchanged form sends, its errors.

Parsed with lxml: the admin's change forms are large, and Python's html.parser made reading
them a quarter of the re-save tests' time.
"""

from bs4 import BeautifulSoup


def form_data(html, form_id=None):
    """The POST a browser would send for the (first, or `form_id`) admin form in `html`.

    Inputs, selects and textareas as rendered, inline management forms included; the empty
    inline templates (`__prefix__`), disabled fields, file inputs and buttons are left out.
    Returns {name: [values]} (the test client sends lists as repeated fields).
    """
    soup = BeautifulSoup(html, "lxml")
    if form_id:
        form = soup.find("form", id=form_id)
    else:
        form = soup.find("form", id=lambda v: v and v.endswith("_form")) or soup.find(
            "form", method=lambda v: v and v.lower() == "post"
        )
    assert form is not None, "no form on the page"
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or "__prefix__" in name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            text = field.text
            # Browsers drop the newline right after <textarea>.
            data.setdefault(name, []).append(text[1:] if text.startswith("\n") else text)
        elif field.name == "select":
            options = field.find_all("option")
            chosen = [o.get("value", o.text) for o in options if o.has_attr("selected")]
            if not chosen and not field.has_attr("multiple") and options:
                chosen = [options[0].get("value", options[0].text)]
            data.setdefault(name, []).extend(chosen)
        else:
            kind = field.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and not field.has_attr("checked"):
                continue
            default = "on" if kind in ("checkbox", "radio") else ""
            data.setdefault(name, []).append(field.get("value", default))
    return data


def form_errors(html):
    """The texts of the error notes and error lists on an admin page."""
    soup = BeautifulSoup(html, "lxml")
    return [
        " ".join(e.get_text(" ", strip=True).split()) for e in soup.select(".errorlist, .errornote")
    ]
