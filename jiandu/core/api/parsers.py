"""Request bodies: JSON with a size limit and a clear 400 for anything that is not JSON.

Named in settings.REST_FRAMEWORK, so it must not import rest_framework.views (which reads those settings
when it is imported).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


def too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(
        _("The request body is larger than %(limit)d bytes, the most this server accepts.") % {"limit": limit}
    )


class LimitedJSONParser(parsers.JSONParser):
    """JSON, at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes (DRF's own parser reads the stream past Django's
    limit), and a clear 400 for anything that is not JSON, nested too deep included."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise too_large(limit)
        encoding = parsers.get_encoding(parser_context or {}) if hasattr(parsers, "get_encoding") else "utf-8"
        try:
            return json.loads(raw.decode(encoding), parse_constant=_reject_constant)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply.")) from None
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise exceptions.ParseError(
                _("The body is not valid JSON: %(error)s") % {"error": error}
            ) from None


def _reject_constant(name: str) -> None:
    raise ValueError(_("%(name)s is not a JSON number") % {"name": name})
