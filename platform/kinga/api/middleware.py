"""Security headers Django does not set itself: Content-Security-Policy, Permissions-Policy and a
Referrer-Policy on every response (SecurityMiddleware sets Referrer-Policy only when configured)."""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        csp = getattr(settings, "KINGA_CSP", "")
        if csp and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = csp
        policy = getattr(settings, "KINGA_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if "Referrer-Policy" not in response:
            response["Referrer-Policy"] = getattr(settings, "SECURE_REFERRER_POLICY", None) or "same-origin"
        response.setdefault("X-Content-Type-Options", "nosniff")
        if request.path.startswith("/api/"):
            # Case data must not sit in shared or browser caches.
            response.setdefault("Cache-Control", "no-store")
        return response
