"""The OpenAPI schema's shared parts: the error components, and the AutoSchema and hook that give every
operation its 429/503 and headers (SPECTACULAR_SETTINGS, REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

Apart from ``coaching.api.schema`` (which imports drf-spectacular's views): the schema class is
imported while those views load.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import ScopedRateThrottle

from coaching.api.throttles import WritesThrottle
from programs.days import MAX_DAYS


class DetailSerializer(serializers.Serializer):
    """401, 403, 404, 405, 409, 413, 415, 429, 503: a sentence for a person."""

    detail = serializers.CharField()


def ref(component: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{component}"}


_MESSAGES = {"type": "array", "items": {"type": "string"}, "description": "Messages for a person."}

# The error bodies' components: every 400 refers to ``FieldErrors`` (or, for one session,
# ``SessionErrors``); a sync result's errors are ``SessionErrors``. ``postprocess_schema``
# (SPECTACULAR_SETTINGS' POSTPROCESSING_HOOKS) adds them to the schema.
ERROR_COMPONENTS: dict[str, dict[str, Any]] = {
    "FieldErrors": {
        "type": "object",
        "description": "Bad input, in the user's terms: each field (or `non_field_errors`) maps to its messages. "
        "A nested object's errors are its own field errors; a list of objects has one entry per item sent "
        "(`{}` for a good one); a list of values has its errors keyed by the item's index.",
        "properties": {"detail": {"$ref": "#/components/schemas/ParseErrorDetail"}},
        "additionalProperties": ref("FieldErrorValue"),
    },
    "ParseErrorDetail": {
        "type": "string",
        "description": "Only for a body that is not valid JSON: what is wrong with it (no field errors then).",
    },
    "FieldErrorValue": {
        "description": "A field's messages, a nested object's field errors, or a list's errors item by item.",
        "anyOf": [_MESSAGES, ref("FieldErrors"), {"type": "array", "items": ref("FieldErrors")}],
    },
}


def session_error_components(session_fields: list[str], set_fields: list[str]) -> dict[str, dict[str, Any]]:
    """``SessionErrors`` and ``SetErrors``: a rejected session's field errors, named by the fields
    of the session and of a set (the serializers' own field names)."""
    set_props: dict[str, Any] = {name: _MESSAGES for name in set_fields}
    set_props["faults"] = {
        "description": "Messages, or a fault's messages keyed by its index in `faults`.",
        "anyOf": [_MESSAGES, {"type": "object", "additionalProperties": _MESSAGES}],
    }
    set_props["non_field_errors"] = _MESSAGES
    session_props: dict[str, Any] = {name: _MESSAGES for name in session_fields}
    session_props["checkin"] = {"description": "The check-in's field errors.", "allOf": [ref("FieldErrors")]}
    session_props["sets"] = {
        "description": "One entry per set sent, in order (`{}` for a good set); or, for the list itself "
        "(more than 200 sets, not a list), its messages.",
        "anyOf": [{"type": "array", "items": ref("SetErrors")}, _MESSAGES],
    }
    session_props["non_field_errors"] = _MESSAGES
    session_props["detail"] = ref("ParseErrorDetail")
    return {
        "SetErrors": {"type": "object", "description": "One set's field errors.", "properties": set_props},
        "SessionErrors": {
            "type": "object",
            "description": "A rejected session's field errors: its own fields', its check-in's, and its sets' "
            "aligned with the sets sent.",
            "properties": session_props,
        },
    }


FIELD_ERRORS_DESCRIPTION = "Bad input: field errors in the user's terms."
FIELD_ERRORS = OpenApiResponse(response=ref("FieldErrors"), description=FIELD_ERRORS_DESCRIPTION)


def field_errors(fields: dict[str, str]) -> OpenApiResponse:
    """A 400 of field errors (the one ``FieldErrors`` component) whose description names the fields
    a body's rules answer under (each: what it says)."""
    named = "; ".join(f"`{name}`: {says}" for name, says in fields.items())
    return OpenApiResponse(response=ref("FieldErrors"), description=f"{FIELD_ERRORS_DESCRIPTION} {named}")


# --- what every operation shares: 429 and 503 with their headers, one operationId style ---------

HEADERS: dict[str, dict[str, Any]] = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "RateLimit-Policy": {
        "description": "The quota this operation counts against (IETF draft httpapi-ratelimit-headers): "
        '`"writes";q=600;w=60` is 600 requests per 60 seconds under the policy named "writes".',
        "schema": {"type": "string"},
    },
    "RateLimit": {
        "description": "What is left of that quota: `r` requests remaining and `t` seconds until the window "
        'has room again (`"writes";r=599;t=60`). At `r=0` the next request is a 429.',
        "schema": {"type": "string"},
    },
}
RATE_LIMIT_HEADERS = ("RateLimit-Policy", "RateLimit")
THROTTLED = "Throttled: too many requests under this operation's quota (see `RateLimit-Policy`); retry after "
THROTTLED += "the seconds in `Retry-After`."
UNAVAILABLE = "The database was briefly unavailable and nothing was saved: retry after the seconds in `Retry-After`."


def header_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def is_throttled(view: Any, method: str) -> bool:
    """Whether one of the view's throttles counts requests of ``method`` (and so may answer 429)."""
    for throttle in view.get_throttles():
        if isinstance(throttle, WritesThrottle) and method in SAFE_METHODS:
            continue
        if isinstance(throttle, ScopedRateThrottle) and not getattr(view, "throttle_scope", None):
            continue
        return True
    return False


class HingeAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus what every operation can answer: 503 (the database went
    away: ``coaching.api.views.DatabaseUnavailable``) and, where a throttle counts the method, 429,
    both with ``Retry-After``, and the ``RateLimit`` headers on the responses of a throttled one
    (all but 401 and 403, which are answered before the throttle counts)."""

    def get_operation_id(self) -> str:
        # One style for every operation: path words, then the action (``reviews_approve_create``).
        return super().get_operation_id().removeprefix("v1_").replace(".", "_")

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> dict[str, Any]:
        # A list of objects (``many=True``) keeps its declared length limits (drf-spectacular
        # documents them for ListField only): 500 sessions per sync, 200 sets per session.
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.ListSerializer) and schema.get("type") == "array":
            for attribute, keyword in (("max_length", "maxItems"), ("min_length", "minItems")):
                if getattr(field, attribute, None) is not None:
                    schema[keyword] = getattr(field, attribute)
        return schema

    def _get_request_body(self, direction: Any = "request") -> dict[str, Any] | None:
        # drf-spectacular documents bodies of PUT, PATCH and POST only; a DELETE whose view names
        # ``delete_body`` (a serializer) documents that optional body too.
        body = getattr(self.view, "delete_body", None) if self.method == "DELETE" else None
        if body is None:
            return super()._get_request_body(direction)  # type: ignore[no-any-return]
        component = self.resolve_serializer(body, direction)
        return {"content": {"application/json": {"schema": component.ref}}, "required": False}

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        throttled = is_throttled(self.view, self.method)
        if throttled and "429" not in responses:
            responses["429"] = self._get_response_for_code(DetailSerializer, "429", direction=direction)
        responses.setdefault("503", self._get_response_for_code(DetailSerializer, "503", direction=direction))
        responses["503"]["description"] = UNAVAILABLE
        for code, response in responses.items():
            headers = response.setdefault("headers", {})
            if code in {"429", "503"}:
                headers["Retry-After"] = header_ref("Retry-After")
            if code == "429":
                response["description"] = THROTTLED
            # DRF checks authentication and permissions (401, 403) before the throttles.
            if throttled and code not in {"401", "403"}:
                headers.update({name: header_ref(name) for name in RATE_LIMIT_HEADERS})
            if not headers:
                del response["headers"]
        return responses


class TokenScheme(KnoxTokenScheme):
    """The API's knox subclass (``coaching.api.authentication``) is knox's token scheme."""

    target_class = "coaching.api.authentication.TokenAuthentication"


SECURITY_DESCRIPTIONS = {
    "knoxApiToken": "A token from `POST /api/v1/auth/token/`, sent with the `Token` prefix and a space: "
    "`Authorization: Token <token>`. Tokens expire after 30 days unused; `POST /api/v1/auth/logout/` revokes one.",
    "cookieAuth": "The browser session of the web pages; unsafe methods also need the CSRF token "
    "(`X-CSRFToken` header).",
}


def _week_bounds(schemas: dict[str, Any]) -> None:
    """Every list of training days has 1 to 7 of them: the week's validator (``programs.days``) says
    so in its own words, so the serializers do not check the length a second time."""
    days = {"$ref": "#/components/schemas/Day"}, {"$ref": "#/components/schemas/DayInputRequest"}
    for component in schemas.values():
        for prop in (component.get("properties") or {}).values():
            if prop.get("type") == "array" and prop.get("items") in days:
                prop.update(minItems=1, maxItems=MAX_DAYS)


def postprocess_schema(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A POSTPROCESSING_HOOK: the error components, the shared headers, the security schemes' words."""
    from coaching.sessions.serializers import SessionSerializer, SetSerializer  # the sessions app imports us

    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    _week_bounds(schemas)
    schemas.update(ERROR_COMPONENTS)
    schemas.update(session_error_components(list(SessionSerializer().fields), list(SetSerializer().fields)))
    components["schemas"] = dict(sorted(schemas.items()))
    components["headers"] = HEADERS
    for name, scheme in components.get("securitySchemes", {}).items():
        if name in SECURITY_DESCRIPTIONS:
            scheme["description"] = SECURITY_DESCRIPTIONS[name]
    return result
