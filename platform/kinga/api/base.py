"""Shared pieces of Kinga's API views: language negotiation and turning every malformed request into
a clear 4xx (never a 500)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.views import APIView

from kinga.core.errors import KingaError

from .parsers import has_nul


class PayloadTooLarge(KingaError):
    code = "payload_too_large"
    status = 413


def request_language(request, config) -> str:
    """?lang= → Accept-Language (first configured match) → the user's language → the pack default."""
    languages = config.languages
    wanted = request.query_params.get("lang")
    if wanted in languages:
        return wanted
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in languages:
                return candidate
    user_lang = getattr(request.user, "language", None)
    if user_lang in languages:
        return user_lang
    return config.default_language


class KingaAPIView(APIView):
    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # DRF's JSON parser reads the stream directly, bypassing Django's body-size guard.
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise PayloadTooLarge(
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
            )
        super().initial(request, *args, **kwargs)
        # PostgreSQL cannot store U+0000 in text or jsonb: refuse it up front with a clear 400
        # rather than fail the write (or the audit event of a read) with a database error. Bodies
        # are checked by KingaJSONParser, when the view reads them (after its permission checks).
        if any(has_nul(value) for value in kwargs.values()):
            raise KingaError("The address contains a NUL character.", code="invalid")
        for key, values in request.query_params.lists():
            if has_nul(key) or any(has_nul(v) for v in values):
                raise KingaError(f"The query parameter {key!r} contains a NUL character.", code="invalid")

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            exc = PayloadTooLarge("The request body is too large.")
        elif isinstance(exc, RecursionError):  # absurdly nested JSON
            exc = KingaError("The request body is nested too deeply.", code="parse_error")
        return super().handle_exception(exc)

    def body_object(self, request) -> dict:
        data = request.data
        if not isinstance(data, dict):
            raise KingaError("The request body must be a JSON object.", code="invalid")
        return data
