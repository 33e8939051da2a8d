"""The base viewset of every API endpoint: scoped reads, permission-checked writes through services."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiandu.core.querysets import CHANGE, VIEW


class ScopedModelPermissions(permissions.DjangoModelPermissions):
    """Reads: any signed-in user (scope does the rest). Writes: the model permission (add_/change_/delete_),
    then the object must be in the user's scope for that action, or it is a 404."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.user and request.user.is_authenticated and not hasattr(view, request.method.lower()):
            return True  # a method the endpoint does not have: let it answer 405
        return super().has_permission(request, view)


class ScopedAutoSchema(AutoSchema):
    """Documents the input serializer as the request body of a write and the output serializer as its
    response, as `ScopedViewSet` uses them."""

    def get_response_serializers(self) -> Any:
        output = getattr(self.view, "serializer_class", None)
        if self.method in ("POST", "PUT", "PATCH") and output is not None:
            return output
        return super().get_response_serializers()


class ScopedViewSet(viewsets.GenericViewSet):
    """The base of every API endpoint: the queryset is `Model.objects.visible_to(user, action)`, with
    action "change" for writes, so an object outside scope is a 404, as if it did not exist.

    Subclasses name `queryset` (the model, for the schema and the leak walk), `serializer_class` (the
    output), optionally `base_queryset()` (select/prefetch), `input_serializer_class` and
    `create_serializer_class` (the input of writes), and `service_create` / `service_update`, which call
    the area's service: views, pages and API all write through the same function.
    """

    queryset: ClassVar[models.QuerySet]
    permission_classes = [ScopedModelPermissions]
    schema = ScopedAutoSchema()
    input_serializer_class: type[serializers.BaseSerializer] | None = None
    create_serializer_class: type[serializers.BaseSerializer] | None = None
    search_fields: tuple[str, ...] = ()
    ordering_fields: tuple[str, ...] = ()

    def base_queryset(self) -> models.QuerySet:
        return self.queryset.all()

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        queryset = self.base_queryset()
        if not hasattr(queryset, "visible_to"):
            raise ImproperlyConfigured(f"{queryset.model.__name__} has no scoped queryset")
        action = VIEW if self.request.method in permissions.SAFE_METHODS else CHANGE
        return queryset.visible_to(self.request.user, action)

    def get_object(self) -> Any:
        value = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if "\x00" in value:
            # PostgreSQL refuses NUL in a query (a 500): no record has such a key, so it is a 404.
            raise exceptions.NotFound()
        return super().get_object()

    def get_serializer_class(self) -> Any:
        # Writes (and the browsable API's forms for them) take the input serializer.
        request = getattr(self, "request", None)
        if request is not None and request.method in ("POST", "PUT", "PATCH"):
            if self.action == "create" and self.create_serializer_class is not None:
                return self.create_serializer_class
            if self.input_serializer_class is not None:
                return self.input_serializer_class
        return super().get_serializer_class()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.serializer_class is not None:
            # What a read shows may be sent back with a write: StrictSerializerMixin ignores those fields.
            context["readable_fields"] = frozenset(self.serializer_class().fields)
        return context

    def output(self, instance: models.Model) -> dict[str, Any]:
        """The instance as a read shows it, read again through the view scope for its prefetches."""
        fresh = self.base_queryset().visible_to(self.request.user, VIEW).filter(pk=instance.pk).first()
        return self.serializer_class(fresh or instance, context=self.get_serializer_context()).data

    def get_extra_action_url_map(self) -> dict[str, str]:
        # The browsable API's "extra actions" menu (e.g. POST submit/): paths on this host, not absolute
        # URLs, like every other link of the page.
        urls = super().get_extra_action_url_map()
        return {name: urlsplit(url)._replace(scheme="", netloc="").geturl() for name, url in urls.items()}

    def service_create(self, data: dict[str, Any]) -> models.Model:  # pragma: no cover - per endpoint
        raise NotImplementedError

    def service_update(
        self, instance: models.Model, data: dict[str, Any]
    ) -> models.Model:  # pragma: no cover - per endpoint
        raise NotImplementedError


class ScopedCreateMixin:
    """POST: validate the input, call `service_create`, answer 201 with the output serializer."""

    def create(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.service_create(dict(serializer.validated_data))
        return Response(self.output(instance), status=status.HTTP_201_CREATED)


class ScopedUpdateMixin:
    """PUT and PATCH on an object in the user's change scope: validate, call `service_update`."""

    def update(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        instance = self.service_update(instance, dict(serializer.validated_data))
        return Response(self.output(instance))

    def partial_update(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class ScopedReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


class NotFoundView(APIView):
    """Any /api/ path that names no endpoint: a JSON 404, like an unknown record."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound(_("There is no such endpoint."))

    post = put = patch = delete = get
