"""Sign-in through the foundation's OpenID Connect provider (LF ID on Auth0, Keycloak, Google).

Built on mozilla-django-oidc, which does the authorization code flow with PKCE (RFC 7636),
state and nonce, and checks the ID token's signature against the provider's JWKS. What this
module adds:

- **Discovery** (OpenID Connect Discovery 1.0 §4): the endpoints and signing algorithm come
  from `<OIDC_ISSUER>/.well-known/openid-configuration`, fetched when first needed and kept
  in the cache for DISCOVERY_SECONDS. A provider that is down, or a document that is not
  valid JSON, lacks an endpoint or names another issuer, raises ProviderError with a message
  the sign-in page shows; nothing about it is a server error.
- **The ID token's issuer and audience** are checked too (OpenID Connect Core §3.1.3.7).
- **Accounts:** one account per provider subject (`sub`), named "oidc-<hash>", so a provider
  username can never take over a local account. On first sign-in the account is linked to the
  Person with the same *verified* e-mail, or else the same LF ID username (Person.lf_id), when
  exactly one person without an account matches. Otherwise the account has no committee
  rights until foundation staff link it (Person.user in the admin).
- **Sign-out** ends the session and, when the provider has an end_session_endpoint, sends the
  browser there (RP-Initiated Logout 1.0) with the ID token as hint.
"""

import hashlib
import logging
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.views.decorators.http import require_POST
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .models import Person

log = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
DOWN_MESSAGE = (
    "Signing in with {name} is not possible right now: {problem}. Try again in a few "
    "minutes{local}."
)


class ProviderError(Exception):
    """The identity provider cannot be used: down, or its discovery document is wrong."""


def enabled():
    return bool(settings.OIDC_ISSUER)


def provider_name():
    """What the sign-in button calls the provider: OIDC_PROVIDER_NAME, else its host name."""
    return (
        settings.OIDC_PROVIDER_NAME or urlsplit(settings.OIDC_ISSUER).hostname or "single sign-on"
    )


def discovery_key(issuer):
    """The cache key of `issuer`'s discovery document."""
    return "oidc:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()[:16]


def discovery():
    """The provider's discovery document (a dict), from the cache or fetched (one request).

    Raises ProviderError when the provider does not answer, answers with an error, or the
    document is not JSON, lacks one of REQUIRED_ENDPOINTS or names another issuer.
    """
    issuer = settings.OIDC_ISSUER
    key = discovery_key(issuer)
    document = cache.get(key)
    if document is not None:
        return document
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
    except requests.RequestException as error:
        log.warning("OIDC discovery at %s failed: %s", url, error)
        raise ProviderError("the provider does not answer") from None
    try:
        document = response.json()
    except ValueError:
        raise ProviderError("the provider's discovery document is not JSON") from None
    if not isinstance(document, dict):
        raise ProviderError("the provider's discovery document is not a JSON object")
    missing = [name for name in REQUIRED_ENDPOINTS if not document.get(name)]
    if missing:
        raise ProviderError(f"the provider's discovery document lacks {', '.join(missing)}")
    if document.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
        raise ProviderError("the provider's discovery document names another issuer")
    cache.set(key, document, DISCOVERY_SECONDS)
    return document


def _signing_algorithm(document):
    offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    return "RS256" if "RS256" in offered else offered[0]


def _down_message(problem):
    local = ", or sign in with your password" if settings.LOCAL_SIGNIN else ""
    return DOWN_MESSAGE.format(name=provider_name(), problem=problem, local=local)


def _back_to_sign_in(request, problem):
    messages.error(request, _down_message(problem))
    return HttpResponseRedirect(reverse("login"))


class SignInView(OIDCAuthenticationRequestView):
    """Start the code flow: redirect to the provider's authorization endpoint."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not enabled():
            return HttpResponseRedirect(reverse("login"))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = discovery()["authorization_endpoint"]
        except ProviderError as error:
            return _back_to_sign_in(request, str(error))
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back: a failure is a message on the sign-in page."""

    @property
    def failure_url(self):
        return reverse("login")

    def get(self, request):
        try:
            return super().get(request)
        except ProviderError as error:
            return _back_to_sign_in(request, str(error))
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as error:
            log.warning("OIDC sign-in failed: %s", error)
            messages.error(request, f"Signing in with {provider_name()} failed; try again.")
            return HttpResponseRedirect(reverse("login"))

    def login_failure(self):
        if self.request.GET.get("error"):
            messages.error(
                self.request, f"{provider_name()} did not sign you in; nothing was changed."
            )
        return super().login_failure()


class Backend(OIDCAuthenticationBackend):
    """Authentication backend for the provider's callback (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        # Nothing is fetched here: every sign-in, local ones too, builds every backend.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 (mozilla-django-oidc's name)
        return discovery()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return discovery().get("userinfo_endpoint", "")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return discovery()["jwks_uri"]

    @property
    def OIDC_RP_SIGN_ALGO(self):  # noqa: N802
        return _signing_algorithm(discovery())

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "code" not in request.GET:
            return None  # a local sign-in: not this backend's
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """Signature with the provider's algorithm, issuer, audience and expiry."""
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {alg!r}, not the provider's.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=discovery()["issuer"],
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token rejected: {error}") from None

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint when there is one."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") == payload.get("sub"):
                claims.update(info)
        return claims

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=account_name(claims["sub"]))

    def create_user(self, claims):
        with transaction.atomic():
            user = self.UserModel.objects.create_user(
                account_name(claims["sub"]),
                email=claims.get("email", "") if claims.get("email_verified") else "",
                first_name=(claims.get("given_name") or claims.get("name") or "")[:150],
                last_name=(claims.get("family_name") or "")[:150],
            )
            link_person(user, claims)
        return user

    def update_user(self, user, claims):
        if not hasattr(user, "person"):
            link_person(user, claims)
        return user


def account_name(subject):
    """The account name for a provider subject: "oidc-" and 40 hex digits of issuer and sub."""
    digest = hashlib.sha256(f"{settings.OIDC_ISSUER}|{subject}".encode()).hexdigest()
    return "oidc-" + digest[:40]


def provider_username(claims):
    """The provider's user name (the LF ID username on LF ID): preferred_username or
    nickname (Auth0 puts it there)."""
    return (claims.get("preferred_username") or claims.get("nickname") or "").strip()


def link_person(user, claims):
    """Link the account to the one Person without an account whose e-mail is the claims'
    verified e-mail, or else whose LF ID is the provider's user name. Returns the person or
    None (then the account has no committee rights)."""
    free = Person.objects.filter(user__isnull=True)
    candidates = []
    email = (claims.get("email") or "").strip()
    if email and claims.get("email_verified") is True:
        candidates = list(free.filter(email__iexact=email)[:2])
    username = provider_username(claims)
    if not candidates and username:
        candidates = list(free.filter(lf_id__iexact=username)[:2])
    if len(candidates) != 1:
        return None
    person = candidates[0]
    person.user = user
    person.save(update_fields=["user", "updated"])
    return person


def provider_logout_url(request):
    """Where sign-out sends the browser: the provider's end_session_endpoint for a session
    that signed in there (RP-Initiated Logout 1.0 §2), else LOGOUT_REDIRECT_URL."""
    home = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    id_token = request.session.get("oidc_id_token")
    if not id_token or not enabled():
        return home
    try:
        end_session = discovery().get("end_session_endpoint")
    except ProviderError:
        return home
    if not end_session:
        return home
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": home,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{end_session}?{query}"


@require_POST
def sign_out(request):
    """End the session here, then at the provider where it signed in (see above)."""
    url = provider_logout_url(request)
    auth.logout(request)
    return HttpResponseRedirect(url)


class SignInPage(LoginView):
    """The sign-in page: "Sign in with <provider>" and, unless LOCAL_SIGNIN=0, the local
    username and password form (throttled by django-axes)."""

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_SIGNIN:
            messages.error(request, f"Sign in with {provider_name()}.")
            return HttpResponseRedirect(request.get_full_path())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "local_signin": settings.LOCAL_SIGNIN,
            "provider_name": provider_name() if enabled() else "",
        }
