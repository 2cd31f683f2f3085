"""What every API view shares: error mapping, throttles, paging.

Resource views live next to this module (``library``, ``clients``, ``assignments``,
``reviews``, ``auth``): parse with a serializer → load through ``coaching.access`` → call one
service or selector → serialize.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from rest_framework import exceptions, generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from coaching.api.throttles import WritesThrottle, ratelimit_headers
from coaching.reviews.decisions import ReviewAlreadyDecided, ReviewInputError, ReviewUpdated
from coaching.teams.services import CosignMissing
from config.errors import too_large_message

logger = logging.getLogger(__name__)


class DatabaseUnavailable(exceptions.APIException):
    """The database went away mid-request (restart, failover): nothing was written; retry."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is briefly unavailable and nothing was saved. Retry in a few seconds."
    default_code = "unavailable"
    retry_after = 5


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This conflicts with the current state."
    default_code = "conflict"


def _field_errors(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"non_field_errors": exc.messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the domain's exceptions from services.

    A service's ``ValidationError`` is the user's mistake (400 with its field messages); a
    review decided twice is a 409; a body over the upload limit a 413; a lost database
    connection is a 503 the client can retry (the transaction was rolled back, so a retry
    stores everything exactly once).
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_field_errors(exc))
    elif isinstance(exc, ReviewInputError):
        exc = exceptions.ValidationError(detail=exc.errors)
    elif isinstance(exc, ReviewAlreadyDecided | ReviewUpdated | CosignMissing):
        exc = Conflict(detail=str(exc))
    elif isinstance(exc, RequestDataTooBig):
        logger.warning("request body too large for %s", context.get("view").__class__.__name__)
        exc = PayloadTooLarge(detail=too_large_message())
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.warning("database unavailable during %s: %s", context.get("view").__class__.__name__, exc)
        exc = DatabaseUnavailable()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, DatabaseUnavailable):
        response["Retry-After"] = str(DatabaseUnavailable.retry_after)
    return response


class SafeJSONParser(JSONParser):
    """DRF's JSON parser; JSON nested deeper than Python's recursion limit is a 400, not a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from exc


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """DRF's two parameters with their bounds (a larger ``page_size`` is served as 200)."""
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1, "default": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        parameters[-1]["description"] = f"Results per page, 1–{self.max_page_size} (default {self.page_size})."
        return parameters


class ApiMixin:
    parser_classes = [SafeJSONParser]
    throttle_classes = [WritesThrottle]

    def get_exception_handler(self) -> Any:
        return exception_handler

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        # The quota a throttle counted this request against, on every answer (429 included).
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        for name, value in ratelimit_headers(request).items():
            response[name] = value
        return response


# No docstrings on these two: drf-spectacular would show them as every subclass's description.
class ApiView(ApiMixin, APIView):
    pass


class ApiListView(ApiMixin, generics.GenericAPIView):
    # Lists are paged as {"count", "next", "previous", "results"}.
    pagination_class = Pagination

    def paged(self, queryset: Any, render: Any) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(render(page))
