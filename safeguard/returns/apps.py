from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safeguard.returns"
    label = "returns"
    verbose_name = "Statutory returns"

    def ready(self) -> None:
        # The census rules run as casework and people data is entered (ADR 13).
        from safeguard.core import entry_checks
        from safeguard.returns.cin_census.entry import census_entry_check

        entry_checks.register(census_entry_check)
