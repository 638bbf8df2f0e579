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


def test_pandoc_render_is_self_contained_with_callouts(tmp_path):
    (tmp_path / "style").mkdir()
    (tmp_path / "style" / "report.css").write_text(".status { color: red; }")
    (tmp_path / "fig.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    (tmp_path / "doc.qmd").write_text(
        '---\ntitle: "Thema"\nlang: nl\nformat:\n  html:\n    css: style/report.css\n---\n\n::: {.callout-important title="Status: achterhaald"}\n'
        "[achterhaald]{.status .status-outdated} tekst\n:::\n\n"
        '![Een grafiek](fig.svg){fig-alt="Een grafiek"}\n'
    )
    used = render_report(tmp_path / "doc.qmd", tmp_path / "out.html", renderer="pandoc")
    html = (tmp_path / "out.html").read_text()
    assert used == "pandoc"
    assert 'class="callout callout-important"' in html and "Status: achterhaald" in html
    assert re.search(r'<img[^>]+src="data:image/svg\+xml', html)  # the figure is embedded
    assert ".status { color: red; }" in html  # the stylesheet is embedded
    assert "weergegeven met pandoc" in html  # the footer names the renderer
    assert not list((tmp_path / "_build").iterdir())  # the build directory is cleaned up
