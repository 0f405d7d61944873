from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kinga_search"
    label = "kinga_search"
    default_auto_field = "django.db.models.BigAutoField"
