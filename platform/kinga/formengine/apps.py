from django.apps import AppConfig


class FormengineConfig(AppConfig):
    name = "kinga.formengine"
    label = "formengine"
    default_auto_field = "django.db.models.BigAutoField"
