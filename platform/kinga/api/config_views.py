"""GET /api/v1/config/ — the effective configuration a client renders forms from."""

import hashlib

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from kinga.configpacks.runtime import get_active
from kinga.records.access import visible_config

from .base import KingaAPIView, request_language


def config_etag(content_hash: str, lang: str, roles: list, *, superuser: bool = False, scopes=None) -> str:
    # The body depends on who asks (kinga.records.access.visible_config): roles, superuser, token scopes.
    who = (
        ",".join(sorted(map(str, roles)))
        + f"|{superuser}|{','.join(sorted(scopes)) if scopes is not None else '-'}"
    )
    roles_hash = hashlib.sha256(who.encode()).hexdigest()[:16]
    return f'"{content_hash[:32]}-{lang}-{roles_hash}"'


class ConfigView(KingaAPIView):
    @extend_schema(
        summary="The effective configuration for the current user",
        description=(
            "Forms, lookups, locations, workflows... as described in docs/packs.md, with translatable "
            "text as {lang: text} maps and `language` the language to show. Only what your roles "
            "may see: record types you may view or create, forms and fields not hidden from you "
            "(each field carries `access`; read_only when you may not change it), your own roles, "
            "and `access`: your actions per record type. Cache it: the response "
            "carries an ETag; send it back in If-None-Match to get 304 Not Modified."
        ),
        parameters=[OpenApiParameter("lang", str, description="Override the display language.")],
        responses={200: OpenApiTypes.OBJECT, 304: None},
    )
    def get(self, request):
        config = get_active()
        lang = request_language(request, config)
        etag = config_etag(
            config.version.content_hash,
            lang,
            list(request.user.roles or []),
            superuser=request.user.is_superuser,
            scopes=getattr(request.user, "integration_scopes", None),
        )
        if etag in [t.strip() for t in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]:
            response = Response(status=304)
        else:
            body = dict(visible_config(config.data, request.user))
            body.update(version=config.number, content_hash=config.version.content_hash, language=lang)
            response = Response(body)
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Accept-Language, Authorization, Cookie"
        return response
