"""``manage.py cin_rules``: the DfE's CIN validation rules and which of them are implemented."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeguard.returns.cin_census.catalogue import DFE_RULES
from safeguard.returns.cin_census.rules import (
    AUTHORITY_RULES,
    RULES,
    implemented_rule_numbers,
    return_rules,
)


def _sort_key(number: str) -> tuple[int, str]:
    return int(number.rstrip("Q")), number


class Command(BaseCommand):
    help = "List every DfE CIN census validation rule (2025-26) and whether it is implemented."

    def handle(self, *args: Any, **options: Any) -> None:
        implemented = implemented_rule_numbers()
        messages = {number: rule.message for number, rule in RULES.items()}
        messages |= {rule.number: rule.message for rule in return_rules()}
        messages |= {number: rule.message for number, rule in AUTHORITY_RULES.items()}
        for number in sorted(DFE_RULES, key=_sort_key):
            severity, dfe_message = DFE_RULES[number]
            state = "implemented" if number in implemented else "not implemented"
            self.stdout.write(f"{number:<6} {severity:<5} {state:<15} {messages.get(number, dfe_message)}")
        self.stdout.write(
            f"{len(implemented)} of {len(DFE_RULES)} rules implemented "
            f"({len(DFE_RULES) - len(implemented)} not yet)."
        )
