"""Serve the caseworker app's build (frontend/dist) under /app/ next to the static files."""

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class KingaWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dist = settings.KINGA_FRONTEND_DIST
        if dist.is_dir():
            self.add_files(str(dist), prefix="app/")
