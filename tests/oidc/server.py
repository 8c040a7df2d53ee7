"""Start and stop the test OpenID Provider (tests/oidc/provider.mjs, npm's oidc-provider)."""

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("provider.mjs")
ROOT = SCRIPT.parents[2]
CLIENT_ID = "mwi-tests"
CLIENT_SECRET = "mwi-tests-secret-not-a-real-one"  # noqa: S105 (the test provider's own)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    """A running provider: `issuer`, and `stop()`."""

    def __init__(self, redirect_uri, post_logout_uri, accounts):
        if not shutil.which("node"):
            pytest.fail("node is missing: apt-get install nodejs, then npm ci")
        if not (ROOT / "node_modules" / "oidc-provider").exists():
            pytest.fail("npm's oidc-provider is missing: run npm ci")
        port = free_port()
        self.issuer = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
            ["node", str(SCRIPT), str(port), redirect_uri, post_logout_uri, json.dumps(accounts)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("ready"):
                return
            if self.process.poll() is not None:
                break
        self.stop()
        pytest.fail("the test OpenID Provider did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def configure(settings, issuer, **extra):
    """Point the site at the provider (what the OIDC_* environment variables do)."""
    settings.OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = extra.pop("name", "Test ID")
    if "participants.oidc.Backend" not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "participants.oidc.Backend",
        ]
    # The sign-out form's answer redirects to the provider: mwi/settings.py allows its origin.
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], issuer],
    }
    for name, value in extra.items():
        setattr(settings, name, value)
    # A provider of an earlier test may have listened on the same port: its discovery document,
    # kept in the cache under the issuer's URL, is not this provider's.
    from django.core.cache import cache

    from participants import oidc

    cache.delete(oidc.discovery_key(issuer))
