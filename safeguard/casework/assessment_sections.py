"""The written sections of a child and family assessment (the assessment framework's
three domains, the child's own views and the analysis)."""

from __future__ import annotations

ASSESSMENT_SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "development",
        "Child's developmental needs",
        "Health, education, emotional and behavioural development, identity, relationships, self-care.",
    ),
    (
        "parenting",
        "Parenting capacity",
        "Basic care, safety, emotional warmth, stimulation, guidance and boundaries, stability.",
    ),
    (
        "family",
        "Family and environment",
        "Family history, wider family, housing, employment, income, community resources.",
    ),
    (
        "child_views",
        "The child's views, in their own words",
        "What the child said, how they said it, and how you made sure they could say it.",
    ),
    (
        "analysis",
        "Analysis",
        "What the information means for the child: risks, strengths and what needs to happen.",
    ),
)

SECTION_KEYS = frozenset(key for key, _title, _hint in ASSESSMENT_SECTIONS)
