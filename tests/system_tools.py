"""The programs the test suite runs besides Python packages, and the Debian package of each.

`make test` runs this file first: with a tool missing it prints one line naming the apt
packages and stops. A test that needs a tool calls `require(name)`, which fails (never skips)
with the same words, so a run without `make` says it too. `.ci/run` installs what
`--missing-packages` prints.
"""

import shutil
import sys

# name on PATH: (Debian package, what needs it)
TOOLS = {
    "chromium": ("chromium", "the browser tests (tests/e2e/)"),
    "java": ("default-jre-headless", "the HTML validity test (the Nu Html Checker)"),
    "node": ("nodejs", "ical.js, the calendar tests' second parser"),
    "npm": ("npm", "installing axe-core, ical.js and vnu-jar"),
    "ffmpeg": ("ffmpeg", "the media tests, which make their own short recordings"),
    "haproxy": ("haproxy", "the load-balancer tests"),
}


def found(name):
    # Debian puts haproxy in /usr/sbin, which is not on every user's PATH.
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def missing():
    return [name for name in TOOLS if not found(name)]


def message(names):
    packages = " ".join(TOOLS[name][0] for name in names)
    return (
        f"Missing system tools: {', '.join(names)}. Install them with "
        f"`sudo apt-get install {packages}` (needed by "
        + "; ".join(TOOLS[name][1] for name in names)
        + ")."
    )


def require(name):
    """Fail the calling test, saying which apt package to install, when `name` is missing."""
    if not found(name):
        import pytest

        pytest.fail(message([name]), pytrace=False)


if __name__ == "__main__":
    absent = missing()
    if "--missing-packages" in sys.argv:
        print(" ".join(TOOLS[name][0] for name in absent))
    elif absent:
        print(message(absent), file=sys.stderr)
        sys.exit(1)
