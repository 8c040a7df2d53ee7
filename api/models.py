"""Personal access tokens: how a script reads the API as the person who made the token."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# Tokens are "mwi_" + 43 URL-safe characters (256 random bits): recognisable in a leaked
# config file, and far too many to guess, so a fast hash (SHA-256) is enough to store them.
PREFIX = "mwi_"


def digest(token):
    """The stored form of a token (str): its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


class AccessTokenQuerySet(models.QuerySet):
    def issue(self, user, name):
        """Create a token for `user` named `name`; returns (AccessToken, the token text).

        Only the hash is stored: the text is shown to its owner once and never again."""
        token = PREFIX + secrets.token_urlsafe(32)
        row = self.create(user=user, name=name, key_hash=digest(token), hint=token[-4:])
        return row, token

    def authenticate(self, token):
        """The AccessToken of `token` (str), its user joined, or None. One query; marks the
        token used (at most one write per minute per token)."""
        if not token.startswith(PREFIX):
            return None
        row = self.select_related("user").filter(key_hash=digest(token)).first()
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used is None or now - row.last_used > dt.timedelta(minutes=1):
            type(row).objects.filter(pk=row.pk).update(last_used=now)
            row.last_used = now
        return row


class AccessToken(models.Model):
    """A personal access token: a script sends it as `Authorization: Bearer <token>` and reads
    the API with its owner's rights (participants.access.Audience of the owner)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. a script.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(
        max_length=4, editable=False, help_text="The token's last four characters."
    )
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.name} (…{self.hint})"
