from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kinga.kpis"
    label = "kpis"
    default_auto_field = "django.db.models.BigAutoField"
