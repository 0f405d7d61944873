from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kinga.kpis"
    label = "kpis"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kinga.core.registry import autodiscover

        from . import kinds  # noqa: F401  (built-in kinds)
        from .registry import kpi_kinds

        autodiscover("kpis")  # kinds contributed by modules: <app>/kpis.py
        kpi_kinds.freeze()

        from kinga.configpacks.checks import register_definition_checker

        from .registry import validate_definition

        # The pack validator learns KPI kinds from here: configpacks never imports kpis.
        register_definition_checker("kpis", validate_definition)
