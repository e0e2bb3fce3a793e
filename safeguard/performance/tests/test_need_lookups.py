"""Loading the ward lookup and populations: good files replace, bad ones change nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from safeguard.audit.models import AuditEvent
from safeguard.performance.need_lookups import latest_loads, need_lookup_load
from safeguard.performance.need_models import ChildPopulation, LookupKind, PostcodeWard

pytestmark = pytest.mark.django_db

WARDS = (
    "postcode,ward_code,ward_name\nhm1 4ab,E05000001,Abbey\nHM14AD,E05000001,Abbey\nHM2 7BD,E05000002,Brook\n"
)


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return error.value.messages


def test_a_ward_lookup_loads_normalised_and_replaces_the_last() -> None:
    PostcodeWard.objects.create(postcode="HM9 9ZZ", ward_code="OLD", ward_name="Old")
    load = need_lookup_load(actor=None, kind=LookupKind.WARDS, source_name="wards.csv", text="\ufeff" + WARDS)
    assert load.rows == 3
    assert sorted(PostcodeWard.objects.values_list("postcode", "ward_name")) == [
        ("HM1 4AB", "Abbey"),
        ("HM1 4AD", "Abbey"),
        ("HM2 7BD", "Brook"),
    ]
    event = AuditEvent.objects.get(action="need_lookup_load")
    assert event.changes["rows"] == {"before": None, "after": 3}
    assert latest_loads()[LookupKind.WARDS] == load


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("postcode,ward\nHM1 4AB,Abbey\n", "The headings must be postcode, ward_code, ward_name"),
        ("postcode,ward_code,ward_name\n", "headings but no rows"),
        ("postcode,ward_code,ward_name\nNOTAPC,E1,Abbey\n", "Line 2: “NOTAPC” is not a postcode."),
        ("postcode,ward_code,ward_name\nHM1 4AB,E1\n", "Line 2 has 2 values, not 3."),
        ("postcode,ward_code,ward_name\nHM1 4AB,,Abbey\n", "Line 2: give both the ward's code and its name."),
        (
            "postcode,ward_code,ward_name\nHM1 4AB,E1,Abbey\nhm1 4ab,E2,Brook\n",
            "Line 3: HM1 4AB is already in ward E1 on an earlier line.",
        ),
    ],
)
def test_a_bad_ward_file_says_what_is_wrong_and_loads_nothing(text: str, message: str) -> None:
    PostcodeWard.objects.create(postcode="HM9 9ZZ", ward_code="OLD", ward_name="Old")
    with pytest.raises(ValidationError) as error:
        need_lookup_load(actor=None, kind=LookupKind.WARDS, source_name="w.csv", text=text)
    assert any(message in m for m in _messages(error))
    assert list(PostcodeWard.objects.values_list("ward_code", flat=True)) == ["OLD"]


def test_many_bad_lines_are_listed_up_to_twenty() -> None:
    text = "postcode,ward_code,ward_name\n" + "".join(f"BAD{i},E1,A\n" for i in range(25))
    with pytest.raises(ValidationError) as error:
        need_lookup_load(actor=None, kind=LookupKind.WARDS, source_name="w.csv", text=text)
    messages = _messages(error)
    assert messages[0] == "Nothing was loaded: fix these lines and load the file again."
    assert len(messages) == 22
    assert messages[-1] == "And 5 more lines with errors."


def test_populations_load_and_bad_rows_are_refused() -> None:
    good = 'kind,group,children\ndistrict,hm 1,5200\nage_band,Under 1,4100\nward,Abbey,"1,900"\n'
    need_lookup_load(actor=None, kind=LookupKind.POPULATION, source_name="p.csv", text=good)
    assert sorted(ChildPopulation.objects.values_list("kind", "group", "children")) == [
        ("age_band", "Under 1", 4100),
        ("district", "HM1", 5200),
        ("ward", "Abbey", 1900),
    ]
    bad = (
        "kind,group,children\ncounty,X,1\nage_band,Teenagers,5\ndistrict,HM1,lots\n"
        "district,HM2,0\ndistrict,HM3,10\ndistrict,hm3,12\n"
    )
    with pytest.raises(ValidationError) as error:
        need_lookup_load(actor=None, kind=LookupKind.POPULATION, source_name="p.csv", text=bad)
    messages = _messages(error)
    assert "Line 2: kind must be district, ward or age_band, not “county”." in messages
    assert any(m.startswith("Line 3: “Teenagers” is not an age band") for m in messages)
    assert "Line 4: children must be a whole number, not “lots”." in messages
    assert "Line 5: children must be between 1 and 2,000,000." in messages
    assert "Line 7: HM3 appears twice." in messages
    assert ChildPopulation.objects.count() == 3


def test_the_command_loads_a_file_and_reports_errors(tmp_path: Path) -> None:
    path = tmp_path / "wards.csv"
    path.write_text(WARDS, encoding="utf-8")
    out = StringIO()
    call_command("load_need_lookups", "--wards", str(path), stdout=out)
    assert out.getvalue().strip() == "Loaded 3 rows from wards.csv: postcode to ward lookup."
    path.write_text("postcode\nHM1 4AB\n", encoding="utf-8")
    with pytest.raises(CommandError, match="The headings must be"):
        call_command("load_need_lookups", "--wards", str(path))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("load_need_lookups", "--population", str(tmp_path / "missing.csv"))
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError, match="not a UTF-8 text file"):
        call_command("load_need_lookups", "--wards", str(path))
