from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kinga.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kinga.audit.context import register_annotator

        from .break_glass import annotate_event

        register_annotator(annotate_event)
