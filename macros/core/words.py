"""The words the core writes around the data, in the language of each edition.

English is written in the code itself, where it is used: `say(lang, "according to {who}", who=…)`.
For the Chinese edition every such phrase has its Chinese here, with the same `{placeholders}`
(tests/test_words.py reads the code for every phrase and fails on one without its Chinese). The
data's own text comes in Chinese from the data (`label_zh`, `value_zh`, …), never from here.
"""

from __future__ import annotations

import string

LANGUAGES = ("en", "zh")

ZH: dict[str, str] = {
    # Figures and how they are qualified
    ", as of {date}": "（截至{date}）",
    " (unconfirmed report, according to {who})": "（未经证实的报道，据{who}）",
    " ({source}, as reported by {via})": "（{source}，据{via}报道）",
    " (according to {who})": "（据{who}）",
    "sources differ": "来源不一",
    " or ": "或",
    " (": "（",
    ")": "）",
    "about ": "约",
    "over ": "超过",
    "under ": "不到",
    "up to ": "最多",
    # Footnotes
    "{publisher}, {title}, {date}.": "{publisher}，{title}，{date}。",
    "{publisher}, {title}.": "{publisher}，{title}。",
    " Reported in: {source}": " 转引自：{source}",
    # Quotations
    " (our translation)": "（本站译文）",
    "{speaker} said, according to {reporter}{ours}, in substance": "据{reporter}{ours}，{speaker}的大意是",
    "according to {reporter}{ours}, in substance": "据{reporter}{ours}，大意是",
    " (our translation: “{text}”)": "（本站译文：“{text}”）",
    ", {speaker}": "，{speaker}",
    ", as quoted by {source}": "，据{source}引述",
    # Corrections and ranks
    "{who} gave {value}": "{who}给出的数值为{value}",
    "{said}: {judged}. {reason}": "{said}：{judged}。{reason}",
    "wrong": "有误",
    "superseded": "已被取代",
    "true of another product": "属于另一产品",
    "not verified": "未经核实",
    "preferred": "首选",
    "normal": "并列",
    "deprecated": "弃用",
    "reported: ": "转述：",
    # The register
    "as of {date}": "截至{date}",
    " via ": " 经由 ",
    "Figure": "数据",
    "Value": "数值",
    "Source": "来源",
    "Applies to": "适用于",
    "Where / quotation": "出处 / 引文",
    "Rank": "排序",
    "status: **{status}** (rule `{rule}`: {text})": "状态：**{status}**（规则 `{rule}`：{text}）",
    "**corrected**": "**已更正**",
    "about {name}": "涉及 {name}",
    "Topic": "主题",
    "Facts": "事实数",
    "With disagreeing or corrected claims": "含分歧或已更正说法的事实",
    "Unresolved: sources disagree": "未解决：来源之间存在分歧",
    "Resolved: sources disagreed, a preferred value was chosen": "已解决：来源曾有分歧，已选定首选数值",
    "Corrected or rejected: a value in circulation is wrong": "已更正或驳回：流传中的某一数值有误",
    "Resolution: the site shows the preferred value. ": "处理：本站显示首选数值。",
    "Unresolved: no source settles it, so every value is shown wherever it is used.": (
        "未解决：没有来源能够定论，因此凡用到此项之处均列出全部数值。"
    ),
    "Register entry": "登记册条目",
    # Sources
    "{tier} sources": "{tier}来源",
    "Author: {author}.": "作者：{author}。",
    "Kind: {kind}. Language: {language}. Accessed {date}.": "类型：{kind}。语言：{language}。访问日期：{date}。",
    "Archived copy": "存档副本",
    "Claims: {used} used, {corrected} corrected, {rejected} rejected as unverified.": (
        "说法：采用 {used} 条，更正 {corrected} 条，因未经核实而驳回 {rejected} 条。"
    ),
    "Document": "文件",
    "Publisher": "出版方",
    "Used": "采用",
    "Corrected": "更正",
    "Rejected": "驳回",
    # Charts
    "Sources differ: every value is drawn.": "来源不一：每个数值都已画出。",
    "Contested figures": "有争议的数字",
    ".": "。",
    "Source: ": "来源：",
    "Sources: ": "来源：",
    "; ": "；",
    "The figures in this chart, as a table": "本图的数字（表格）",
    "Bar chart. ": "条形图。",
    "Chart over time. ": "随时间变化的图表。",
    "Timeline. ": "时间线。",
    "{label}, {sources}: {value}": "{label}，{sources}：{value}",
    "Date": "日期",
    "Series": "系列",
    "Event": "事件",
    # The feed
    "{name}: corrections and updates": "{name}：更正与更新",
    "Every change to the figures of the briefing book: what changed, why, and which facts.": (
        "简报中数字的每一次改动：改了什么、为什么改、涉及哪些事实。"
    ),
    "{name} team": "{name}团队",
    # The printed edition
    "Notes to “{title}”": "《{title}》的注释",
    "Contents": "目录",
    "not recorded": "未记录",
    "Briefing book · printed edition": "简报 · 印刷版",
    "Figures last checked": "数据最近核对",
    "Edition": "版本",
    "commit": "提交",
    "Online, with search and the fact register": "在线版（含搜索和事实登记册）",
    (
        "Every figure carries a note number; each chapter's notes follow it, numbered as on the web page. "
        "Figures whose sources disagree are marked “sources differ”; the register online shows every claim "
        "with its source."
    ): (
        "每个数字都带有注释编号；各章注释附于章后，编号与网页一致。"
        "来源之间有分歧的数字标有“来源不一”；在线登记册列出每条说法及其来源。"
    ),
    # Evidence rules (methodology)
    "Tier": "层级",
    "Which sources": "哪些来源",
    "The first rule that applies gives a fact its status:": "按顺序第一条适用的规则决定事实的状态：",
    "Rule": "规则",
    "Status": "状态",
    "When it applies": "适用条件",
    "How the wording of a quotation was seen:": "引文措辞的查看方式：",
    "Wording": "措辞",
    "Meaning": "含义",
    # The foot of a page, the changelog, the register's entries
    "The figures on this page were last checked against their sources on {date}.": (
        "本页数据最近一次与来源核对于{date}。"
    ),
    "The figures on this page were last checked against their sources between {oldest} and {newest}.": (
        "本页数据最近一次与来源核对的时间在{oldest}至{newest}之间。"
    ),
    "Cite this page": "引用本页",
    "Figures last checked {date}.": "数据最近核对于{date}。",
    "As a biblatex entry:": "biblatex 条目：",
    "every fact in the ledger at the time": "当时账本中的全部事实",
    " (removed)": "（已删除）",
    "Why: ": "原因：",
    "Facts: ": "涉及事实：",
    "Last checked against its sources on {date}.": "最近一次与来源核对于{date}。",
    "Edit this fact": "编辑此事实",
    "added": "新增",
    "updated": "更新",
    "corrected": "更正",
    "checked": "核查",
    "removed": "删除",
}


class NoWords(LookupError):
    """A phrase without its Chinese (tests/test_words.py finds these before a build does)."""


def say(lang: str, phrase: str, /, **values: object) -> str:
    """`phrase` (English, with `{placeholders}`) in `lang`, the placeholders filled in."""
    if lang != "en":
        if phrase not in ZH:
            raise NoWords(f"no Chinese for the phrase '{phrase}' (macros/core/words.py)")
        phrase = ZH[phrase]
    return phrase.format(**values) if values else phrase


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
