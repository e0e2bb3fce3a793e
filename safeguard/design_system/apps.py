from django.apps import AppConfig


class DesignSystemConfig(AppConfig):
    name = "safeguard.design_system"
    label = "design_system"
    verbose_name = "Design system"
