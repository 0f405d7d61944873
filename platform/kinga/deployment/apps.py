from django.apps import AppConfig


class DeploymentConfig(AppConfig):
    name = "kinga.deployment"
    label = "deployment"
