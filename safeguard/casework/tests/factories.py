from __future__ import annotations

import datetime as dt

import factory

from safeguard.casework.models import ChildProtectionPlan, CINEpisode
from safeguard.core.codes import CategoryOfAbuse, PrimaryNeed, ReferralSource
from safeguard.people.tests.factories import ChildFactory


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CINEpisode

    child = factory.SubFactory(ChildFactory)
    referral_date = dt.date(2026, 9, 1)
    referral_source = ReferralSource.POLICE
    primary_need = PrimaryNeed.N1


class CPPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildProtectionPlan

    episode = factory.SubFactory(EpisodeFactory)
    child = factory.SelfAttribute("episode.child")
    start_date = dt.date(2026, 10, 1)
    initial_category = CategoryOfAbuse.NEGLECT
    latest_category = CategoryOfAbuse.NEGLECT
