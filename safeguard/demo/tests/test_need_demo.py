"""The demo council's lookups for the analysis of need."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard.demo.need import add_need_lookups
from safeguard.people.models import Address
from safeguard.people.tests.factories import AddressFactory, ChildFactory
from safeguard.performance.need_models import ChildPopulation, PopulationKind, PostcodeWard

pytestmark = pytest.mark.django_db


def test_every_postcode_in_use_gets_a_ward_and_the_populations_add_up(settings) -> None:
    settings.COUNCIL_CHILD_POPULATION = 10_000
    for postcode in ("HM1 4AB", "HM1 4BD", "HM9 2AA", "HM16 3AB"):
        AddressFactory(person=ChildFactory(), postcode=postcode, start_date=dt.date(2020, 1, 1))
    counts = add_need_lookups(seed=2026)
    in_use = set(Address.objects.values_list("postcode", flat=True))
    assert set(PostcodeWard.objects.values_list("postcode", flat=True)) == in_use
    assert counts["performance.PostcodeWard"] == 4
    assert PostcodeWard.objects.get(postcode="HM9 2AA").ward_name.startswith("Marrowby ")
    for kind in (PopulationKind.DISTRICT, PopulationKind.WARD, PopulationKind.AGE_BAND):
        total = sum(ChildPopulation.objects.filter(kind=kind).values_list("children", flat=True))
        assert abs(total - 10_000) <= 5, kind  # shared out, give or take the rounding
    assert set(
        ChildPopulation.objects.filter(kind=PopulationKind.DISTRICT).values_list("group", flat=True)
    ) == {
        "HM1",
        "HM9",
        "HM16",
    }
    # the same seed gives the same lookups
    before = list(ChildPopulation.objects.order_by("kind", "group").values_list("group", "children"))
    add_need_lookups(seed=2026)
    assert list(ChildPopulation.objects.order_by("kind", "group").values_list("group", "children")) == before


def test_an_empty_council_loads_nothing() -> None:
    assert add_need_lookups(seed=1) == {}
    assert not PostcodeWard.objects.exists()
