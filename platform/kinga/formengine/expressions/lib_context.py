"""Functions that read the evaluation context rather than the record: the user and linked records."""

from __future__ import annotations

from .functions import register
from .values import to_str, wrap


@register(
    "user",
    1,
    returns="any",
    description="user(name): a property of the signed-in user, e.g. user('agency'), user('location'), user('username'), user('language'). Empty when unknown.",
)
def _user(ctx, name):
    return wrap((ctx.user or {}).get(to_str(name)))


@register(
    "linked",
    2,
    returns="any",
    description="linked(type, key): the value of field 'key' on the linked record of the given link type, e.g. linked('incident', 'incident_date'). Empty when there is no such link or field.",
)
def _linked(ctx, link_type, key):
    record = (ctx.linked or {}).get(to_str(link_type))
    if not isinstance(record, dict):
        return None
    return wrap(record.get(to_str(key)))
