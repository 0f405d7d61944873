"""Binds the client IP to every audit event written while a request is served."""

from django.conf import settings

from .context import bind, client_ip


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bind(ip=client_ip(request, getattr(settings, "KINGA_TRUSTED_PROXIES", 0))):
            return self.get_response(request)
