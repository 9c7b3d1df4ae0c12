"""How each unit is written next to a number. A new unit is one line in UNITS."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Unit:
    singular: str  # after the number: "1 second"
    plural: str  # "20 seconds"
    prefix: str = ""  # before the number: "$200"
    joiner: str = " "  # between number and word: "95%" has none
    grouped: bool = True  # 627,000; but a resolution is 1080p, not 1,080p
    cents: bool = False  # money below a whole unit keeps two decimals: $0.10
    signed: bool = False  # may be below zero (a change in percent); durations, counts, prices may not


UNITS: dict[str, Unit] = {
    "count": Unit("", "", signed=True),
    "seconds": Unit("second", "seconds"),
    "minutes": Unit("minute", "minutes"),
    "hours": Unit("hour", "hours"),
    "days": Unit("day", "days"),
    "months": Unit("month", "months"),
    "downloads": Unit("download", "downloads"),
    "videos": Unit("video", "videos"),
    "users": Unit("user", "users"),
    "prompts": Unit("prompt", "prompts"),
    "GPUs": Unit("GPU", "GPUs"),
    "people": Unit("person", "people"),
    "points": Unit("point", "points", signed=True),
    "times": Unit("time", "times"),
    "rank": Unit("", "", prefix="No. "),
    "percent": Unit("%", "%", joiner="", signed=True),
    "pixels": Unit("p", "p", joiner="", grouped=False),
    "fps": Unit("fps", "fps"),
    "USD": Unit("", "", prefix="$", cents=True),
    "USD per month": Unit("a month", "a month", prefix="$", cents=True),
    "USD per video": Unit("a video", "a video", prefix="$", cents=True),
    "USD per second": Unit("a second", "a second", prefix="$", cents=True),
    "CNY": Unit("", "", prefix="CN¥", cents=True),
}


def known(name: str) -> bool:
    return name in UNITS


def names() -> list[str]:
    return list(UNITS)


def _number(value: float, spec: Unit) -> str:
    """627000 -> 627,000; 1000000 -> 1 million; 0.1 dollars -> 0.10. Never rounded: a figure that
    a word would shorten only by dropping digits (1,234,567; 999,999,999) is written in digits."""
    magnitude = abs(value)
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if magnitude >= size and spec.grouped:
            scaled = exact / size
            if scaled == scaled.quantize(_THOUSANDTH) and abs(scaled) < 1000:
                text = f"{scaled.quantize(_THOUSANDTH):f}".rstrip("0").rstrip(".")
                return f"{text} {word}"
            break
    if float(value).is_integer():
        return f"{int(value):,}" if spec.grouped else str(int(value))
    # As many decimals as the source gave (the shortest form that reads back as the same number):
    # 1.234%, 0.001 seconds, $0.0125; money keeps at least two, $0.10.
    text = f"{exact:,f}" if spec.grouped else f"{exact:f}"
    if spec.cents and len(text.partition(".")[2]) < 2:
        text = f"{value:,.2f}"
    return text


_THOUSANDTH = Decimal("0.001")


def format_number(value: float | tuple[float, float], unit: str, modifier: str | None = None) -> str:
    """A number or range with its unit, in plain English: 'over 1 million downloads'."""
    spec = UNITS[unit]
    if isinstance(value, tuple):
        lo, hi = value
        body = f"{spec.prefix}{_number(lo, spec)}–{spec.prefix}{_number(hi, spec)}"
        plural = True
    else:
        body = f"{spec.prefix}{_number(value, spec)}"
        plural = value != 1
    word = spec.plural if plural else spec.singular
    text = f"{body}{spec.joiner}{word}" if word else body
    lead = {"about": "about ", "over": "over ", "under": "under ", "up-to": "up to "}.get(modifier or "", "")
    return lead + text
