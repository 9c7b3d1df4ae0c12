"""Render functions on their own: values, units, dates and escaping."""

from __future__ import annotations

import html

import pytest

from macros.core.markup import esc
from macros.core.render import format_date
from macros.ledger.units import format_number


@pytest.mark.parametrize(
    ("value", "unit", "modifier", "expected"),
    [
        (627000, "downloads", None, "627,000 downloads"),
        (1_000_000, "downloads", "over", "over 1 million downloads"),
        (1, "days", None, "1 day"),
        ((500_000, 1_000_000), "videos", None, "500,000–1 million videos"),
        (0.1, "USD per second", None, "$0.10 a second"),
        (200, "USD per month", None, "$200 a month"),
        (2.5e9, "USD", None, "$2.5 billion"),
        (1080, "pixels", None, "1080p"),
        (95, "percent", "about", "about 95%"),
        (1, "rank", None, "No. 1"),
        (25, "seconds", "up-to", "up to 25 seconds"),
        # Decimals as the source gave them, never rounded away: small values do not read as 0.
        (0.001, "seconds", None, "0.001 seconds"),
        (0.0125, "USD per second", None, "$0.0125 a second"),
        (1.234, "percent", None, "1.234%"),
        (1234.5, "count", None, "1,234.5"),
        (2.5, "USD", None, "$2.50"),
    ],
)
def test_numbers_read_as_english(value: float, unit: str, modifier: str | None, expected: str) -> None:
    assert format_number(value, unit, modifier) == expected


@pytest.mark.parametrize(
    ("iso", "expected"),
    [("2025-09-30", "30 September 2025"), ("2025-10", "October 2025"), ("2024", "2024")],
)
def test_dates_read_as_english(iso: str, expected: str) -> None:
    assert format_date(iso) == expected


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "{{ 7*7 }}",
        "{% if x %}",
        "*bold* _it_",
        "[^1]",
        "[x](javascript:alert(1))",
        "a & b",
    ],
)
def test_escaped_text_is_inert_and_reads_the_same(text: str) -> None:
    out = esc(text)
    for char in "<>{}[]*_^":
        assert char not in out
    assert html.unescape(out) == text
