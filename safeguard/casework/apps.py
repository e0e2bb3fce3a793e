from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "safeguard.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        # Referrals and plans on the child's history page, which people may not import; imported
        # here because models can be imported only once the app registry is ready.
        from safeguard.casework.history import episode_history
        from safeguard.people.history import history_source_register

        history_source_register(episode_history)

        # The children each worker holds, for workforce's caseloads (workforce may not import casework).
        from safeguard.casework.caseloads import case_counts
        from safeguard.workforce.caseloads import case_counter_register

        case_counter_register(case_counts)
