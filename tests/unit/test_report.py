"""Report fragments and rendering through pandoc (the fallback where Quarto is not installed)."""

from __future__ import annotations

import re

import pytest

from dossiercheck.errors import DossiercheckError
from dossiercheck.report import expand_includes, md_escape, render_report


def test_source_text_cannot_inject_markup(tmp_path):
    hostile = (
        'Tabel <script>alert("x")</script> [klik](javascript:alert(1)) **vet** {{< include /etc/passwd >}}'
    )
    (tmp_path / "doc.qmd").write_text(f"---\ntitle: t\n---\n\nTitel: {md_escape(hostile)}\n")
    render_report(tmp_path / "doc.qmd", tmp_path / "out" / "doc.html", renderer="pandoc")
    html = (tmp_path / "out" / "doc.html").read_text()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html  # shown as text
    assert 'href="javascript' not in html and "<strong>vet" not in html


def test_includes_are_expanded_relative_to_the_including_file(tmp_path):
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "a.md").write_text("A {{< include b.md >}}")
    (tmp_path / "gen" / "b.md").write_text("B")
    assert expand_includes("x {{< include gen/a.md >}} y", tmp_path) == "x A B y"
    with pytest.raises(DossiercheckError, match="does not exist. Run the pipeline"):
        expand_includes("{{< include missing.md >}}", tmp_path)


def test_a_page_of_the_site_with_its_navigation_and_shared_assets(tmp_path):
    """pandoc renders a page into the site folder: the navigation from _quarto.yml (the current page
    marked), a link to the shared stylesheet (not a copy in the page), callouts, .qmd links as .html, and
    every local file the page refers to copied beside it under the same path."""
    reports = tmp_path / "reports"
    (reports / "style").mkdir(parents=True)
    (reports / "style" / "report.css").write_text(".status { color: red; }")
    (reports / "fig").mkdir()
    (reports / "fig" / "a.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    (reports / "_quarto.yml").write_text(
        "project: {type: website, output-dir: _site}\nlang: nl\n"
        "website:\n  title: De site\n  navbar:\n    left:\n"
        "      - {text: Overzicht, href: index.qmd}\n      - {text: Wonen, href: 04_wonen.qmd}\n"
        "format:\n  html:\n    css: style/report.css\n    toc: true\n"
    )
    (reports / "04_wonen.qmd").write_text(
        '---\ntitle: "Thema"\n---\n\n## Kop\n\n::: {.callout-important title="Status: achterhaald"}\n'
        "[achterhaald]{.status .status-outdated} tekst\n:::\n\n"
        '![Een grafiek](fig/a.svg){fig-alt="Een grafiek"}\n\nNaar [het overzicht](index.qmd#veranderd).\n'
    )
    site = reports / "_site"
    used = render_report(reports / "04_wonen.qmd", site / "04_wonen.html", renderer="pandoc")
    html = (site / "04_wonen.html").read_text()
    assert used == "pandoc"
    assert 'class="callout callout-important"' in html and "Status: achterhaald" in html
    assert (
        '<a href="index.html">Overzicht</a>' in html
        and '<a href="04_wonen.html" aria-current="page">Wonen</a>' in html
    )
    assert (
        '<link rel="stylesheet" href="style/report.css" />' in html and ".status { color: red; }" not in html
    )
    assert '<img src="fig/a.svg"' in html and 'href="index.html#veranderd"' in html
    assert (site / "style" / "report.css").read_text() == ".status { color: red; }"  # copied, same bytes
    assert (site / "fig" / "a.svg").is_file()
    assert 'data-renderer="pandoc ' in html  # the footer names the renderer, for whoever checks
    assert not list((reports / "_build").iterdir())  # the build directory is cleaned up


def hand_made_result():
    """A claim result as recompute_claims writes it, made by hand: a series that dips to 1.0 in June 2013,
    reaches 1.95 in October 2023 (the dossier's month) and 2.36 in May 2026 (the newest)."""
    series = [
        ("2012MM06", "2012-06-01", 1.10, "Definitief"),
        ("2013MM06", "2013-06-01", 1.00, "Definitief"),
        ("2023MM10", "2023-10-01", 1.95, "Definitief"),
        ("2026MM05", "2026-05-01", 2.36, "Voorlopig"),
    ]
    return {
        "id": "t_demo",
        "title": "Prijzen <b>koopwoningen</b>",
        "unit": "keer het dieptepunt van 2013",
        "wording": "bijna verdubbeld",
        "qualifier": "bijna",
        "dossier_value": 2.0,
        "provenance": {
            "publisher": "CBS",
            "measure_title": "Prijsindex verkoopprijzen",
            "table_id": "85773NED",
            "metric": {"kind": "multiple_of_trough"},
        },
        "reference": {"period": "2013MM06", "label": "juni 2013"},
        "dossier": {"period": "2023MM10", "label": "oktober 2023", "value": 1.95},
        "newest": {"period": "2026MM05", "label": "mei 2026", "value": 2.36},
        "series": [{"period": p, "start": s, "value": v, "status": st} for p, s, v, st in series],
    }


def value_axis(svg: str) -> list[tuple[float, float]]:
    """(pixel height, value its label writes) of every tick on a chart's value axis, read from the SVG."""
    import re

    ticks = []
    for group in re.findall(r'<g id="ytick_\d+">(.*?)</text>', svg, re.S):
        y = float(re.search(r'<use [^>]*y="([\d.]+)"', group).group(1))
        label = group.rsplit(">", 1)[-1].replace(".", "").replace(",", ".").replace("\u2212", "-")
        ticks.append((y, float(label)))
    return ticks


def test_every_label_on_the_value_axis_names_its_own_tick():
    """CBS's house prices from 1995 run from 0,45 to 2,36 times the trough: Matplotlib's own choice of ticks
    there is 0,25 apart, and with one decimal 2,25 read "2,2" and 1,75 "1,8", so the axis put 2,36 just
    above "2,2". Labels are right when the value per pixel is the same between every two neighbouring
    ticks."""
    from dossiercheck.figures import claim_chart

    result = hand_made_result()
    result["series"].insert(
        0, {"period": "1995MM01", "start": "1995-01-01", "value": 0.45, "status": "Definitief"}
    )
    ticks = value_axis(claim_chart(result)[0].decode())
    assert len(ticks) >= 4
    slopes = {round((v2 - v1) / (y2 - y1), 6) for (y1, v1), (y2, v2) in zip(ticks, ticks[1:], strict=False)}
    assert len(slopes) == 1, ticks


def test_chart_marks_trough_dossier_and_newest():
    from dossiercheck.figures import claim_chart

    svg, alt = claim_chart(hand_made_result())
    text = svg.decode()
    assert "dieptepunt (juni 2013)" in text
    # the source's figures, named as the source's (figures.py: publisher and role, then period and value)
    assert ">CBS, periode van het dossier</text>" in text and ">(oktober 2023): 1,95</text>" in text
    assert ">CBS, nieuwste</text>" in text
    assert "dossier: bijna verdubbeld" in text  # the dossier's own words, with its line in the legend
    assert "Prijsindex verkoopprijzen" not in text  # the line is the claim's, not one measure's
    assert ">(mei 2026, voorlopig): 2,36</text>" in text  # the provisional newest month says so
    assert "&lt;b&gt;" in text  # a title is text in the SVG, not markup
    assert "oktober 2023" in alt and "1,95" in alt and "2,36" in alt and "Dieptepunt: juni 2013" in alt
    assert "CBS, periode van het dossier (oktober 2023): 1,95 keer het dieptepunt van 2013." in alt
    # a change since a period marks that period as what it is compared with, not as a trough
    change = hand_made_result()
    change["provenance"] = {**change["provenance"], "metric": {"kind": "change"}}
    text = claim_chart(change)[0].decode()
    assert "vergeleken met (juni 2013)" in text and "dieptepunt (juni 2013)" not in text
    assert claim_chart(hand_made_result())[0] == svg  # same data, same bytes


def test_every_status_has_its_colour_in_the_stylesheet():
    """A status label is shown as a coloured badge: the stylesheet must colour every status, with the
    colour status.py gives it (a badge without a rule is white text on white)."""

    from conftest import ROOT

    from dossiercheck.status import STATUSES

    css = (ROOT / "reports" / "style" / "report.css").read_text()
    for code, status in STATUSES.items():
        rule = re.search(r"\.status-" + code + r"\b[^{]*\{\s*background:\s*(#[0-9a-f]{6})", css)
        assert rule, f"no .status-{code} rule in reports/style/report.css"
        assert rule.group(1) == status.colour, code


def _result(cid: str, status: str, **extra) -> dict:
    """A minimal claim result as recompute_claims writes it, for the report's layout (no series: no chart)."""
    return {
        "id": cid,
        "title": cid.replace("_", " "),
        "quote": "Een zin.",
        "wording": None,
        "dossier_value": None,
        "unit": "%",
        "status": status,
        "provenance": {"table_id": "X", "source": "x"},
        "dossier": {},
        "newest": None,
        **extra,
    }


def test_cross_checks_sit_under_their_claim_and_are_not_counted(tmp_path):
    import json

    from dossiercheck.report import write_overview, write_report_fragments

    claims = [
        _result("main", "outdated"),
        _result("other", "not_recomputable", reason="Een rapport.", reason_kind="report"),
        _result("check", "source_discontinued", cross_check_of="main", reason="Stopgezet."),
        _result("unverified", "holds", codes_verified=False),
        _result(
            "vaker", "holds", wording="vaker eenzaam", qualifier="meer_dan", compare_to=1, unit="keer zo vaak"
        ),
    ]
    path = tmp_path / "04_wonen.json"
    path.write_text(json.dumps({"theme": "04_wonen", "title": "Wonen", "claims": claims}))
    write_report_fragments(path, tmp_path / "claims.md", tmp_path / "fig", "fig")
    md = (tmp_path / "claims.md").read_text()
    # the registry's order, but the check right under the claim it checks, one heading level down
    order = [md.index(f"{{#{c}}}") for c in ("main", "check", "other", "unverified")]
    assert order == sorted(order)
    assert "#### Ter controle: check {#check}" in md and "### main {#main}" in md
    assert "Toelichting (uit een rapport of studie): Een rapport" in md
    assert md.count("nog niet bij de bron gecontroleerd") == 1  # only the unverified claim
    # a comparison without a number: its words and what they mean in numbers
    assert "| “vaker eenzaam” (dat is meer dan 1 keer zo vaak) |" in md.replace("\\", "")
    write_overview([path], tmp_path / "overview.md")
    overview = (tmp_path / "overview.md").read_text()
    # three findings in the counts (the check is not one), the check named as such, reasons by kind
    assert "| 4 |" in overview and "#check" not in overview
    assert "Daarnaast 1 controle op een andere tabel" in overview
    assert "| Uit een rapport of studie | 1 |" in overview
    # one unchecked figure, one verdict among them: the sentence names that verdict alone, in the singular
    assert (
        "1 cijfer is niet nagerekend: het oordeel [niet na te rekenen]{.status .status-not_recomputable} in"
        in overview
    )
    # no baseline yet (every figure of the diff 'added'): the command to accept one names this dossier, so
    # another dossier's figures stay as they are (without --dossier the command accepts every dossier)
    diff = tmp_path / "baseline.json"
    diff.write_text(json.dumps({"figures": [{"claim_id": "main", "figure": "dossier", "class": "added"}]}))
    write_overview([path], tmp_path / "overview.md", diff)
    assert "`dossiercheck baseline accept` (zie" in (tmp_path / "overview.md").read_text()
    write_overview([path], tmp_path / "overview.md", diff, slug="cbs-inflatie-2024")
    assert (
        "`dossiercheck baseline accept --dossier cbs-inflatie-2024` (zie"
        in (tmp_path / "overview.md").read_text()
    )
    from dossiercheck.report import write_changes_page

    write_changes_page([path], None, tmp_path / "changes.md", "cbs-inflatie-2024")
    assert (
        "`dossiercheck baseline accept --dossier cbs-inflatie-2024`" in (tmp_path / "changes.md").read_text()
    )


def test_the_renderer_is_chosen_or_the_error_says_how_to_get_quarto(monkeypatch):
    import shutil

    from dossiercheck.report import choose_renderer

    monkeypatch.setattr(shutil, "which", lambda name: None)  # a machine without Quarto
    assert choose_renderer("auto") == "pandoc" and choose_renderer("pandoc") == "pandoc"
    with pytest.raises(DossiercheckError, match="renderer is 'quarto' but Quarto is not installed") as err:
        choose_renderer("quarto")
    assert "environment.yml" in str(err.value) and "renderer: auto" in str(err.value)
    with pytest.raises(
        DossiercheckError, match="renderer 'qarto' is unknown; set renderer to auto, quarto or pandoc"
    ):
        choose_renderer("qarto")
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/local/bin/quarto" if name == "quarto" else None)
    assert choose_renderer("auto") == "quarto"


def test_the_overview_keeps_a_year_named_in_the_sentence_apart_from_the_newest(tmp_path):
    import json

    from dossiercheck.report import write_overview

    claim = _result(
        "t6_eenzaam_2012",
        "differs_from_source",
        wording="39 procent",
        dossier_value=39,
        unit="% van de volwassenen",
        dossier={"period": "2012JJ00", "label": "2012", "value": 39.6},
        newest={"period": "2020JJ00", "label": "2020", "value": 47.0},
        newest_not_judged="De zin gaat over 2012.",
    )
    path = tmp_path / "06_sociale_relaties.json"
    path.write_text(
        json.dumps({"theme": "06_sociale_relaties", "title": "Sociale relaties", "claims": [claim]})
    )
    write_overview([path], tmp_path / "overview.md")
    text = (tmp_path / "overview.md").read_text().replace("\\", "")
    # the source's figure named as the source's (_result names no publisher: "de bron"), for the year named
    assert "(de bron voor 2012: 39,6% van de volwassenen)" in text and "aangenomen" not in text
    assert (
        # the newest figure in the source we hold, not "the newest measurement" (the dossier cites a later one)
        "ter informatie: het nieuwste cijfer in de bron die hier is nagerekend is 47,0% van de volwassenen "
        "(2020), maar de zin gaat over 2012" in text
    )
    assert "; nu 47,0%" not in text


def test_a_figure_under_another_definition_gets_no_dossier_line():
    """Shown beside the dossier's number, never measured against it: no dashed line, no 'dossier:' label."""
    from dossiercheck.figures import claim_chart

    svg, alt = claim_chart(dict(hand_made_result(), status="other_definition"))
    assert "dossier: bijna verdubbeld" not in svg.decode() and "dossier-line" not in svg.decode()
    assert "streepjeslijn" not in alt
    svg, alt = claim_chart(dict(hand_made_result(), status="outdated"))
    assert "dossier: bijna verdubbeld" in svg.decode() and 'id="dossier-line"' in svg.decode()
    assert "De oranje streepjeslijn is het getal van het dossier (bijna verdubbeld" in alt


def test_the_source_line_names_every_measure_a_figure_reads():
    """A ratio of one measure under two filters: both, each with what sets it apart, not the first title."""
    from dossiercheck.report.common import _measures_line

    line = _measures_line(
        {
            "measure": "Eenzaam_28/Eenzaam_28",
            "measure_title": "Eenzaam",
            "measure_unit": "%",
            "filters": {"WijkenEnBuurten": "NL01"},
            "measures": {
                "numerator": {
                    "measure": "Eenzaam_28",
                    "filters": {"WijkenEnBuurten": "NL01", "Leeftijd": "80200"},
                    "title": "Eenzaam",
                },
                "denominator": {
                    "measure": "Eenzaam_28",
                    "filters": {"WijkenEnBuurten": "NL01", "Leeftijd": "53115"},
                    "title": "Eenzaam",
                },
            },
        }
    ).replace("\\", "")
    assert (
        line
        == "Maten teller: `Eenzaam_28` Eenzaam (Leeftijd=80200); noemer: `Eenzaam_28` Eenzaam (Leeftijd=53115) (%)"
    )


def test_the_downloaded_columns_are_explained_in_dutch(tmp_path):
    """kolommen.csv: one row per column of the claims CSV (the pandera schema's order), each with a Dutch
    meaning; the status codes spelled out as the pages name them (status.py: holds is 'klopt')."""
    import csv

    from dossiercheck.report import write_downloads
    from dossiercheck.schemas.claims import ClaimResult

    claims_csv = tmp_path / "04_wonen.csv"
    claims_csv.write_text("claim_id\nx\n")
    write_downloads("04_wonen", claims_csv, tmp_path / "dl", "dl")
    rows = list(csv.reader((tmp_path / "dl" / "kolommen.csv").open(encoding="utf-8")))
    assert rows[0] == ["kolom", "betekenis"]
    assert [r[0] for r in rows[1:]] == list(ClaimResult.to_schema().columns)
    meaning = dict(rows[1:])
    assert "holds = klopt" in meaning["status"] and "contradicts = past niet" in meaning["newest_judgement"]
    assert all(m and "see" not in m.split() and "slug" not in m for m in meaning.values())


def test_the_theme_summary_puts_corrections_first_and_says_an_assumed_period():
    from dossiercheck.report import theme_summary

    held = _result("vast", "holds", unit="euro",
                   dossier={"period": "2021JJ00", "label": "2021", "value": 12.0, "basis": "quote"})  # fmt: skip
    moved = _result(
        "prijs", "outdated", unit="keer", suggested_wording="Meer dan verdubbeld.",
        dossier={"period": "2023MM08", "label": "augustus 2023", "value": 1.93, "basis": "assumed"},
        newest={"period": "2026MM05", "label": "mei 2026", "value": 2.36},
    )  # fmt: skip
    md = theme_summary({"theme": "04_wonen", "claims": [held, moved]})
    rows = [line for line in md.splitlines() if line.startswith("| [")]
    # outdated before holds, whatever the registry's order; by hand from the two results above (a figure's
    # comma escaped for Markdown, as every text from the results is)
    assert rows[0] == (
        "| [prijs](#prijs) | – | 1\\,93 keer (augustus 2023, aangenomen) | 2\\,36 keer (mei 2026) | "
        "[achterhaald]{.status .status-outdated} | Meer dan verdubbeld\\. |"
    )
    assert rows[1] == (
        "| [vast](#vast) | – | 12\\,0 euro (2021) | geen nieuwer cijfer | [klopt]{.status .status-holds} | – |"
    )
    assert "Dit thema telt 2 cijfers uit het dossier: 1 [achterhaald]" in md


def test_a_sentence_that_names_its_year_is_shown_now_for_that_year():
    """ "In 2023 was de inflatie 3,8 procent": now is 2023 as the source gives it now, not the newest year
    (which the summary gives for reference only, as the detail below it says)."""
    from dossiercheck.report import theme_summary

    named = _result(
        "inflatie", "holds", unit="%", newest_not_judged="De zin gaat over 2023.",
        dossier={"period": "2023JJ00", "label": "2023", "value": 3.8, "basis": "quote"},
        newest={"period": "2025JJ00", "label": "2025", "value": 3.2},
    )  # fmt: skip
    row = next(
        line
        for line in theme_summary({"theme": "01_x", "claims": [named]}).splitlines()
        if "#inflatie" in line
    )
    # by hand: 3,8% and 3,2% (a percentage to one decimal), comma and % escaped for Markdown; 2023 in both
    # columns, 2025 for reference only
    assert "| 3\\,8\\% (2023) | 3\\,8\\% (2023); ter informatie 2025: 3\\,2\\% |" in row
    # nothing on the page asks for a change, and the count line says so rather than point to the top
    md = theme_summary({"theme": "01_x", "claims": [named]})
    assert "Geen enkel cijfer vraagt om een aanpassing." in md and "staat bovenaan" not in md
