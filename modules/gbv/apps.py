from django.apps import AppConfig


class GbvConfig(AppConfig):
    name = "kinga_gbv"
    label = "kinga_gbv"
    default_auto_field = "django.db.models.BigAutoField"
