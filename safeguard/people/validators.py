"""Validate, normalise and generate the identifiers we hold about people.

Covers NHS numbers, Unique Pupil Numbers (UPNs), UK postcodes, telephone
numbers, local child identifiers (the CIN census ``LAchildID``) and people's
names.

Every ``validate_*`` function returns ``None`` or raises
``django.core.exceptions.ValidationError`` with a plain-English message in
the GOV.UK style and a stable ``code`` that forms and tests can rely on.
Validators normalise their input first, so "943 476 5919" is accepted as an
NHS number; store the normalised form (``normalise_*``) after validating.

The ``generate_*`` functions make fictional identifiers for demo and test
data. They take a ``random.Random`` so that a seed gives repeatable data.

This module is pure: it must not touch Django settings or models, because it
is imported by migrations, management commands and settings-free tests.
"""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Final

import phonenumbers
from django.core.exceptions import ValidationError

__all__ = [
    "LA_CHILD_ID_MAX_LENGTH",
    "NAME_MAX_LENGTH",
    "UPN_LETTERS",
    "format_nhs_number",
    "format_phone_number",
    "generate_la_child_id",
    "generate_nhs_number",
    "generate_upn",
    "is_valid_nhs_number",
    "nhs_check_digit",
    "normalise_nhs_number",
    "normalise_phone_number",
    "normalise_postcode",
    "normalise_upn",
    "upn_check_letter",
    "validate_la_child_id",
    "validate_nhs_number",
    "validate_person_name",
    "validate_postcode",
    "validate_upn",
]

# People type and paste identifiers with spaces or hyphens between groups of
# digits; those carry no meaning, so we drop them before checking.
_SEPARATORS_RE: Final = re.compile(r"[\s-]+")

# str.isdigit() accepts Arabic-Indic, superscript and other digits that int()
# or a downstream system may not; identifiers must be plain 0 to 9.
_ASCII_DIGITS_RE: Final = re.compile(r"[0-9]+")


def _strip_separators(value: str) -> str:
    return _SEPARATORS_RE.sub("", value)


def _is_ascii_digits(value: str) -> bool:
    return _ASCII_DIGITS_RE.fullmatch(value) is not None


# --------------------------------------------------------------------------
# NHS number
# --------------------------------------------------------------------------

NHS_NUMBER_LENGTH: Final = 10

# Weights 10 down to 2 apply to the first nine digits (NHS Data Dictionary,
# "NHS Number": modulus 11 check digit).
_NHS_WEIGHTS: Final = tuple(range(10, 1, -1))

# NHS England reserves 999 000 0000 to 999 999 9999 for testing, so numbers
# made here can never identify a real patient.
_NHS_TEST_PREFIX: Final = "999"

# The NHS design system's own hint-text example. It deliberately fails the
# check digit, so nobody can copy it into a record by mistake.
_NHS_EXAMPLE: Final = "485 777 3456"

NHS_REQUIRED_MESSAGE: Final = "Enter an NHS number"
NHS_FORMAT_MESSAGE: Final = f"Enter an NHS number in the correct format, like {_NHS_EXAMPLE}"
NHS_LENGTH_MESSAGE: Final = "NHS number must be 10 digits"
NHS_CHECK_DIGIT_MESSAGE: Final = "The NHS number is not valid: check it has been typed correctly"


def normalise_nhs_number(value: str) -> str:
    """Return ``value`` without spaces or hyphens; other characters are kept.

    Keeping other characters means a stray letter still fails validation
    rather than being silently dropped.
    """
    return _strip_separators(value)


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the modulus 11 check digit for the first nine digits.

    Returns ``None`` when the remainder makes the check digit 10: no valid
    NHS number starts with those nine digits.

    Raises ``ValueError`` if ``first_nine`` is not exactly nine digits 0-9,
    because that is a programming error rather than bad user input.
    """
    if len(first_nine) != len(_NHS_WEIGHTS) or not _is_ascii_digits(first_nine):
        raise ValueError(f"Expected 9 digits, got {first_nine!r}")
    total = sum(weight * int(digit) for weight, digit in zip(_NHS_WEIGHTS, first_nine, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def validate_nhs_number(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a valid NHS number.

    Checks the shape (10 digits, ignoring spaces and hyphens) and the
    modulus 11 check digit. It does not check the number is issued, nor
    which UK nation's range it falls in.
    """
    number = normalise_nhs_number(value)
    if not number:
        raise ValidationError(NHS_REQUIRED_MESSAGE, code="nhs_number_required")
    if not _is_ascii_digits(number):
        raise ValidationError(NHS_FORMAT_MESSAGE, code="nhs_number_format")
    if len(number) != NHS_NUMBER_LENGTH:
        raise ValidationError(NHS_LENGTH_MESSAGE, code="nhs_number_length")
    if nhs_check_digit(number[:9]) != int(number[9]):
        raise ValidationError(NHS_CHECK_DIGIT_MESSAGE, code="nhs_number_check_digit")


def is_valid_nhs_number(value: str) -> bool:
    """Return whether ``value`` passes ``validate_nhs_number``."""
    try:
        validate_nhs_number(value)
    except ValidationError:
        return False
    return True


def format_nhs_number(value: str) -> str:
    """Return the number spaced 3-3-4 for display, like "485 777 3456".

    Only the shape is checked, not the check digit, so a stored value can
    always be shown. Anything that is not 10 digits is returned unchanged
    because a display helper should not hide or crash on bad data.
    """
    number = normalise_nhs_number(value)
    if len(number) != NHS_NUMBER_LENGTH or not _is_ascii_digits(number):
        return value
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def generate_nhs_number(rng: random.Random) -> str:
    """Return a valid fictional NHS number in the 999 test range (no spaces)."""
    while True:
        first_nine = f"{_NHS_TEST_PREFIX}{rng.randrange(10**6):06d}"
        check = nhs_check_digit(first_nine)
        # About 1 in 11 prefixes has no valid check digit; draw again.
        if check is not None:
            return f"{first_nine}{check}"


# --------------------------------------------------------------------------
# Unique Pupil Number (UPN)
# --------------------------------------------------------------------------

UPN_LENGTH: Final = 13

# DfE check-letter table: remainders 0 to 22 map to these letters in order.
# I, O and S are left out because they are easily mistaken for 1, 0 and 5.
UPN_LETTERS: Final = "ABCDEFGHJKLMNPQRTUVWXYZ"

# The example UPN in the DfE "Unique pupil numbers" guidance.
_UPN_EXAMPLE: Final = "H801200001001"

UPN_REQUIRED_MESSAGE: Final = "Enter a UPN"
UPN_LENGTH_MESSAGE: Final = "UPN must be 13 characters"
UPN_FIRST_CHARACTER_MESSAGE: Final = "The first character of the UPN must be a letter, but not I, O or S"
UPN_DIGITS_MESSAGE: Final = "Characters 2 to 12 of the UPN must be numbers"
UPN_LAST_CHARACTER_MESSAGE: Final = (
    "The last character of the UPN must be a number or a letter, but not I, O or S"
)
UPN_CHECK_LETTER_MESSAGE: Final = "The UPN is not valid: check it has been typed correctly"


def normalise_upn(value: str) -> str:
    """Return ``value`` in upper case without spaces or hyphens."""
    return _strip_separators(value).upper()


def _upn_character_value(character: str) -> int:
    # Temporary UPNs end in a letter; it counts as its position in the
    # check-letter table (A=0 ... Z=22), as in the DfE guidance.
    if _is_ascii_digits(character):
        return int(character)
    return UPN_LETTERS.index(character)


def _is_upn_body(body: str) -> bool:
    return (
        len(body) == UPN_LENGTH - 1
        and _is_ascii_digits(body[:-1])
        and (_is_ascii_digits(body[-1]) or body[-1] in UPN_LETTERS)
    )


def upn_check_letter(body: str) -> str:
    """Return the check letter for characters 2 to 13 of a UPN.

    DfE algorithm ("Unique pupil numbers" guidance, and CIN census rule
    1510): multiply characters 2 to 13 by weights 2 to 13, take the sum
    modulo 23, and look the remainder up in ``UPN_LETTERS``. For a
    temporary UPN the final letter counts as its index in the same table.

    The weights and table match the DfE worked examples (H801200001001,
    temporary G80120000101A). Because a final "A" counts as 0, a temporary
    UPN ending in "A" shares its check letter with the same number ending in
    "0"; the algorithm cannot tell them apart.

    Raises ``ValueError`` if ``body`` is not 11 digits followed by a digit
    or a table letter (upper case).
    """
    if not _is_upn_body(body):
        raise ValueError(f"Expected 11 digits and a digit or letter, got {body!r}")
    total = sum(
        weight * _upn_character_value(character)
        for weight, character in zip(range(2, UPN_LENGTH + 1), body, strict=True)
    )
    return UPN_LETTERS[total % len(UPN_LETTERS)]


def validate_upn(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a valid permanent or temporary UPN.

    Layout: check letter, 3-digit LA code, 4-digit establishment number,
    2-digit year, 3-digit serial (the last character is a letter in a
    temporary UPN). The LA code is checked for shape only, not against the
    DfE list of LA codes, because that list changes when councils reorganise.
    """
    upn = normalise_upn(value)
    if not upn:
        raise ValidationError(UPN_REQUIRED_MESSAGE, code="upn_required")
    if len(upn) != UPN_LENGTH:
        raise ValidationError(UPN_LENGTH_MESSAGE, code="upn_length")
    if upn[0] not in UPN_LETTERS:
        raise ValidationError(UPN_FIRST_CHARACTER_MESSAGE, code="upn_first_character")
    if not _is_ascii_digits(upn[1:12]):
        raise ValidationError(UPN_DIGITS_MESSAGE, code="upn_digits")
    if not (_is_ascii_digits(upn[12]) or upn[12] in UPN_LETTERS):
        raise ValidationError(UPN_LAST_CHARACTER_MESSAGE, code="upn_last_character")
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValidationError(UPN_CHECK_LETTER_MESSAGE, code="upn_check_letter")


def generate_upn(rng: random.Random, la_code: str, *, temporary: bool = False) -> str:
    """Return a valid fictional UPN issued by ``la_code`` (3 digits).

    With ``temporary=True`` the UPN ends in a letter, like a temporary UPN.
    There is no reserved test range for UPNs, so a generated UPN may match a
    real pupil's by chance; it carries no personal data.
    """
    if len(la_code) != 3 or not _is_ascii_digits(la_code):
        raise ValueError(f"LA code must be 3 digits, got {la_code!r}")
    establishment = f"{rng.randrange(10**4):04d}"
    year = f"{rng.randrange(100):02d}"
    if temporary:
        serial = f"{rng.randrange(100):02d}{rng.choice(UPN_LETTERS)}"
    else:
        serial = f"{rng.randrange(1000):03d}"
    body = f"{la_code}{establishment}{year}{serial}"
    return f"{upn_check_letter(body)}{body}"


# --------------------------------------------------------------------------
# UK postcode
# --------------------------------------------------------------------------

# Royal Mail / BS 7666 rules: the first letter is never Q, V or X; the second
# is never I, J or Z; the inward letters are never C, I, K, M, O or V.
# We do not restrict the letter in A9A and AA9A districts: sources disagree
# on the allowed set, and refusing a child's real address is worse than
# accepting a typo. GIR 0AA (Girobank) breaks the rules but is real.
_POSTCODE_RE: Final = re.compile(
    r"""
    GIR\ 0AA
    |
    [A-PR-UWYZ]
    (?: [0-9][0-9A-Z]?          # A9, A99, A9A
      | [A-HK-Y][0-9][0-9A-Z]?  # AA9, AA99, AA9A
    )
    \ [0-9][ABD-HJLNP-UW-Z]{2}
    """,
    re.VERBOSE,
)

_INWARD_CODE_LENGTH: Final = 3

POSTCODE_REQUIRED_MESSAGE: Final = "Enter a postcode"
POSTCODE_INVALID_MESSAGE: Final = "Enter a real postcode, like AA1 1AA"


def normalise_postcode(value: str) -> str:
    """Return the postcode in upper case with one space before the inward code.

    "ls1 4ap" and " LS14AP " both become "LS1 4AP". Values too short to
    have an inward code are returned upper-cased without spaces, so the
    function is idempotent on any input.
    """
    compact = "".join(value.upper().split())
    if len(compact) <= _INWARD_CODE_LENGTH:
        return compact
    return f"{compact[:-_INWARD_CODE_LENGTH]} {compact[-_INWARD_CODE_LENGTH:]}"


def validate_postcode(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` has the shape of a UK postcode.

    Covers A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA and
    GIR 0AA, in any case and spacing. It cannot tell whether the postcode
    is in use; British Forces (BFPO) and overseas territory codes outside
    these shapes are not accepted.
    """
    postcode = normalise_postcode(value)
    if not postcode:
        raise ValidationError(POSTCODE_REQUIRED_MESSAGE, code="postcode_required")
    if _POSTCODE_RE.fullmatch(postcode) is None:
        raise ValidationError(POSTCODE_INVALID_MESSAGE, code="postcode_invalid")


# --------------------------------------------------------------------------
# Telephone number
# --------------------------------------------------------------------------

# GOV.UK design system, "Telephone numbers": the examples are Ofcom's numbers
# reserved for drama, so nobody calls a real person by copying one.
PHONE_INVALID_MESSAGE: Final = (
    "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
)
PHONE_MAX_LENGTH: Final = 40
PHONE_LENGTH_MESSAGE: Final = f"Telephone number must be {PHONE_MAX_LENGTH} characters or fewer"

# Ofcom reserves these ranges for TV and radio drama: never given to anyone, so
# libphonenumber calls them invalid, but our fictional demo and test data, and
# the GOV.UK hint text people copy, use them. E.164 prefixes, each of 1,000
# numbers (Ofcom, "TV drama telephone numbers").
_DRAMA_PREFIXES: Final = (
    "+447700900",  # 07700 900000 to 900999 (mobile)
    "+441632960",  # 01632 960000 to 960999 (no area)
    "+442079460",  # 020 7946 0000 to 0999 (London)
    "+441134960",  # 0113 496 0000 to 0999 (Leeds)
    "+441144960",  # Sheffield
    "+441154960",  # Nottingham
    "+441164960",  # Leicester
    "+441174960",  # Bristol
    "+441184960",  # Reading
    "+441214960",  # Birmingham
    "+441314960",  # Edinburgh
    "+441414960",  # Glasgow
    "+441514960",  # Liverpool
    "+441614960",  # Manchester
    "+441914980",  # 0191 498 0000 to 0999 (Tyneside)
    "+442896496",  # 028 9649 6000 to 6999 (Belfast)
    "+442920180",  # 029 2018 0000 to 0999 (Cardiff)
    "+443069990",  # 0306 999 0000 to 0999 (non-geographic)
    "+448081570",  # 0808 157 0000 to 0999 (freephone)
    "+449098790",  # 0909 879 0000 to 0999 (premium rate)
)


def normalise_phone_number(value: str) -> str:
    """Return ``value`` as an E.164 number ("+447700900982"), or raise ``ValidationError``.

    UK numbers may be typed in any usual way ("07700 900 982", "(020) 7946 0000",
    "+44 7700 900982", "0044 7700 900982"); other countries' numbers need their
    "+" and country code. The number must be a real one for its country
    (libphonenumber's metadata) or in a UK range reserved for drama. An
    extension ("ext 123") is kept after the number, as ";ext=123" (RFC 3966),
    so nothing typed is lost.
    """
    text = value.strip()
    if not text:
        raise ValidationError(PHONE_INVALID_MESSAGE, code="phone_required")
    if len(text) > PHONE_MAX_LENGTH:
        raise ValidationError(PHONE_LENGTH_MESSAGE, code="phone_length")
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(PHONE_INVALID_MESSAGE, code="phone_invalid") from exc
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    drama = (
        number.country_code == 44 and len(e164) == len("+447700900982") and e164.startswith(_DRAMA_PREFIXES)
    )
    if not (phonenumbers.is_valid_number(number) or drama):
        raise ValidationError(PHONE_INVALID_MESSAGE, code="phone_invalid")
    return f"{e164};ext={number.extension}" if number.extension else e164


def format_phone_number(value: str) -> str:
    """A stored E.164 number as people read it: "07700 900982" for UK numbers,
    "+33 1 23 45 67 89" for others. Anything that does not parse is returned as
    it is (numbers stored before validation)."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return value
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


# --------------------------------------------------------------------------
# Local child identifier (CIN census LAchildID)
# --------------------------------------------------------------------------

# DfE CIN census (from 2024-25): LAchildID is at most 20 characters, letters
# and digits only. We read "letters" as a to z, because the value is sent in
# the census XML and matched by other systems.
LA_CHILD_ID_MAX_LENGTH: Final = 20
_LA_CHILD_ID_RE: Final = re.compile(r"[A-Za-z0-9]+")
_LA_CHILD_ID_DIGITS: Final = 9

LA_CHILD_ID_REQUIRED_MESSAGE: Final = "Enter a local child identifier"
LA_CHILD_ID_LENGTH_MESSAGE: Final = (
    f"Local child identifier must be {LA_CHILD_ID_MAX_LENGTH} characters or fewer"
)
LA_CHILD_ID_CHARACTERS_MESSAGE: Final = "Local child identifier must only include letters a to z and numbers"


def validate_la_child_id(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a valid LAchildID.

    Not normalised: spaces are an error rather than being dropped, because
    the identifier must match exactly what other returns hold for the child.
    """
    if not value.strip():
        raise ValidationError(LA_CHILD_ID_REQUIRED_MESSAGE, code="la_child_id_required")
    if len(value) > LA_CHILD_ID_MAX_LENGTH:
        raise ValidationError(LA_CHILD_ID_LENGTH_MESSAGE, code="la_child_id_length")
    if _LA_CHILD_ID_RE.fullmatch(value) is None:
        raise ValidationError(LA_CHILD_ID_CHARACTERS_MESSAGE, code="la_child_id_characters")


def generate_la_child_id(rng: random.Random, prefix: str = "C") -> str:
    """Return ``prefix`` followed by 9 random digits, like "C012345678".

    Raises ``ValueError`` if the prefix would make the identifier invalid.
    """
    if prefix and _LA_CHILD_ID_RE.fullmatch(prefix) is None:
        raise ValueError(f"Prefix must only include letters a to z and numbers: {prefix!r}")
    if len(prefix) + _LA_CHILD_ID_DIGITS > LA_CHILD_ID_MAX_LENGTH:
        raise ValueError(
            f"Prefix must be at most {LA_CHILD_ID_MAX_LENGTH - _LA_CHILD_ID_DIGITS} characters: {prefix!r}"
        )
    return f"{prefix}{rng.randrange(10**_LA_CHILD_ID_DIGITS):0{_LA_CHILD_ID_DIGITS}d}"


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

NAME_MAX_LENGTH: Final = 100

# Straight and curly apostrophes both appear (word processors and phones
# swap them), so accept either. Letters from any script are accepted via
# their Unicode category instead of being listed here.
_NAME_PUNCTUATION: Final = frozenset(" -'\u2018\u2019.")

NAME_REQUIRED_MESSAGE: Final = "Enter a name"
NAME_LENGTH_MESSAGE: Final = f"Name must be {NAME_MAX_LENGTH} characters or fewer"
NAME_CHARACTERS_MESSAGE: Final = "Name must only include letters, spaces, hyphens, apostrophes and full stops"
NAME_NO_LETTERS_MESSAGE: Final = "Name must include at least one letter"


def _is_letter(character: str) -> bool:
    return unicodedata.category(character).startswith("L")


def _is_name_character(character: str) -> bool:
    # Combining marks (category M) are part of letters: "ễ" typed on some
    # keyboards arrives as e + two marks, and many scripts (Devanagari,
    # Arabic vowel signs) need marks to spell any name at all.
    category = unicodedata.category(character)
    return category[0] in ("L", "M") or character in _NAME_PUNCTUATION


def validate_person_name(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is an acceptable name.

    Allows letters and accents from any script, spaces, hyphens, straight
    and curly apostrophes and full stops (for "St. John"). Rejects digits,
    other symbols such as "<" and ">", tabs and line breaks. Length is
    counted after NFC normalisation, so an accented letter typed as a
    letter plus a combining accent counts once.
    """
    name = unicodedata.normalize("NFC", value)
    if not name.strip():
        raise ValidationError(NAME_REQUIRED_MESSAGE, code="name_required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(NAME_LENGTH_MESSAGE, code="name_length")
    if not all(_is_name_character(character) for character in name):
        raise ValidationError(NAME_CHARACTERS_MESSAGE, code="name_characters")
    if not any(_is_letter(character) for character in name):
        raise ValidationError(NAME_NO_LETTERS_MESSAGE, code="name_no_letters")
