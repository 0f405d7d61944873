from django.apps import AppConfig


class ChildProtectionConfig(AppConfig):
    name = "kinga_cp"
    label = "kinga_cp"
    default_auto_field = "django.db.models.BigAutoField"
