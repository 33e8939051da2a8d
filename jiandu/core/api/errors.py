"""One shape for every API error: {"detail": "...", "errors": {"field": ["..."]}}.

Named in settings.REST_FRAMEWORK, so it imports rest_framework.views only when it handles an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings

from jiandu.core.api.parsers import too_large

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {"field": [messages]}, nested fields as "field.0.sub"."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            name = NON_FIELD if key in (NON_FIELD, "__all__") and not prefix else f"{prefix}{key}"
            for field, messages in _flatten(value, f"{name}.").items():
                flat.setdefault(field.rstrip("."), []).extend(messages)
    elif isinstance(errors, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in errors):
            flat[prefix.rstrip(".") or NON_FIELD] = [str(item) for item in errors if str(item)]
        else:
            for index, item in enumerate(errors):
                if item:
                    flat.update(_flatten(item, f"{prefix}{index}."))
    else:
        flat[prefix.rstrip(".") or NON_FIELD] = [str(errors)]
    return flat


def _summary(errors: dict[str, list[str]]) -> str:
    if len(errors) == 1:
        ((field, messages),) = errors.items()
        if field == NON_FIELD:
            return " ".join(messages)
        return _("%(field)s: %(message)s") % {"field": field, "message": " ".join(messages)}
    return _("The request has errors in %(fields)s.") % {"fields": ", ".join(errors)}


def _as_api_exception(exc: Exception) -> Exception:
    """Django's own exceptions that bad input can raise, as the API exceptions that describe them."""
    if isinstance(exc, DjangoValidationError):
        # From a service's full_clean(): the same messages the page shows.
        detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        # Django's message names the model ("No Body matches the given query."), in English: one message.
        return exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        return too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return exceptions.ParseError(_("The request has too many fields or files."))
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError(_("The request was refused as malformed."))
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error as {"detail": "...", "errors": {"field": ["..."]}} ("errors" empty when no field is
    to blame). Anything not understood here is left to Django: a genuine bug is a 500 and is logged."""
    from rest_framework.views import exception_handler as drf_exception_handler

    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = _summary(errors) if errors else _("Invalid input.")
    else:
        errors = {}
        data = response.data
        detail = str(data.get("detail", "")) if isinstance(data, Mapping) else " ".join(map(str, data))
    response.data = {"detail": detail, "errors": errors}
    return response
