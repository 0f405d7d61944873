"""One error envelope for the whole API: {"error": {"code", "message", "details"}}. Expected failures
(KingaError) map to their status; anything unexpected is logged and answered 500 without internals."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kinga.core.errors import KingaError

log = logging.getLogger(__name__)


def _envelope(code: str, message: str, details=None, http_status: int = 400) -> Response:
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return Response(body, status=http_status)


def exception_handler(exc, context):
    if isinstance(exc, KingaError):
        return _envelope(exc.code, exc.message, exc.details, exc.status)
    if isinstance(exc, Http404):
        return _envelope("not_found", "Not found.", http_status=404)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        log.exception("unhandled API error", exc_info=exc)
        return _envelope("server_error", "Something went wrong on the server.", http_status=500)
    if isinstance(exc, exceptions.ValidationError):
        return _envelope("invalid", "The request is not valid.", _flatten(exc.detail), response.status_code)
    detail = getattr(exc, "detail", None)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    return _envelope(
        str(code), str(detail or exc), http_status=response.status_code or status.HTTP_400_BAD_REQUEST
    )


def _flatten(detail, prefix: str = "") -> list[dict]:
    out: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.extend(_flatten(value, path))
    elif isinstance(detail, list):
        for item in detail:
            if isinstance(item, (dict, list)):
                out.extend(_flatten(item, prefix))
            else:
                out.append(
                    {
                        "field": prefix or "non_field",
                        "code": getattr(item, "code", "invalid"),
                        "message": str(item),
                    }
                )
    else:
        out.append(
            {
                "field": prefix or "non_field",
                "code": getattr(detail, "code", "invalid"),
                "message": str(detail),
            }
        )
    return out


# Django-level handlers (kinga/urls.py): requests under /api/ that no route matches, or that fail
# outside a DRF view, still get the JSON envelope; the web app keeps Django's pages.


def _json_or_django(code: str, message: str, http_status: int, default_name: str):
    """A handler answering the JSON envelope under /api/ and Django's default page elsewhere."""

    def handler(request, exception=None):
        from django.http import JsonResponse
        from django.views import defaults

        if request.path.startswith("/api/"):
            return JsonResponse({"error": {"code": code, "message": message}}, status=http_status)
        default = getattr(defaults, default_name)
        return default(request) if default_name == "server_error" else default(request, exception)

    handler.__name__ = default_name
    return handler


bad_request = _json_or_django("bad_request", "The request is not valid.", 400, "bad_request")
permission_denied = _json_or_django("permission_denied", "You may not do this.", 403, "permission_denied")
page_not_found = _json_or_django("not_found", "No such API endpoint.", 404, "page_not_found")
server_error = _json_or_django("server_error", "Something went wrong on the server.", 500, "server_error")
