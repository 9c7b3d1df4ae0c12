"""The evidence rules, written once: source tiers, how a fact's status follows from its claims,
which claims may carry quotation marks, and which facts must say when they held.

Loading and validation apply these rules to the data, rendering reads them to decide how a figure
is shown, and the methodology page prints them, so what the site says about its sourcing is what
the build enforces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model imports this module; these names are only for the type checker
    from .model import Claim, Fact, Source, Store

# Tiers, strongest first, each with the rule that puts a source in it (shown to readers).
TIERS: dict[str, str] = {
    "primary": "The company, person, court, regulator or data firm itself: OpenAI's posts, help "
    "pages and API documentation, a person's own post or statement, a court filing, a data firm's "
    "own release.",
    "established": "News agencies and outlets with editorial standards reporting first-hand: "
    "Reuters, the Associated Press, Bloomberg, national newspapers and broadcasters, the main "
    "technology and entertainment trade titles.",
    "secondary": "Reports at second hand: trade press and analyses that rely on others' "
    "reporting, blogs, broker notes as retold, and the five documents this briefing began from.",
    "weak": "Aggregators, discussion forums, content farms, wikis and unsigned pages. They may "
    "point to a source but never confirm one.",
}

# How the wording of a quotation was seen: only the first two may stand in quotation marks.
WORDINGS: dict[str, str] = {
    "own-words": "the source is the speaker's own post, statement, filing or transcript (or a "
    "document quoting itself), and its wording was read",
    "direct-quote": "a primary or established source that was read quotes the speaker directly",
    "reported": "the words are a paraphrase or were seen only at second hand; shown as reported "
    "speech, without quotation marks",
}
QUOTED_WORDINGS = ("own-words", "direct-quote")

# Units whose figures change over time: every shown claim of such a fact needs `as_of`. Any other
# fact that changes (a limit, a clip length, a price, availability) says `time_sensitive: true`.
TIME_SENSITIVE_UNITS = frozenset(
    ("downloads", "users", "videos", "prompts", "USD per month", "USD per video", "USD per second", "rank")
)


@dataclass(frozen=True)
class Rule:
    """One rule of the status ladder: the first rule that applies to a fact gives its status."""

    id: str
    status: str
    text: str


RULES: tuple[Rule, ...] = (
    Rule(
        "all-deprecated",
        "rejected",
        "Every claim was found wrong, superseded, unverifiable or true of something else; the figure "
        "appears only in the register.",
    ),
    Rule(
        "disagree",
        "contested",
        "Sources give different values and none is preferred; every value is shown, with a 'sources differ' mark.",
    ),
    Rule(
        "primary-read",
        "confirmed",
        "The shown value comes from a primary source that was itself read at its address (not only "
        "as another document reports it).",
    ),
    Rule(
        "two-established",
        "confirmed",
        "Two established sources from different publishers, each read at its address, give the shown value.",
    ),
    Rule(
        "weak-only",
        "unconfirmed",
        "Only weak sources give the shown value; pages mark it as an unconfirmed report.",
    ),
    Rule(
        "primary-via",
        "attributed",
        "The shown value is a primary source's, read only as another document reports it; pages name both.",
    ),
    Rule(
        "single",
        "attributed",
        "One source, or sources not strong enough to confirm it, give the shown value; pages say "
        "'according to' that source.",
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}
STATUSES = ("confirmed", "attributed", "contested", "unconfirmed", "rejected")

# The same, for the Chinese edition: every tier, wording, rule and status above has its Chinese
# (tests/test_words.py checks that none is missing).
TIER_NAMES_ZH = {"primary": "一手", "established": "权威媒体", "secondary": "二手", "weak": "薄弱"}
TIERS_ZH: dict[str, str] = {
    "primary": "公司、当事人、法院、监管机构或数据公司本身：OpenAI 的博文、帮助页面和 API 文档，"
    "当事人本人的帖子或声明，法院文书，数据公司自己发布的数据。",
    "established": "有编辑标准、进行一手报道的通讯社和媒体：路透社、美联社、彭博社，各国全国性报纸"
    "和广播机构，主要的科技和娱乐行业媒体。",
    "secondary": "二手报道：依赖他人报道的行业媒体和分析、博客、被转述的券商报告，以及本简报据以起步的五份文件。",
    "weak": "聚合网站、讨论论坛、内容农场、维基和未署名页面。它们可以指向某个来源，但从不证实来源。",
}
WORDINGS_ZH: dict[str, str] = {
    "own-words": "来源是说话人本人的帖子、声明、文书或文字记录（或文件自我引述），且已阅读其措辞",
    "direct-quote": "一份已阅读的一手或权威来源直接引述了说话人的话",
    "reported": "这些话是转述，或只见于二手来源；以间接引语呈现，不加引号",
}
RULE_TEXTS_ZH: dict[str, str] = {
    "all-deprecated": "每条说法都被认定有误、已被取代、无法核实或属于他物；该数据只出现在登记册中。",
    "disagree": "各来源给出的数值不同，且没有首选值；所有数值都会显示，并标注“来源不一”。",
    "primary-read": "显示的数值来自一份在其网址上直接阅读过的一手来源（而不仅是经另一文件转述）。",
    "two-established": "两家不同出版方的权威来源给出了显示的数值，且都在其网址上阅读过。",
    "weak-only": "只有薄弱来源给出显示的数值；页面将其标为未经证实的报道。",
    "primary-via": "显示的数值出自一手来源，但只经另一文件转述读到；页面会同时写明两者。",
    "single": "只有一个来源，或来源不足以证实，给出了显示的数值；页面注明“据”该来源。",
}
STATUSES_ZH = {
    "confirmed": "已证实",
    "attributed": "注明出处",
    "contested": "有争议",
    "unconfirmed": "未经证实",
    "rejected": "已驳回",
}


def time_sensitive(unit: str, declared: bool | None) -> bool:
    """Whether a fact's figures change over time: as declared, else by its unit."""
    return declared if declared is not None else unit in TIME_SENSITIVE_UNITS


def read_at_address(source: Source, claim: Claim) -> bool:
    """Was this claim read in the source itself? It has an address and was not reached via another."""
    return source.url is not None and claim.via is None


def assess(store: Store, fact: Fact) -> Rule:
    """The rule that gives the fact its status. The first that applies, in the order of RULES."""
    # Written out with plain loops, each claim's source looked up once: `python -m macros check`
    # assesses every fact of the ledger for its one-line summary, after everything else is done.
    live = []
    preferred = None
    for claim in fact.claims:
        rank = claim.rank
        if rank != "deprecated":
            live.append(claim)
            if rank == "preferred" and preferred is None:
                preferred = claim
    if not live:
        return _ALL_DEPRECATED
    if preferred is None:
        if len(live) > 1 and fact.disagreeing:
            return _DISAGREE
        shown = live
    else:
        shown = [preferred]
    known = store.sources
    sources = []
    for claim in shown:
        source = known.get(claim.source)
        if source is None:
            return _SINGLE  # an unknown source is reported by validation
        sources.append(source)
    tiers = []
    for claim, source in zip(shown, sources, strict=True):
        if source.tier == "primary" and source.url is not None and claim.via is None:
            return _PRIMARY_READ
        tiers.append(source.tier)
    if len(live) > 1:  # two publishers need two claims (most facts have one)
        value = shown[0].value
        publishers = set()
        for claim in live:
            if claim.value == value and claim.via is None:
                source = known.get(claim.source)
                if source is not None and source.tier == "established" and source.url is not None:
                    publishers.add(source.publisher)
        if len(publishers) >= 2:
            return _TWO_ESTABLISHED
    if tiers.count("weak") == len(tiers):
        return _WEAK_ONLY
    if "primary" in tiers:
        return _PRIMARY_VIA
    return _SINGLE


(_ALL_DEPRECATED, _DISAGREE, _PRIMARY_READ, _TWO_ESTABLISHED, _WEAK_ONLY, _PRIMARY_VIA, _SINGLE) = (
    RULES_BY_ID[rule]
    for rule in ("all-deprecated", "disagree", "primary-read", "two-established", "weak-only", "primary-via", "single")
)


def quotation_problem(claim: Claim, source: Source) -> str | None:
    """Why a claim's quotation may not stand in quotation marks as recorded, or None."""
    if claim.quote is None or claim.wording is None:
        return None
    if claim.wording == "reported":
        return None
    if claim.via is not None:
        return (
            f"wording '{claim.wording}' needs the quoted source itself; it was reached via '{claim.via}', "
            "so the wording is 'reported'"
        )
    if not claim.locator:
        return f"wording '{claim.wording}' needs a locator: where in the source the words stand"
    if claim.wording == "own-words" and claim.speaker and source.tier != "primary":
        return (
            f"wording 'own-words' with a speaker needs the speaker's own post or statement (a primary "
            f"source); '{source.id}' is {source.tier}: use 'direct-quote' or 'reported'"
        )
    if claim.wording == "direct-quote":
        if not claim.speaker:
            return "wording 'direct-quote' needs the speaker: who said the words"
        if source.tier not in ("primary", "established"):
            return (
                f"wording 'direct-quote' needs a primary or established source; '{source.id}' is "
                f"{source.tier}, so the wording is 'reported'"
            )
    return None


def summary(store: Store) -> str:
    """One line on the strength of the whole ledger: facts by status, and the claims that rest on a
    primary source read at its address."""
    statuses = {status: 0 for status in STATUSES}
    known = store.sources
    primary_read = 0
    for fact in store.facts.values():
        statuses[assess(store, fact).status] += 1
        for claim in fact.claims:
            source = known.get(claim.source)
            if source is not None and source.tier == "primary" and read_at_address(source, claim):
                primary_read += 1
    by_status = ", ".join(f"{count} {status}" for status, count in statuses.items())
    return f"facts by status: {by_status}; claims resting on a primary source read at its address: {primary_read}"
