"""Accounts in the API: tokens, the caller, and the accounts whose body is in the caller's scope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiandu.access.api.authentication import token_expired
from jiandu.access.api.serializers import (
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
)
from jiandu.access.models import User
from jiandu.core.api.viewsets import ScopedReadOnlyViewSet


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("Too many failed sign-ins: the account is locked for now. Try again later.")
    default_code = "locked_out"


class TokenView(APIView):
    """POST a username and password for a token (`Authorization: Token <token>`); DELETE to revoke it."""

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
            400: OpenApiResponse(description="Wrong username or password."),
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
        token = Token.objects.filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()
        token, _created = Token.objects.get_or_create(user=user)
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


class UserFilterSet(django_filters.FilterSet):
    # A number, not a choice of bodies: a body out of scope must not answer differently from a missing one.
    body = django_filters.NumberFilter(field_name="body")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["body", "is_active"]


class UserViewSet(ScopedReadOnlyViewSet):
    """Accounts acting for bodies in your scope (read-only here)."""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    search_fields = ("username", "first_name", "last_name")
    ordering_fields = ("username", "last_name")

    def base_queryset(self) -> QuerySet:
        return User.objects.select_related("body").order_by("username")
