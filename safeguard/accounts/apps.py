from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguard.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from safeguard.accounts import checks  # noqa: F401 - registers the start-up checks
