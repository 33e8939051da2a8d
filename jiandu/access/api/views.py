"""Accounts in the API: tokens, the caller, and the accounts whose body is in the caller's scope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import match_token
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiandu.access import two_factor
from jiandu.access.api.authentication import token_expired
from jiandu.access.api.serializers import (
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
)
from jiandu.access.filtersets import UserFilterSet
from jiandu.access.models import User
from jiandu.core import audit
from jiandu.core.api.viewsets import ScopedReadOnlyViewSet
from jiandu.core.models import AuditAction


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("Too many failed sign-ins: the account is locked for now. Try again later.")
    default_code = "locked_out"


def check_second_factor(user: User, code: str) -> None:
    """A token is a sign-in: the same two-factor rule as the login page, and the same first password."""
    step = two_factor.step_for(user)
    if step is two_factor.Step.ENROL:
        raise exceptions.PermissionDenied(
            _("Your account must use two-factor sign-in: enrol on the web first, then ask for a token.")
        )
    if step is two_factor.Step.VERIFY:
        if not code:
            raise exceptions.ValidationError(
                {"otp": [_("Your account uses two-factor sign-in: send the current code as otp.")]}
            )
        if match_token(user, code) is None:
            raise exceptions.ValidationError(
                {
                    "otp": [
                        _(
                            "This code is not right or has already been used. Wait for the next code and try again."
                        )
                    ]
                }
            )
    if user.must_change_password:
        raise exceptions.PermissionDenied(
            _("Choose your own password on the web first, then ask for a token.")
        )


class TokenView(APIView):
    """POST a username and password (and `otp`, the two-factor code, if the account uses it) for a token
    (`Authorization: Token <token>`); DELETE to revoke it."""

    serializer_class = TokenRequestSerializer

    def _method(self) -> str | None:
        # The schema generator asks before it has set a request.
        return getattr(getattr(self, "request", None), "method", None)

    def get_authenticators(self) -> list[Any]:
        # Obtaining a token needs no credentials but the ones in the body (and so no CSRF token either).
        return [] if self._method() == "POST" else super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        if self._method() == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username, password or two-factor code."),
            403: OpenApiResponse(description="The account must first enrol two-factor or set its password."),
            429: OpenApiResponse(description="Locked out after too many failed sign-ins."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request, "view": self})
        serializer.is_valid(raise_exception=True)
        # Through authenticate() with the request, so that a failure counts for the lockout (django-axes) as
        # on the login page, and a locked-out account gets no token either.
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            raise LockedOut()
        if user is None:
            raise exceptions.ValidationError(_("Unable to sign in with that username and password."))
        check_second_factor(user, serializer.validated_data.get("otp", ""))
        token = Token.objects.filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()
        token, _created = Token.objects.get_or_create(user=user)
        # A token is a sign-in that Django's login signal never hears of: record it as one.
        request._request.user = user
        audit.record(
            AuditAction.LOGIN, obj=user, actor=audit.actor_for(request._request), detail={"via": "api-token"}
        )
        expires = token.created + timedelta(seconds=settings.API_TOKEN_AGE)
        return Response(TokenSerializer({"token": token.key, "expires": expires}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The caller: their account, the body they act for, their scope and their permissions."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = User.objects.select_related("body__region").get(pk=request.user.pk)
        return Response(MeSerializer(user, context={"request": request}).data)


class UserViewSet(ScopedReadOnlyViewSet):
    """Accounts acting for bodies in your scope (read-only here; administered at /accounts/users/)."""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    search_fields = ("username", "first_name", "last_name")
    ordering_fields = ("username", "last_name")

    def base_queryset(self) -> QuerySet:
        return User.objects.select_related("body").order_by("username")
