"""Rate limit on the login and 2FA endpoints, per client IP. The rate is read on every request
(KINGA_LOGIN_RATE) so a deployment or a test can change it without re-importing DRF settings."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from kinga.audit.context import client_ip


class LoginRateThrottle(SimpleRateThrottle):
    scope = "login"

    def get_rate(self):
        return settings.KINGA_LOGIN_RATE

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        ip = client_ip(request, settings.KINGA_TRUSTED_PROXIES) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ip}
