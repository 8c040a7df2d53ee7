"""Small HTML scanners shared by the security tests (stdlib html.parser, no regex guessing)."""

import html
from html.parser import HTMLParser

# A data block is not executed, so a strict CSP allows it (Django's json_script writes these).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, {attr: value})
        self._script = None
        self.inline_scripts = []

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        self.tags.append((tag.lower(), attributes))
        if tag.lower() == "script":
            self._script = (attributes, [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag.lower() == "script" and self._script is not None:
            attributes, body = self._script
            if "src" not in attributes and attributes.get("type") not in DATA_SCRIPT_TYPES:
                self.inline_scripts.append("".join(body))
            self._script = None


def parse(text):
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector


def csp_violations(text):
    """What a strict CSP (no 'unsafe-inline') would block in a page: a list of descriptions."""
    page = parse(text)
    problems = [f"inline <script>: {body[:60]!r}" for body in page.inline_scripts]
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            if name == "style":
                problems.append(f"style= on <{tag}>: {value[:60]!r}")
            elif name.startswith("on"):
                problems.append(f"{name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and is_script_url(value):
                problems.append(f"{name}={value[:60]!r} on <{tag}>")
        if tag == "style":
            problems.append("inline <style> element")
    return problems


def is_script_url(value):
    """Whether a URL would run code, after the decoding a browser does.

    A browser decodes character references in the attribute and drops tabs, newlines and
    leading control characters before reading the scheme. It does not percent-decode the
    scheme: "%6Aavascript:" is a relative path, so %xx is not decoded here.
    """
    decoded = value
    for _ in range(3):  # nested encodings: &amp;#106; -> &#106; -> j
        decoded = html.unescape(decoded)
    squeezed = "".join(ch for ch in decoded if ch > " " and ch != "\x7f").lower()
    return squeezed.startswith(SCRIPT_SCHEMES)


def links(text):
    """Every href of <a> and <link> elements in a page."""
    return [
        attributes["href"]
        for tag, attributes in parse(text).tags
        if tag in {"a", "link"} and attributes.get("href")
    ]


class _FormParser(HTMLParser):
    """The fields a browser would submit from the first <form method="post"> of a page."""

    def __init__(self, skip_ids):
        super().__init__(convert_charrefs=True)
        self.skip_ids = skip_ids
        self.data, self._in_form, self._done = [], False, False
        self._select = self._textarea = None
        self._options = []

    def handle_starttag(self, tag, attrs):
        a = {name: value if value is not None else "" for name, value in attrs}
        if self._done:
            return
        if (
            tag == "form"
            and a.get("method", "").lower() == "post"
            and a.get("id") not in self.skip_ids
        ):
            self._in_form = True
        if not self._in_form or "disabled" in a:
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and "name" in a and kind not in {"submit", "button", "image", "file"}:
            if kind not in {"checkbox", "radio"} or "checked" in a:
                self.data.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and "name" in a:
            self._textarea = [a["name"], ""]
        elif tag == "select" and "name" in a:
            self._select, self._options = (a["name"], "multiple" in a), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            name, value = self._textarea
            self.data.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.data.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_data(text, skip_ids=("logout-form",)):
    """{name: value or [values]} of the page's first POST form, as a browser would send it.

    The admin's header has a sign-out form; it is skipped.
    """
    parser = _FormParser(set(skip_ids))
    parser.feed(text)
    result = {}
    for name, value in parser.data:
        if name in result:
            previous = result[name]
            result[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            result[name] = value
    return result
