"""The sources as BibTeX and CSL-JSON among the downloads: a fixture site built for real, and the
files it writes next to facts.json, read back the way a reference manager would."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from macros.finish.downloads import sources_bibtex, sources_csl_document
from macros.ledger.validate import load_store
from tests.sites import FACTS, SOURCES, basic_files, build, make_site

# A source whose text holds every character LaTeX treats specially, with an author and an archive.
AWKWARD = """\
  - id: lab-report
    title: "R&D costs: 100% of $5_000 {draft} #1 ~ ^ \\\\ end"
    title_en: "R&D costs: 100% of $5_000 {draft} #1 ~ ^ \\\\ end"
    publisher: 数据实验室
    publisher_en: Data Lab
    author: Jane Doe & John Roe
    published: 2025-10
    accessed: 2026-11-20
    url: https://example.org/report?a=1&b={x}
    archive_url: https://web.archive.org/web/2025/https://example.org/report
    language: en
    kind: analysis
    tier: secondary
"""

CITING = FACTS + (
    "  - id: industry.costs\n    label: Costs\n    topic: industry\n    type: text\n"
    "    claims:\n      - value: Costs rose\n        source: lab-report\n"
)


def _files() -> dict[str, str]:
    return basic_files(**{"data/sources.yaml": SOURCES + AWKWARD, "data/facts.yaml": CITING})


def test_bibtex_download_has_one_escaped_entry_per_source(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, _files()))
    assert result.returncode == 0, result.output
    bib = (result.site / "data" / "sources.bib").read_text(encoding="utf-8")
    assert re.findall(r"^@(\w+)\{([^,]+),$", bib, re.M) == [
        ("misc", "doc-a"),
        ("misc", "doc-b"),
        ("online", "lab-report"),
        ("online", "openai-launch"),
    ]
    assert (
        "@online{lab-report,\n"
        "  author = {{Jane Doe \\& John Roe}},\n"
        "  title = {{R\\&D costs: 100\\% of \\$5\\_000 \\textbraceleft{}draft\\textbraceright{} \\#1 \\~{} \\^{} "
        "\\textbackslash{} end}},\n"
        "  organization = {Data Lab (数据实验室)},\n"
        "  date = {2025-10},\n"
        "  url = {https://example.org/report?a=1&b=%7Bx%7D},\n"
        "  urldate = {2026-11-20},\n"
        "  addendum = {Archived copy: \\url{https://web.archive.org/web/2025/https://example.org/report}},\n"
        "}\n"
    ) in bib
    assert "@misc{doc-a,\n  title = {{文档甲}},\n  titleaddon = {[Document A]},\n" in bib
    # Escaped braces aside, every entry's braces balance, so one bad title cannot swallow the next.
    for entry in bib.split("\n@")[1:]:
        plain = re.sub(r"\\[{}]", "", entry)
        assert plain.count("{") == plain.count("}"), entry


def test_csl_json_download_reads_as_reference_items(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, _files()))
    assert result.returncode == 0, result.output
    items = json.loads((result.site / "data" / "sources.csl.json").read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in items}
    assert [item["id"] for item in items] == ["doc-a", "doc-b", "lab-report", "openai-launch"]
    assert by_id["openai-launch"] == {
        "id": "openai-launch",
        "type": "webpage",
        "title": "Sora 2 is here",
        "container-title": "OpenAI",
        "issued": {"date-parts": [[2025, 9, 30]]},
        "URL": "https://openai.com/index/sora-2/",
        "accessed": {"date-parts": [[2026, 11, 21]]},
        "language": "en",
    }
    assert by_id["doc-a"] == {
        "id": "doc-a",
        "type": "article-newspaper",
        "title": "文档甲",
        "container-title": "Dingjiao One (定焦One)",
        "language": "zh-Hans",
        "note": "English title: Document A",
    }
    report = by_id["lab-report"]
    assert report["type"] == "report"
    assert report["publisher"] == "Data Lab (数据实验室)"
    assert report["author"] == [{"literal": "Jane Doe & John Roe"}]
    assert report["issued"] == {"date-parts": [[2025, 10]]}
    assert report["note"] == "Archived copy: https://web.archive.org/web/2025/https://example.org/report"


def test_citation_files_do_not_depend_on_the_order_of_the_data(tmp_path: Path) -> None:
    names, sources = (SOURCES + AWKWARD).split("sources:\n")
    records = re.split(r"(?m)^(?=  - id: )", sources)[1:]
    head = names + "sources:\n"
    outputs = []
    for name, order in (("forward", records), ("backward", records[::-1])):
        data = tmp_path / name / "data"
        data.mkdir(parents=True)
        (data / "sources.yaml").write_text(head + "".join(order), encoding="utf-8")
        (data / "facts.yaml").write_text(CITING, encoding="utf-8")
        store, problems = load_store(data)
        assert problems == []
        outputs.append((sources_bibtex(store), sources_csl_document(store)))
    assert outputs[0] == outputs[1]


def test_a_carriage_return_in_data_text_never_ends_a_csv_row() -> None:
    from macros.finish.downloads import facts_csv
    from macros.ledger.model import Claim, Fact, Source, Store

    claim = Claim(value=20, source="s", line=1, index=1, rank="preferred", rank_reason="first\rsecond\r\nthird")
    fact = Fact("tech.x", "Label", "technology", "number", "seconds", (claim,), "f.yaml", 1)
    store = Store(facts={"tech.x": fact})
    store.sources["s"] = Source("s", "T", "T", "P", "2025-10-01", "en", "news", "secondary", "s.yaml", 1)
    rows = list(csv.reader(io.StringIO(facts_csv(store))))
    assert len(rows) == 2
    assert rows[1][rows[0].index("rank_reason")] == "first\nsecond\nthird"


@pytest.mark.parametrize("batch", [1, 3, 1 << 16])
def test_a_json_download_written_in_batches_is_what_json_dumps_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    from macros.finish import downloads

    monkeypatch.setattr(downloads, "_JSON_BATCH", batch)
    documents: list[object] = [
        {},
        [],
        {"facts": []},
        {
            "facts": [
                {"id": "tech.x", "label": '深度调查 "quoted"\n', "value": 1.5, "min": -0.0, "claims": [{}]},
                {"id": "tech.y", "unit": None, "event": True, "qualifiers": {"k": [1, 2, {"z": "\u2028"}]}},
            ]
        },
    ]
    for document in documents:
        path = tmp_path / "out.json"
        downloads.write_json(path, document)
        assert path.read_text(encoding="utf-8") == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
