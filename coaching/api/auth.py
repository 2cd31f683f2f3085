"""Token sign-in and sign-out (django-rest-knox), guarded by django-axes and the login throttle.

Tokens are stored hashed, expire after ``REST_KNOX["TOKEN_TTL"]`` (renewed on use) and are one
per device: signing out revokes only the token used. Signing in deletes the user's expired tokens
(``coaching.api.authentication`` checks only the token a request brings). Browser pages keep using the session.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import get_token_model
from knox.settings import knox_settings
from knox.views import LogoutAllView as KnoxLogoutAllView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from coaching.api.authentication import TokenAuthentication
from coaching.api.schema import errors
from coaching.api.serializers import LoginSerializer, TokenSerializer
from coaching.api.throttles import LoginThrottle
from coaching.api.views import ApiMixin, ApiView

BAD_CREDENTIALS = "Email or password is wrong."


@extend_schema(tags=["auth"])
class TokenLoginView(ApiView):
    # Credentials are in the body: an old or broken Authorization header must not get in the way.
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]
    throttle_scope = "login"

    @extend_schema(
        summary="Sign in: get a token for this device",
        description="Email and password in, a token out: send it as `Authorization: Token <token>` on every "
        "other call. One token per device; it expires 30 days after its last use. Repeated failures for one "
        "email lock it out for a while (429 with `Retry-After`).",
        request=LoginSerializer,
        responses={201: TokenSerializer, **errors(400, 415, 429)},
        auth=[],
    )
    def post(self, request: Any) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].strip().lower()
        # axes counts failures on the Django request (and marks it locked out there), keyed by
        # the credential named like USERNAME_FIELD: pass ``email=``, not ``username=``.
        django_request = request._request
        user = authenticate(django_request, email=email, password=serializer.validated_data["password"])
        if getattr(django_request, "axes_locked_out", False):
            # Answer in the API's terms (JSON 429 with Retry-After) instead of axes' page.
            django_request.axes_locked_out = False
            cool_off = get_cool_off(django_request)
            wait = int(cool_off.total_seconds()) if cool_off else None
            raise exceptions.Throttled(wait=wait, detail="Too many failed sign-ins. Try again later.")
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [BAD_CREDENTIALS]})
        # The user's expired tokens go now (a request checks only its own token: authentication.py).
        get_token_model().objects.filter(user=user, expiry__lt=timezone.now()).delete()
        instance, token = get_token_model().objects.create(
            user=user, expiry=knox_settings.TOKEN_TTL, prefix=knox_settings.TOKEN_PREFIX
        )
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response(
            TokenSerializer({"token": token, "expiry": instance.expiry}).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["auth"])
class TokenLogoutView(ApiMixin, KnoxLogoutView):
    authentication_classes = [TokenAuthentication]  # the API's (knox's views name knox's own)

    @extend_schema(
        summary="Sign out this device: revoke the token used",
        description="Revokes the token this request was sent with; the user's other devices stay signed in.",
        request=None,
        responses={204: OpenApiResponse(description="Revoked."), **errors(401, 429)},
    )
    def post(self, request: Any, format: Any = None) -> Response:
        return super().post(request, format)


@extend_schema(tags=["auth"])
class TokenLogoutAllView(ApiMixin, KnoxLogoutAllView):
    authentication_classes = [TokenAuthentication]

    @extend_schema(
        summary="Sign out every device: revoke all your tokens",
        request=None,
        responses={204: OpenApiResponse(description="Revoked."), **errors(401, 429)},
    )
    def post(self, request: Any, format: Any = None) -> Response:
        return super().post(request, format)
