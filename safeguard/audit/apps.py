from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguard.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from safeguard.audit import checks  # noqa: F401  (registers the deployment check)
