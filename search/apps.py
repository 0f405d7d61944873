from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kinga_search"
    label = "kinga_search"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Search and duplicate detection"

    def ready(self) -> None:
        # Subscribe here, not at import time (STYLE.md): the kernel never imports kinga_search.
        from kinga.records import events, queries

        from . import backends, indexing  # noqa: F401  (registers the built-in backends)
        from .backends.registry import get_backend

        # The database backend indexes inside the write's transaction (never out of step with the
        # data); an external engine (Elasticsearch) after commit.
        transactional = getattr(get_backend(), "transactional", False)
        events.subscribe(indexing.on_record_change, in_transaction=transactional)
        queries.register_text_search(lambda qs, q: get_backend().search(qs, q))
