from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "kinga.records"
    label = "records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kinga.configpacks.runtime import register_install_hook

        from .indexes import sync_indexes

        register_install_hook(sync_indexes)
