"""The front door's local policy, read from settings with documented defaults.

These are "local policy defaults" (timescales.md, tag M): a council changes them by
configuration (see the configuration table in README.md), never by code.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_THRESHOLD_LEVELS = (
    "Level 1: universal",
    "Level 2: early help",
    "Level 3: targeted (children in need)",
    "Level 4: specialist or statutory",
)
DEFAULT_AUTHORISED_DECISIONS = ("nfa", "strategy")
EXIT_PAGE_URL = "https://www.bbc.co.uk/weather"


def threshold_levels() -> tuple[str, ...]:
    """The levels of need in the council's threshold document."""
    return tuple(getattr(settings, "FRONT_DOOR_THRESHOLD_LEVELS", DEFAULT_THRESHOLD_LEVELS))


def decisions_needing_authorisation() -> frozenset[str]:
    """Decisions that wait for a front door manager (default: NFA and strategy discussion)."""
    return frozenset(getattr(settings, "FRONT_DOOR_AUTHORISED_DECISIONS", DEFAULT_AUTHORISED_DECISIONS))


def exit_page_url() -> str:
    return str(getattr(settings, "FRONT_DOOR_EXIT_URL", EXIT_PAGE_URL))


def public_rate_limit() -> tuple[int, int]:
    """(reports, seconds) one IP address may submit: spam resistance without a puzzle."""
    return (
        int(getattr(settings, "FRONT_DOOR_REPORTS_PER_IP", 10)),
        int(getattr(settings, "FRONT_DOOR_RATE_WINDOW_SECONDS", 3600)),
    )


def public_step_rate_limit() -> int:
    """Question-page POSTs one IP address may make in the same window."""
    return int(getattr(settings, "FRONT_DOOR_STEPS_PER_IP", 300))


def api_rate_limit() -> tuple[int, int]:
    """(requests, seconds) one agency may make to the partner API."""
    return (
        int(getattr(settings, "FRONT_DOOR_API_REQUESTS_PER_AGENCY", 120)),
        int(getattr(settings, "FRONT_DOOR_API_RATE_WINDOW_SECONDS", 60)),
    )
