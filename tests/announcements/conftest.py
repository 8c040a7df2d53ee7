"""A real SMTP server (aiosmtpd) on loopback for the announcement tests, and a committee
with a list to announce to."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from tests.factories import CommitteeFactory

# The ports these tests may take (a free one is picked): the test servers' range of this area.
PORTS = range(20700, 20800)
LIST = "mwi@lists.example.org"


def _free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


class _Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((tuple(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


class SMTPServer:
    """aiosmtpd on 127.0.0.1:`port`; `messages()` parses what it received (email package)."""

    def __init__(self):
        self.port = _free_port()
        self.inbox = _Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def messages(self):
        return [
            email.message_from_bytes(content, policy=email.policy.default)
            for _rcpt, content in self.inbox.received
        ]

    def recipients(self):
        return [rcpt for rcpt, _content in self.inbox.received]


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "Committee meetings <meetings@example.org>"
    settings.SITE_URL = "https://committees.example.org"
    yield server
    server.stop()


@pytest.fixture
def listed_committee(db):
    return CommitteeFactory(
        name="ML Workflow & InterOp Committee",
        short_name="MWI",
        slug="mwi",
        announce_to=LIST,
        announce_reply_to="mwi-leads@example.org",
        join_visibility="public",
    )
