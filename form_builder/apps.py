from django.apps import AppConfig


class BuilderConfig(AppConfig):
    name = "kinga_builder"
    label = "kinga_builder"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Form builder"
