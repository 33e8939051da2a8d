"""Request bodies: JSON, with a clear 400 for anything that is not JSON, and the size limit's message.

Named in settings.REST_FRAMEWORK, so it must not import rest_framework.views (which reads those settings
when it is imported).
"""

from __future__ import annotations

import json
from typing import Any

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


class JSONParser(parsers.JSONParser):
    """JSON, with a 400 for every way a body can fail to be JSON: DRF's parser lets a deeply nested body
    through as a RecursionError (a 500), and names none of them in a translatable message.

    The size is limited before this runs: DRF reads JSON through `HttpRequest.body`, which raises
    RequestDataTooBig past DATA_UPLOAD_MAX_MEMORY_SIZE, and errors.py answers that with 413.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = parsers.get_encoding(parser_context or {})
        try:
            return json.loads(stream.read().decode(encoding), parse_constant=_reject_constant)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply.")) from None
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise exceptions.ParseError(
                _("The body is not valid JSON: %(error)s") % {"error": error}
            ) from None


def _reject_constant(name: str) -> None:
    raise ValueError(_("%(name)s is not a JSON number") % {"name": name})
