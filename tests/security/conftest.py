import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Sign-in tests hash passwords dozens of times; the production hasher costs ~0.3 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
