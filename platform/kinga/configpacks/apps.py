from django.apps import AppConfig


class ConfigpacksConfig(AppConfig):
    name = "kinga.configpacks"
    label = "configpacks"
    default_auto_field = "django.db.models.BigAutoField"
