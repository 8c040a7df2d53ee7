"""How the API knows its caller: a personal access token, or the site's own session."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import AccessToken


class AccessTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer mwi_…` (RFC 6750): the token's owner is the request's user, so
    `request.audience` (participants.access) is the owner's. A wrong or revoked token is a
    401, never a silent anonymous answer."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>'."
            )
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        row = AccessToken.objects.authenticate(token)
        if row is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return row.user, row

    def authenticate_header(self, request):
        return self.keyword


class AccessTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema: HTTP bearer."""

    target_class = AccessTokenAuthentication
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token, made on one's profile (/profile/tokens/).",
        }
