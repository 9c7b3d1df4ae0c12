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
    zh: str = "{n}"  # the Chinese edition: where the number goes, with its unit: "{n}秒"


UNITS: dict[str, Unit] = {
    "count": Unit("", "", signed=True),
    "seconds": Unit("second", "seconds", zh="{n}秒"),
    "minutes": Unit("minute", "minutes", zh="{n}分钟"),
    "hours": Unit("hour", "hours", zh="{n}小时"),
    "days": Unit("day", "days", zh="{n}天"),
    "months": Unit("month", "months", zh="{n}个月"),
    "downloads": Unit("download", "downloads", zh="{n}次下载"),
    "videos": Unit("video", "videos", zh="{n}个视频"),
    "users": Unit("user", "users", zh="{n}名用户"),
    "prompts": Unit("prompt", "prompts", zh="{n}条提示词"),
    "GPUs": Unit("GPU", "GPUs", zh="{n}块 GPU"),
    "people": Unit("person", "people", zh="{n}人"),
    "points": Unit("point", "points", signed=True, zh="{n}分"),
    "times": Unit("time", "times", zh="{n}倍"),
    "rank": Unit("", "", prefix="No. ", zh="第{n}名"),
    "percent": Unit("%", "%", joiner="", signed=True, zh="{n}%"),
    "pixels": Unit("p", "p", joiner="", grouped=False, zh="{n}p"),
    "fps": Unit("fps", "fps", zh="每秒{n}帧"),
    "USD": Unit("", "", prefix="$", cents=True, zh="{n}美元"),
    "USD per month": Unit("a month", "a month", prefix="$", cents=True, zh="每月{n}美元"),
    "USD per video": Unit("a video", "a video", prefix="$", cents=True, zh="每个视频{n}美元"),
    "USD per second": Unit("a second", "a second", prefix="$", cents=True, zh="每秒{n}美元"),
    "CNY": Unit("", "", prefix="CN¥", cents=True, zh="{n}元人民币"),
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


_HUNDREDTH = Decimal("0.01")
_ZH_MODIFIERS = {"about": "约", "over": "超过", "under": "不到", "up-to": "最多"}


def _number_zh(value: float, spec: Unit) -> str:
    """627000 -> 62.7万; 1000000 -> 100万; 120000000 -> 1.2亿: a Chinese reader's magnitudes, never
    rounded (a figure a magnitude would shorten only by dropping digits is written in digits)."""
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    for size, word in ((10**8, "亿"), (10**4, "万")):
        if abs(value) >= size and spec.grouped:
            scaled = exact / size
            if scaled == scaled.quantize(_HUNDREDTH) and abs(scaled) < 10000:
                return f"{scaled.quantize(_HUNDREDTH):f}".rstrip("0").rstrip(".") + word
            break
    return _number(value, spec)


def format_number(value: float | tuple[float, float], unit: str, modifier: str | None = None, lang: str = "en") -> str:
    """A number or range with its unit, in plain English ('over 1 million downloads') or, with
    lang 'zh', in Chinese ('超过100万次下载')."""
    spec = UNITS[unit]
    if lang == "zh":
        if isinstance(value, tuple):
            body = f"{_number_zh(value[0], spec)}–{_number_zh(value[1], spec)}"
        else:
            body = _number_zh(value, spec)
        return _ZH_MODIFIERS.get(modifier or "", "") + spec.zh.format(n=body)
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
