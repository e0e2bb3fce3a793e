"""Tests for safeguard.people.validators (no Django settings needed)."""

from __future__ import annotations

import random
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from safeguard.people.validators import (
    PHONE_INVALID_MESSAGE,
    UPN_LETTERS,
    format_nhs_number,
    format_phone_number,
    generate_la_child_id,
    generate_nhs_number,
    generate_upn,
    is_valid_nhs_number,
    nhs_check_digit,
    normalise_nhs_number,
    normalise_phone_number,
    normalise_postcode,
    normalise_upn,
    upn_check_letter,
    validate_la_child_id,
    validate_nhs_number,
    validate_person_name,
    validate_postcode,
    validate_upn,
)

seeds = st.integers(min_value=0, max_value=2**64)
la_codes = st.from_regex(r"[0-9]{3}", fullmatch=True)


def _error(validator: object, value: str) -> ValidationError:
    assert callable(validator)
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


def _assert_error(validator: object, value: str, code: str, message: str) -> None:
    error = _error(validator, value)
    assert error.code == code
    assert error.messages == [message]


# --------------------------------------------------------------------------
# NHS number
# --------------------------------------------------------------------------

NHS_FORMAT = "Enter an NHS number in the correct format, like 485 777 3456"
NHS_CHECK = "The NHS number is not valid: check it has been typed correctly"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("943 476 5919", "9434765919"),
        ("943-476-5919", "9434765919"),
        (" 943\t476 - 5919\n", "9434765919"),
        ("943a4765919", "943a4765919"),
        ("", ""),
    ],
)
def test_normalise_nhs_number(value: str, expected: str) -> None:
    assert normalise_nhs_number(value) == expected


@pytest.mark.parametrize(
    ("first_nine", "expected"),
    [
        ("943476591", 9),  # commonly published example 943 476 5919
        ("401023213", 7),
        ("900000000", 9),
        ("100000006", 0),  # 11 - 0 = 11 is written as 0
        ("100000001", None),  # 11 - 1 = 10 cannot be a check digit
    ],
)
def test_nhs_check_digit(first_nine: str, expected: int | None) -> None:
    assert nhs_check_digit(first_nine) == expected


@pytest.mark.parametrize("bad", ["", "12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩"])
def test_nhs_check_digit_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError):
        nhs_check_digit(bad)


@pytest.mark.parametrize(
    "value",
    ["9434765919", "943 476 5919", "943-476-5919", " 943 476 5919 ", "4010232137", "1000000060"],
)
def test_valid_nhs_numbers(value: str) -> None:
    validate_nhs_number(value)
    assert is_valid_nhs_number(value)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "nhs_number_required", "Enter an NHS number"),
        ("  - ", "nhs_number_required", "Enter an NHS number"),
        ("943476591A", "nhs_number_format", NHS_FORMAT),
        ("943.476.5919", "nhs_number_format", NHS_FORMAT),
        ("٩٤٣٤٧٦٥٩١٩", "nhs_number_format", NHS_FORMAT),  # Arabic-Indic digits
        ("943476591", "nhs_number_length", "NHS number must be 10 digits"),
        ("94347659190", "nhs_number_length", "NHS number must be 10 digits"),
        ("9434765918", "nhs_number_check_digit", NHS_CHECK),
        ("485 777 3456", "nhs_number_check_digit", NHS_CHECK),  # NHS hint text, not valid
        ("1000000010", "nhs_number_check_digit", NHS_CHECK),  # check digit would be 10
    ],
)
def test_invalid_nhs_numbers(value: str, code: str, message: str) -> None:
    _assert_error(validate_nhs_number, value, code, message)
    assert not is_valid_nhs_number(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9434765919", "943 476 5919"),
        ("943-476-5919", "943 476 5919"),
        ("4857773456", "485 777 3456"),  # shape only: display does not check the digit
        ("12345", "12345"),
        ("not a number", "not a number"),
    ],
)
def test_format_nhs_number(value: str, expected: str) -> None:
    assert format_nhs_number(value) == expected


@given(seeds)
def test_generated_nhs_numbers_are_valid_test_numbers(seed: int) -> None:
    number = generate_nhs_number(random.Random(seed))
    assert number.startswith("999")
    assert len(number) == 10
    validate_nhs_number(number)


@given(seeds)
def test_generate_nhs_number_is_deterministic(seed: int) -> None:
    assert generate_nhs_number(random.Random(seed)) == generate_nhs_number(random.Random(seed))


valid_nhs_numbers = (
    st.from_regex(r"[0-9]{9}", fullmatch=True)
    .filter(lambda nine: nhs_check_digit(nine) is not None)
    .map(lambda nine: f"{nine}{nhs_check_digit(nine)}")
)


@given(valid_nhs_numbers, st.integers(0, 9), st.integers(1, 9))
def test_changing_one_nhs_digit_makes_it_invalid(number: str, position: int, shift: int) -> None:
    # Always detected: the changed digit moves the weighted sum by
    # weight * difference, and 11 is prime with weights 2-10 and differences
    # 1-9, so the remainder (and so the check digit) must change.
    changed = str((int(number[position]) + shift) % 10)
    mutated = number[:position] + changed + number[position + 1 :]
    assert not is_valid_nhs_number(mutated)


# --------------------------------------------------------------------------
# UPN
# --------------------------------------------------------------------------

UPN_CHECK = "The UPN is not valid: check it has been typed correctly"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("801200001001", "H"),  # DfE guidance example
        ("80120000101A", "G"),  # DfE guidance temporary example
        ("801200005001", "B"),
        ("950000178301", "A"),
        ("243278544154", "H"),
    ],
)
def test_upn_check_letter(body: str, expected: str) -> None:
    assert upn_check_letter(body) == expected


@pytest.mark.parametrize("bad", ["", "80120000100", "8012000010011", "80120000A001", "80120000100I"])
def test_upn_check_letter_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError):
        upn_check_letter(bad)


def test_upn_check_letter_counts_temporary_letters_by_table_position() -> None:
    # Weight 13 on the last character; "B" counts as 1, so it adds 13 more
    # than "A" (which counts as 0, like the digit 0).
    base = UPN_LETTERS.index(upn_check_letter("80120000101A"))
    assert upn_check_letter("80120000101B") == UPN_LETTERS[(base + 13) % 23]
    assert upn_check_letter("80120000101A") == upn_check_letter("801200001010")


@pytest.mark.parametrize(
    "value",
    [
        "H801200001001",
        "h801200001001",
        "H 801 2000 01 001",
        "H801-2000-01001",
        "G80120000101A",
        "g80120000101a",
        "A950000178301",
    ],
)
def test_valid_upns(value: str) -> None:
    validate_upn(value)


def test_normalise_upn() -> None:
    assert normalise_upn(" h801-2000 01001 ") == "H801200001001"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "upn_required", "Enter a UPN"),
        ("H80120000100", "upn_length", "UPN must be 13 characters"),
        ("H8012000010011", "upn_length", "UPN must be 13 characters"),
        (
            "I801200001001",
            "upn_first_character",
            "The first character of the UPN must be a letter, but not I, O or S",
        ),
        (
            "1801200001001",
            "upn_first_character",
            "The first character of the UPN must be a letter, but not I, O or S",
        ),
        ("X80120000A001", "upn_digits", "Characters 2 to 12 of the UPN must be numbers"),
        (
            "H80120000100O",
            "upn_last_character",
            "The last character of the UPN must be a number or a letter, but not I, O or S",
        ),
        ("Z801200001001", "upn_check_letter", UPN_CHECK),
        ("A801200005001", "upn_check_letter", UPN_CHECK),
        ("R247962919251", "upn_check_letter", UPN_CHECK),
        ("X428558133462", "upn_check_letter", UPN_CHECK),
    ],
)
def test_invalid_upns(value: str, code: str, message: str) -> None:
    _assert_error(validate_upn, value, code, message)


@given(seeds, la_codes, st.booleans())
def test_generated_upns_validate(seed: int, la_code: str, temporary: bool) -> None:
    upn = generate_upn(random.Random(seed), la_code, temporary=temporary)
    validate_upn(upn)
    assert len(upn) == 13
    assert upn[1:4] == la_code
    assert upn[-1].isalpha() is temporary


@given(seeds, la_codes)
def test_generate_upn_is_deterministic(seed: int, la_code: str) -> None:
    assert generate_upn(random.Random(seed), la_code) == generate_upn(random.Random(seed), la_code)


@given(seeds, la_codes, st.integers(1, 12), st.integers(1, 9))
def test_changing_one_upn_digit_makes_it_invalid(seed: int, la_code: str, position: int, shift: int) -> None:
    # Weights 2-13 and digit differences 1-9 are never multiples of the
    # prime 23, so every single-digit change moves the check letter.
    upn = generate_upn(random.Random(seed), la_code)
    changed = str((int(upn[position]) + shift) % 10)
    mutated = upn[:position] + changed + upn[position + 1 :]
    with pytest.raises(ValidationError):
        validate_upn(mutated)


@pytest.mark.parametrize("bad", ["", "12", "1234", "38A"])
def test_generate_upn_rejects_bad_la_code(bad: str) -> None:
    with pytest.raises(ValueError):
        generate_upn(random.Random(0), bad)


# --------------------------------------------------------------------------
# Postcode
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ls1 4ap", "LS1 4AP"),
        ("LS14AP", "LS1 4AP"),
        ("  sw1a   1aa ", "SW1A 1AA"),
        ("m1\u00a01aa", "M1 1AA"),  # non-breaking space from copy and paste
        ("gir0aa", "GIR 0AA"),
        ("ab", "AB"),
        ("", ""),
    ],
)
def test_normalise_postcode(value: str, expected: str) -> None:
    assert normalise_postcode(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "M1 1AA",  # A9 9AA
        "M60 1NW",  # A99 9AA
        "W1A 1HQ",  # A9A 9AA
        "CR2 6XH",  # AA9 9AA
        "DN55 1PT",  # AA99 9AA
        "EC1A 1BB",  # AA9A 9AA
        "GIR 0AA",
        "N1C 4AG",
        "ls1 4ap",
        "LS14AP",
        "BS98 1TL",
    ],
)
def test_valid_postcodes(value: str) -> None:
    validate_postcode(value)


def test_empty_postcode() -> None:
    _assert_error(validate_postcode, "  ", "postcode_required", "Enter a postcode")


@pytest.mark.parametrize(
    "value",
    [
        "LS1",
        "LS1 4A",
        "LS1 4APP",
        "LS123 4AP",
        "1S1 4AP",
        "LSS 4AP",
        "QA1 1AA",  # Q never first
        "AI1 1AA",  # I never second
        "LS1 4CA",  # C never in the inward code
        "LS1 4AO",  # O never in the inward code
        "LS1 AAP",
        "LS1-4AP",
        "GIR 0AB",
        "<LS1 4AP>",
    ],
)
def test_invalid_postcodes(value: str) -> None:
    _assert_error(validate_postcode, value, "postcode_invalid", "Enter a real postcode, like AA1 1AA")


@given(st.text())
def test_normalise_postcode_is_idempotent(value: str) -> None:
    once = normalise_postcode(value)
    assert normalise_postcode(once) == once


postcodes = st.from_regex(
    r"[A-PR-UWYZ]([0-9][0-9A-Z]?|[A-HK-Y][0-9][0-9A-Z]?) [0-9][ABD-HJLNP-UW-Z]{2}",
    fullmatch=True,
)


@given(postcodes, st.booleans(), st.sampled_from(["", " ", "   ", "\t"]))
def test_postcodes_validate_in_any_case_and_spacing(postcode: str, lower: bool, spacing: str) -> None:
    typed = postcode.replace(" ", spacing)
    typed = typed.lower() if lower else typed
    validate_postcode(typed)
    assert normalise_postcode(typed) == postcode


# --------------------------------------------------------------------------
# Local child identifier
# --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["C123456789", "ABC123", "1", "a" * 20, "x9Y8z7"])
def test_valid_la_child_ids(value: str) -> None:
    validate_la_child_id(value)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "la_child_id_required", "Enter a local child identifier"),
        ("   ", "la_child_id_required", "Enter a local child identifier"),
        (
            "a" * 21,
            "la_child_id_length",
            "Local child identifier must be 20 characters or fewer",
        ),
        *(
            (
                bad,
                "la_child_id_characters",
                "Local child identifier must only include letters a to z and numbers",
            )
            for bad in ["C-123", "C 123", " C123", "C123é", "C_123", "C<1>"]
        ),
    ],
)
def test_invalid_la_child_ids(value: str, code: str, message: str) -> None:
    _assert_error(validate_la_child_id, value, code, message)


@given(seeds, st.from_regex(r"[A-Za-z0-9]{0,11}", fullmatch=True))
def test_generated_la_child_ids_validate(seed: int, prefix: str) -> None:
    child_id = generate_la_child_id(random.Random(seed), prefix)
    validate_la_child_id(child_id)
    assert child_id.startswith(prefix)
    assert child_id[len(prefix) :].isdigit()
    assert len(child_id) == len(prefix) + 9


def test_generate_la_child_id_default_prefix_and_determinism() -> None:
    child_id = generate_la_child_id(random.Random(42))
    assert child_id[0] == "C" and len(child_id) == 10
    assert generate_la_child_id(random.Random(42)) == child_id


@pytest.mark.parametrize("bad", ["C-", "C ", "X" * 12, "é"])
def test_generate_la_child_id_rejects_bad_prefix(bad: str) -> None:
    with pytest.raises(ValueError):
        generate_la_child_id(random.Random(0), bad)


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

NAME_CHARACTERS = "Name must only include letters, spaces, hyphens, apostrophes and full stops"


@pytest.mark.parametrize(
    "value",
    [
        "Siân O'Connor-Ní Bhriain",
        "Zoë",
        "José",
        "Nguyễn",
        unicodedata.normalize("NFD", "Nguyễn"),  # accents typed as combining marks
        "D'Arcy",
        "D\u2019Arcy",
        "St. John",
        "Mary-Kate",
        "李小龙",
        "Ольга",
        "محمد",
        "देवनागरी",
        "ʻIolani",  # noqa: RUF001 - the okina is a letter in Hawaiian names
        "a" * 100,
    ],
)
def test_valid_names(value: str) -> None:
    validate_person_name(value)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "name_required", "Enter a name"),
        ("   ", "name_required", "Enter a name"),
        ("a" * 101, "name_length", "Name must be 100 characters or fewer"),
        ("John2", "name_characters", NAME_CHARACTERS),
        ("<script>", "name_characters", NAME_CHARACTERS),
        ("Jo>hn", "name_characters", NAME_CHARACTERS),
        ("Anne & Bob", "name_characters", NAME_CHARACTERS),
        ("Ann_Smith", "name_characters", NAME_CHARACTERS),
        ("Bob!", "name_characters", NAME_CHARACTERS),
        ("Ann\tSmith", "name_characters", NAME_CHARACTERS),
        ("Ann\nSmith", "name_characters", NAME_CHARACTERS),
        ("Henry Ⅷ", "name_characters", NAME_CHARACTERS),  # Roman numeral symbol
        ("'-.", "name_no_letters", "Name must include at least one letter"),
    ],
)
def test_invalid_names(value: str, code: str, message: str) -> None:
    _assert_error(validate_person_name, value, code, message)


def test_name_length_counts_composed_characters() -> None:
    # 20 x "ễ" in decomposed form is 60 code points but 20 letters.
    validate_person_name(unicodedata.normalize("NFD", "ễ" * 20) + "a" * 80)


@given(st.text(st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1, max_size=30))
def test_names_of_letters_validate(name: str) -> None:
    validate_person_name(name)


@given(st.text(max_size=30), st.characters(categories=["Nd"]), st.text(max_size=30))
def test_names_with_digits_are_rejected(before: str, digit: str, after: str) -> None:
    with pytest.raises(ValidationError):
        validate_person_name(before + digit + after)


# --------------------------------------------------------------------------
# Telephone numbers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("020 7946 0000", "+442079460000"),
        ("(020) 7946 0000", "+442079460000"),
        ("01632 960 001", "+441632960001"),
        ("+44 808 157 0192", "+448081570192"),
        ("0300 555 0100", "+443005550100"),
        ("07911-123-456", "+447911123456"),
        ("+1 202 555 0143", "+12025550143"),
        ("+33 1 23 45 67 89", "+33123456789"),
        ("+353 1 234 5678", "+35312345678"),
        ("+44 7700 900123 ext 12", "+447700900123;ext=12"),
    ],
)
def test_phone_numbers_in_usual_formats_are_stored_as_e164(typed: str, stored: str) -> None:
    assert normalise_phone_number(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["12345", "07700", "999", "07700 9001234", "not a number", "call me after 5", "+999 123 456", "  "],
)
def test_things_that_are_not_phone_numbers_get_the_govuk_message(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_phone_number(typed)
    assert caught.value.messages == [PHONE_INVALID_MESSAGE]
    assert "01632 960 001, 07700 900 982 or +44 808 157 0192" in PHONE_INVALID_MESSAGE


def test_a_phone_number_longer_than_the_limit_is_refused_by_length() -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_phone_number("0" * 41)
    assert caught.value.code == "phone_length"


def test_a_number_in_a_drama_range_only_counts_for_the_uk_and_the_full_length() -> None:
    # 07700 900 is reserved for drama; a number one digit short is not a number at all.
    assert normalise_phone_number("07700 900 982") == "+447700900982"
    with pytest.raises(ValidationError):
        normalise_phone_number("07700 90098")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+447700900982", "07700 900982"),
        ("+442079460000", "020 7946 0000"),
        ("+33123456789", "+33 1 23 45 67 89"),
        ("0700", "0700"),  # typed before numbers were checked: shown as it was typed
    ],
)
def test_stored_numbers_are_shown_as_people_write_them(stored: str, shown: str) -> None:
    assert format_phone_number(stored) == shown
