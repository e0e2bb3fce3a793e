from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from safeguard.accounts.models import User
from safeguard.casework.assessment_sections import ASSESSMENT_SECTIONS
from safeguard.casework.involvements import cp_plan_involvements_sync, episode_involvements_sync
from safeguard.casework.models import Assessment, ChildProtectionPlan, CINEpisode
from safeguard.casework.services.assessments import assessment_record_details, assessment_section_save
from safeguard.core.codes import CategoryOfAbuse, PrimaryNeed, ReferralSource
from safeguard.people.tests.factories import ChildFactory


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CINEpisode

    child = factory.SubFactory(ChildFactory)
    referral_date = dt.date(2026, 9, 1)
    referral_source = ReferralSource.POLICE
    primary_need = PrimaryNeed.N1

    @classmethod
    def _create(cls, model_class: type[CINEpisode], *args: Any, **kwargs: Any) -> CINEpisode:
        # Written as the services write them: the episode's involvements come with it.
        episode: CINEpisode = super()._create(model_class, *args, **kwargs)
        episode_involvements_sync(episode)
        return episode


class CPPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildProtectionPlan

    episode = factory.SubFactory(EpisodeFactory)
    child = factory.SelfAttribute("episode.child")
    start_date = dt.date(2026, 10, 1)
    initial_category = CategoryOfAbuse.NEGLECT
    latest_category = CategoryOfAbuse.NEGLECT

    @classmethod
    def _create(
        cls, model_class: type[ChildProtectionPlan], *args: Any, **kwargs: Any
    ) -> ChildProtectionPlan:
        plan: ChildProtectionPlan = super()._create(model_class, *args, **kwargs)
        cp_plan_involvements_sync(plan)
        return plan


def complete_assessment(assessment: Assessment, worker: User) -> None:
    """Write every section and the dates seen, factors and outcome, as ``worker``."""
    for key, _title, _hint in ASSESSMENT_SECTIONS:
        assessment_section_save(
            actor=worker, assessment=assessment, key=key, text=f"{key} words", based_on_version=0
        )
    assessment_record_details(
        actor=worker,
        assessment=assessment,
        fields={
            "child_seen_date": dt.date(2026, 11, 5),
            "child_seen_alone": True,
            "factors": ["3B", "4B"],
            "outcome": "services",
        },
    )
