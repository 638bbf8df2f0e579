"""The reader-text checker finds what it must and nothing else: hand-written pages."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.reader_text import problems, svg_text, visible_html_text, visible_markdown_text  # noqa: E402


def test_english_codes_and_timestamps_outside_details_are_found():
    html = (
        "<html><head><title>the head</title></head><body><p>CBS table 83843NED: could not reach it</p>"
        "<p>opgehaald 2026-12-02T06:26:43Z, maat M001505_2, filters: Geslacht=T001038, 2021JJ00</p>"
        "<details><summary>Technische details</summary>the source could not be reached 2026-12-02</details>"
        "<img alt='the chart'></body></html>"
    )
    found = problems(visible_html_text(html))
    words = sorted(f.split(":")[0] for f in found)
    # by hand: 'table', 'could', 'not', 'reach' in the first paragraph, 'the' in the alt text (the <head>
    # and the <details> do not count); the timestamp, the measure, the filter and the period code
    assert words == sorted([
        "woord 'table'", "woord 'could'", "woord 'not'", "woord 'reach'", "woord 'the'",
        "ISO-datum '2026-12-02T06", "maatcode 'M001505_2'", "maatcode 'T001038'",
        "filter 'Geslacht=T001038'", "periodecode '2021JJ00'",
    ])  # fmt: skip


def test_plain_dutch_an_index_base_and_a_table_number_pass():
    text = visible_html_text(
        "<p>CBS-tabel 85773NED, prijsindex 2020=100, bijgewerkt door CBS op 22 juni 2026. "
        "Het cijfer is in 2021 gestegen; of het klopt, staat in de status.</p><code>make refresh</code>"
    )
    assert problems(text) == []


def test_the_markdown_quarto_renders_drops_technical_callouts_code_and_link_targets():
    md = (
        "---\ntitle: x\n---\n\nZie [de bron](https://example.org/the-table) en `make run`.\n\n"
        '::: {.callout-note .technical collapse="true" title="Technische details"}\n'
        "- Momentopname: 20261202T142810Z, the snapshot\n:::\n\nDe claim klopt.\n"
    )
    text = visible_markdown_text(md)
    assert "example" not in text and "make run" not in text and "20261202" not in text
    assert [f.split(":")[0] for f in problems(text)] == ["woord 'claim'"]


def test_chart_text_is_read_from_its_svg_text_elements():
    svg = '<svg><text x="1">dossier: “bijna verdubbeld”</text><g><text>the newest</text></g></svg>'
    assert svg_text(svg).split() == ["dossier:", "“bijna", "verdubbeld”", "the", "newest"]
