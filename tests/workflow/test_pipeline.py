"""End to end: the Snakemake workflow through its command line, against a local server that serves the
real recorded 85773NED responses at the URL shape of the CBS OData v4 API.

Expected figures are derived here from the raw Observations rows, not copied from the program's output.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, shared_path, skip_or_fail
from helpers.cli import run_cli
from helpers.shared_site import M
from helpers.workflow import ran_jobs, rendered, snakemake, workflow_copy

pytestmark = pytest.mark.workflow
THEME = "04_wonen"
CLAIM = "t4_koopwoningen_bijna_verdubbeld"


@pytest.fixture(scope="module")
def served(odata4_dir_module):
    from helpers.shared_site import shared_site

    server = shared_site()
    server.start()
    yield server
    server.stop()


def local(server, **extra) -> list[str]:
    from helpers.shared_site import config_args

    return config_args(server, **extra)


@pytest.fixture(scope="module")
def odata4_dir_module():
    from conftest import shared_path

    return shared_path("cbs", "odata4")


@pytest.fixture(scope="module")
def run(tmp_path_factory, served):
    """One full run in a fresh copy of the workflow; shared by the tests that inspect its outputs."""
    wf = workflow_copy(tmp_path_factory.mktemp("wf"))
    proc = snakemake(wf, *local(served))
    assert proc.returncode == 0, proc.stderr[-4000:]
    return wf


@pytest.fixture
def own_run(run, tmp_path):
    """A copy of the module's run (data, snapshots, Snakemake's records, with their times) for a test that
    changes it: the others keep seeing the run as it was made, whatever order the tests run in."""
    copy = tmp_path / "wf"
    shutil.copytree(run, copy, symlinks=True)
    return copy


def expected_figures(odata4_dir: Path, wf: Path) -> dict:
    """The claim's numbers worked out from the raw rows: the lowest monthly price index of 2013, the
    index in the dossier's month and in the newest month with a value. The dossier's month is the newest
    whose figure CBS had published by the dossier's date (its dossier.yaml): the month's last day plus the
    publication lag sources.yaml gives 85773NED."""
    raw = json.loads((odata4_dir / "85773NED" / "Observations.json").read_bytes())["value"]
    index = {r["Perioden"]: r["Value"] for r in raw if r["Measure"] == "M001505_2" and r["Value"] is not None}
    months = {p: v for p, v in index.items() if re.fullmatch(r"\d{4}MM\d\d", p)}
    trough_period = min((p for p in months if p.startswith("2013")), key=lambda p: (months[p], p))
    slug = M  # the dossier whose claim this is
    d = date.fromisoformat(yaml.safe_load((wf / "dossiers" / slug / "dossier.yaml").read_text())["date"])
    lag = yaml.safe_load((wf / "config" / "sources.yaml").read_text())["85773NED"]["publication_lag_days"]

    def published(p: str) -> date:  # the month's last day plus the lag
        y, m = int(p[:4]), int(p[6:8])
        first_of_next = date(y + m // 12, m % 12 + 1, 1)
        return first_of_next - timedelta(days=1) + timedelta(days=lag)

    dossier_period = max(p for p in months if published(p) <= d)
    newest = max(months)
    trough = months[trough_period]
    return {
        "trough_period": trough_period,
        "dossier_period": dossier_period,
        "newest_period": newest,
        "dossier_value": months[dossier_period] / trough,
        "newest_value": months[newest] / trough,
    }


def band(v: float) -> str:
    """'bijna verdubbeld' by hand: "verdubbeld" is 2 read to one decimal, "bijna" one step below it:
    1.9 <= v < 2.0."""
    return "holds" if 1.9 <= v < 2.0 else "contradicts"


def test_claim_result_matches_the_raw_rows(run, odata4_dir_module):
    exp = expected_figures(odata4_dir_module, run)
    # Sanity of the hand derivation against the raw file as published: June 2013 is the trough.
    assert exp["trough_period"] == "2013MM06"
    text = (run / "data" / "processed" / M / "claims" / f"{THEME}.csv").read_text(encoding="utf-8")
    rows = {r["claim_id"]: r for r in csv.DictReader(text.splitlines())}
    row = rows[CLAIM]
    assert row["table_id"] == "85773NED" and row["measure"] == "M001505_2"
    assert row["dossier_period"] == exp["dossier_period"]
    assert row["newest_period"] == exp["newest_period"]
    assert float(row["dossier_period_value"]) == pytest.approx(exp["dossier_value"], abs=1e-6)
    assert float(row["newest_value"]) == pytest.approx(exp["newest_value"], abs=1e-6)
    assert row["dossier_period_judgement"] == band(exp["dossier_value"])
    assert row["newest_judgement"] == band(exp["newest_value"])
    expected_status = {
        ("holds", "contradicts"): "outdated",
        ("holds", "holds"): "newer_data_confirms",
        ("contradicts", "contradicts"): "differs_from_source",
        ("contradicts", "holds"): "differs_from_source",
    }[(band(exp["dossier_value"]), band(exp["newest_value"]))]
    assert row["status"] == expected_status
    assert row["provisional"] == "False"


def test_claim_provenance(run, odata4_dir_module):
    exp = expected_figures(odata4_dir_module, run)
    payload = json.loads((run / "data" / "processed" / M / "claims" / f"{THEME}.json").read_text())
    claim = next(c for c in payload["claims"] if c["id"] == CLAIM)
    prov = claim["provenance"]
    assert prov["table_id"] == "85773NED"
    assert prov["measure"] == "M001505_2" and prov["measure_title"] == "Prijsindex verkoopprijzen"
    raw_sha = hashlib.sha256((odata4_dir_module / "85773NED" / "Observations.json").read_bytes()).hexdigest()
    assert prov["raw_files"]["Observations.json"]["sha256"] == raw_sha
    assert [p["period"] for p in claim["dossier"]["periods_used"]] == [
        exp["trough_period"],
        exp["dossier_period"],
    ]
    assert [p["period"] for p in claim["newest"]["periods_used"]] == [
        exp["trough_period"],
        exp["newest_period"],
    ]
    assert {p["status"] for p in claim["dossier"]["periods_used"]} == {"Definitief"}
    pointer = json.loads((run / "data" / "raw" / "85773NED" / "current.json").read_text())
    assert prov["snapshot_id"] == pointer["snapshot_id"]


def test_report_stands_alone_and_shows_the_claim(run, odata4_dir_module):
    exp = expected_figures(odata4_dir_module, run)
    site = run / "reports" / "_site" / M
    html = " ".join((site / f"{THEME}.html").read_text(encoding="utf-8").split())
    assert (
        "De prijzen van koopwoningen zijn sinds het dieptepunt in de huizenprijzen in 2013 bijna verdubbeld"
        in html
    )
    # both values, the Dutch way (two decimals, decimal comma)
    for v in (exp["dossier_value"], exp["newest_value"]):
        assert f"{v:.2f}".replace(".", ",") in html
    assert "achterhaald" in html and "past niet" in html
    assert "Voorstel voor de zin:" in html and "meer dan verdubbeld" in html
    # the site stands alone: the charts, stylesheet, script and downloads it refers to are in reports/_site
    # under the same path; links go to a claim, a page of the site, or a source's own page (https)
    local = re.findall(r'(?:src|href)="(?!https://|#)([^"#]+)', html)
    # a dossier's pages are one folder down: the shared assets are the site's, one level up
    assert any(r.endswith(".svg") for r in local) and "../style/report.css" in local
    assert "<script>" in html and "<script src=" not in html  # the page script inline: it works at any depth
    assert any(r.endswith(f"{THEME}_cijfers.csv") for r in local) and any(r.endswith(".png") for r in local)
    assert all((site / r).is_file() for r in local), [r for r in local if not (site / r).is_file()]
    assert not re.search(r'(?:src|href)="(?:http://|//)', html)  # nothing from elsewhere, nothing unencrypted
    # one stylesheet shared by every page, linked rather than copied into the page
    assert html.count('<link rel="stylesheet" href="../style/report.css"') == 1 and "<style>" not in html
    # the figures of the theme to take away: the claims CSV as recompute_claims wrote it, and its legend
    assert (site / "_generated" / THEME / "downloads" / f"{THEME}_cijfers.csv").read_bytes() == (
        run / "data" / "processed" / M / "claims" / f"{THEME}.csv"
    ).read_bytes()
    legend = (site / "_generated" / THEME / "downloads" / "kolommen.csv").read_text().splitlines()
    header = (
        (run / "data" / "processed" / M / "claims" / f"{THEME}.csv").read_text().splitlines()[0].split(",")
    )
    assert [line.split(",")[0] for line in legend[1:]] == header  # one line per column, in order


def test_second_run_does_nothing_and_says_so(run, served):
    proc = snakemake(run, *local(served))
    assert proc.returncode == 0
    out = proc.stdout + proc.stderr
    assert "Nothing to be done" in out
    assert "localrule" not in out and "rule fetch_source" not in out


def test_rerun_on_the_same_snapshot_gives_identical_files(own_run, served):
    outputs = [
        *(own_run / "data" / "processed").rglob("*.*"),
        *(own_run / "reports" / M / "_generated").rglob("*.*"),
    ]
    before = {p: p.read_bytes() for p in outputs}
    proc = snakemake(own_run, "--forcerun", "tidy_source", *local(served))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rule recompute_claims" in proc.stdout + proc.stderr  # they really ran again
    assert {p: p.read_bytes() for p in outputs} == before


def test_refresh_of_an_unchanged_source_reruns_nothing(own_run, served):
    """`make refresh`: the fetches alone (forced), then the rest of the workflow in a fresh pass."""
    observations = served.count("/Observations")
    raw = own_run / "data" / "raw"
    snapshots = {p.name: sorted(q.name for q in p.iterdir() if q.is_dir()) for p in raw.iterdir()}
    first = snakemake(own_run, "--forcerun", "fetch_source", "--until", "fetch_source", *local(served))
    assert first.returncode == 0, first.stderr[-3000:]
    assert "unchanged upstream since" in first.stderr
    assert served.count("/Observations") == observations  # Modified unchanged: no data downloaded
    # files are asked with their ETag: 304 for each, so their snapshots stay as they are
    # the three single files (83906NED, schulden_ontwikkeling, 83841NED's zip) and the RIVM series
    assert first.stderr.count("(HTTP 304 Not Modified); reusing snapshot") == 4
    assert "every file is unchanged (HTTP 304 Not Modified)" in first.stderr  # the five RIVM workbooks
    assert snapshots == {p.name: sorted(q.name for q in p.iterdir() if q.is_dir()) for p in raw.iterdir()}
    second = snakemake(own_run, *local(served))
    assert "Nothing to be done" in second.stdout + second.stderr


def test_dry_run_and_lint_are_clean(run, served):
    dry = snakemake(run, "-n", *local(served))
    assert dry.returncode == 0, dry.stderr
    lint = snakemake(run, "--lint")
    lints = re.findall(r"^\s+\* (.+)$", lint.stdout + lint.stderr, re.M)
    assert lint.returncode == 0 and lints == [], lints  # every rule names its conda environment


DEAD = {  # port 9 on loopback: nothing listens, every connection is refused at once
    "cbs_odata4_url": "http://127.0.0.1:9/CBS",
    "cbs_odata3_url": "http://127.0.0.1:9",
    "cbs_dataderden_url": "http://127.0.0.1:9",
    "cbs_csv_url": "http://127.0.0.1:9/csv",
    "files_mirror_url": "http://127.0.0.1:9/files",
    "http_retries": "0",
}


def test_offline_reuses_the_last_good_snapshot(own_run, served):
    before = sorted(p.name for p in (own_run / "data" / "raw" / "85773NED").iterdir())
    proc = snakemake(own_run, "--forcerun", "fetch_source", *local(served, **DEAD))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "reusing the last good snapshot" in proc.stderr
    assert sorted(p.name for p in (own_run / "data" / "raw" / "85773NED").iterdir()) == before
    assert json.loads((own_run / "data" / "raw" / "85773NED" / "current.json").read_text())["reused"] is True


def test_offline_without_snapshot_fails_fast_and_says_what_to_do(tmp_path):
    wf = workflow_copy(tmp_path)
    start = time.monotonic()
    # the defaults (unavailable_sources: fail), every host unreachable; one source, so the failure is its own
    proc = snakemake(wf, "data/raw/85773NED/current.json", "--config", *(f"{k}={v}" for k, v in DEAD.items()))
    elapsed = time.monotonic() - start
    assert proc.returncode != 0
    assert elapsed < 60  # snakemake's own start-up included; the fetch itself gives up within seconds
    err = proc.stderr
    assert "CBS table 85773NED" in err
    assert "http://127.0.0.1:9/CBS/85773NED/Properties" in err
    assert "no earlier snapshot" in err and "cbs_odata4_url" in err
    assert "Traceback" not in err  # the analyst sees the message, not a stack
    # the run ends with one summary: each source that failed, why in words, and the one thing to do
    summary = err[err.index("dossiercheck: the run stopped") :]
    assert summary.startswith("dossiercheck: the run stopped; 1 source(s) failed:")
    assert "- 85773NED (ophalen): CBS table 85773NED: could not reach" in summary
    assert "the connection was refused" in summary and "NewConnectionError" not in summary
    assert "What to do: check the network or proxy" in summary and "unavailable_sources=report" in summary
    assert not [line for line in err.splitlines() if "Retrying (" in line]  # urllib3's lines stay in the log


def test_overview_lists_changes_first_and_sources_have_their_page(run):
    site = run / "reports" / "_site" / M
    html = " ".join((site / "index.html").read_text(encoding="utf-8").split())
    changed = html.index("Wat moet er worden aangepast?")
    assert changed < html.index("Dossier versus nu") < html.index("Alle cijfers per thema")
    assert 'href="04_wonen.html#t4_koopwoningen_bijna_verdubbeld"' in html  # links to the claim in its theme
    assert 'href="bronnen.html"' in html
    # a cross-check is not a finding: the 2015=100 series is not in the overview's list of changes
    assert "t4_koopwoningen_bijna_verdubbeld_2015_100" not in html
    # no baseline accepted yet: said in words, not a table of claim ids
    assert "Er is nog geen basislijn vastgesteld" in html and '<table class="diff"' not in html
    sources = " ".join((site / "bronnen.html").read_text(encoding="utf-8").split())
    assert "geslaagd: " in sources and "controles op 4.264 rijen" in sources  # 85773NED's validation record
    assert "niet opgehaald" in sources and "niet bereikbaar" in sources  # 80799ned, which ../shared lacks
    assert "CC BY 4.0" in sources and "Hoe een oordeel tot stand komt" in sources
    snapshot = json.loads((run / "data" / "raw" / "85773NED" / "current.json").read_text())["snapshot_id"]
    # under "Technische details", as it is named on disk, no escape character shown
    assert f"<code>{snapshot}</code>" in sources.split('id="bron-85773ned"')[1].split("</details>")[0]
    assert 'href="04_wonen.html#t4_koopwoningen_bijna_verdubbeld"' in sources  # the figures a source serves


def _chromium():
    """Debian's Chromium, driven by Playwright; skipped with the reason where absent (fails on CI)."""

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if exe and sync_playwright:
        return exe, sync_playwright
    skip_or_fail(
        "the browser test needs Debian's chromium and the playwright package (.ci/run installs both)"
    )


def test_every_page_in_a_real_browser(run):
    """Each rendered page in headless Chromium: no failed loads, no console errors, every image decoded,
    every claim of its theme present; the overview's change list matches the claims files. A screenshot
    of each page goes to reports/_screenshots/ (git-ignored) for a person to look at."""
    from dossiercheck.registry import claim_sources
    from dossiercheck.report import correction_kind

    exe, sync_playwright = _chromium()
    site = run / "reports" / "_site"
    pages = sorted(p for p in site.rglob("*.html") if "_generated" not in p.parts)
    # the landing page, then per dossier folder its overview, a page per theme, its sources and changes
    slugs = sorted(p.parent.name for p in (run / "dossiers").glob("*/dossier.yaml"))
    assert len(slugs) >= 2 and sorted(p.relative_to(site).as_posix() for p in pages) == sorted(
        [
            "index.html",
            *(
                f"{s}/{name}.html"
                for s in slugs
                for name in [
                    *(t.stem for t in (run / "data" / "processed" / s / "claims").glob("*.json")),
                    "bronnen",
                    "index",
                    "wijzigingen",
                ]
            ),
        ]
    )
    shots = ROOT / "reports" / "_screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"]  # fmt: skip
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=flags)
        for path in pages:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            errors, failed = [], []
            page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
            page.goto(path.as_uri(), wait_until="load")
            images = page.eval_on_selector_all("img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
            assert errors == [] and failed == [], (path.name, errors, failed)
            assert all(images), (path.name, images)
            slug = path.parent.name if path.parent != site else None
            shot = f"{slug}-{path.stem}" if slug else "landing"
            if slug is None:  # the landing page: one heading, linked to its overview, per dossier
                hrefs = page.eval_on_selector_all("main h2 a", "els => els.map(e => e.getAttribute('href'))")
                assert sorted(hrefs) == [f"{s}/index.html" for s in slugs]
            elif path.stem == "index":
                # every link in the lists of "Wat moet er worden aangepast?" (its h3 groups), up to the next h2
                links = page.evaluate(
                    """() => { const out = []; let e = document.querySelector('h2#veranderd');
                        for (e = e.nextElementSibling; e && e.tagName !== 'H2'; e = e.nextElementSibling)
                            if (e.tagName === 'UL') e.querySelectorAll(':scope > li > a')
                                .forEach(a => out.push(a.getAttribute('href')));
                        return out; }"""
                )
                expected = set()
                for f in (run / "data" / "processed" / slug / "claims").glob("*.json"):
                    payload = json.loads(f.read_text())
                    expected |= {
                        f"{payload['theme']}.html#{c['id']}"
                        for c in payload["claims"]
                        # a cross-check is shown under its claim, never here; a rounding difference is
                        # listed last, as a small inaccuracy an editor may still correct
                        if correction_kind(c) or (c["status"] == "rounding" and not c.get("cross_check_of"))
                    }
                assert set(links) == expected and len(links) == len(expected)
                assert len(images) == 1  # "dossier versus nu"
            elif path.stem == "bronnen":  # one section per source the dossier's claims read
                sources = {
                    s
                    for f in (run / "dossiers" / slug / "claims").glob("[0-9][0-9]_*.yaml")
                    for c in yaml.safe_load(f.read_text())["claims"]
                    for s, _ in claim_sources(c)
                }
                assert page.locator("h3").count() == len(sources)
            elif path.stem == "wijzigingen":  # no baseline accepted in this run: the page says how one comes
                # the command for the analyst, folded under "Technische details"
                assert "dossiercheck baseline accept" in page.locator("details.technical").text_content()
            else:
                claims = json.loads(
                    (run / "data" / "processed" / slug / "claims" / f"{path.stem}.json").read_text()
                )["claims"]
                assert len(images) == sum(1 for c in claims if c["series"])  # one chart per recomputed claim
                for c in claims:
                    assert page.locator(f"[id='{c['id']}']").count() == 1, (path.name, c["id"])
                    # every figure has an address, and a link that copies it
                    assert page.locator(f"a.copy-link[href='#{c['id']}']").count() == 1, c["id"]
            assert (
                page.locator("nav a[aria-current='page']").count() == 1
            )  # the site's navigation, here marked
            page.screenshot(path=str(shots / f"{shot}.png"), full_page=True)

            # a phone (375 px wide): the page never scrolls sideways (wide tables scroll in their own box)
            page.set_viewport_size({"width": 375, "height": 800})
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, path.name
            page.screenshot(path=str(shots / f"{shot}-375.png"), full_page=True)

            # print on A4 (210 mm less 2 x 15 mm margin: 680 CSS pixels): nothing wider than the paper, so
            # no table or chart is cut; and the PDF itself
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 680, "height": 1000})
            wide = page.evaluate(
                """() => [...document.querySelectorAll('table, figure, img, svg, .callout, pre')]
                    .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > 681)
                    .map(e => e.tagName + ' ' + (e.textContent || e.getAttribute('src') || '').slice(0, 40))"""
            )
            assert wide == [], (path.name, wide)
            assert page.locator(".site-header").is_hidden()  # no navigation on paper
            pdf = page.pdf(
                format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"}
            )
            assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
            (shots / f"{shot}.pdf").write_bytes(pdf)
            page.close()
        browser.close()


# Every word (a run of characters between spaces) of a table cell that the browser draws on more than one
# line: [cell text, word]. Each word is measured with a Range over it in its text node; a word broken across
# lines has a box on a line below another of its boxes. A long address in which site.js put break points
# after its slashes is several text nodes, so several words here.
SPLIT_WORDS_JS = """(root) => {
  const split = [];
  for (const cell of root.querySelectorAll('th, td')) {
    if (!cell.getClientRects().length) continue;  // not drawn: an empty cell of a card
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const boxes = [...range.getClientRects()].filter(r => r.width > 0);
        if (boxes.some(a => boxes.some(b => b.top >= a.bottom - 1)))
          split.push([cell.textContent.replace(/\\s+/g, ' ').trim().slice(0, 100), m[0]]);
      }
    }
  }
  return split;
}"""


def test_tables_and_the_site_title_fit_a_phone_in_a_real_browser(run):
    """On a phone (375 px) and a wide screen (1280 px), no word or number in a table is broken across
    lines; on the phone each row of a table of three or more columns is a card in which every cell shows
    its column's header, the page never scrolls sideways and the site's title is shown whole."""
    exe, sync_playwright = _chromium()
    pages = sorted(p for p in (run / "reports" / "_site").rglob("*.html") if "_generated" not in p.parts)
    flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"]  # fmt: skip
    labelled = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=flags)
        for path in pages:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(path.as_uri(), wait_until="load")
            for width in (1280, 375):
                page.set_viewport_size({"width": width, "height": 800})
                split = page.evaluate(SPLIT_WORDS_JS, page.locator("body").element_handle())
                assert split == [], "\n".join(
                    f"{path.name} at {width} px: in the cell {cell!r} the word {word!r} is broken over two lines"
                    for cell, word in split
                )
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, path.name

            # the cards: every drawn cell but a row's first shows its column's header (an empty header, as
            # the first column of a claim's table has, gives none)
            missing, shown = page.evaluate(
                """() => {
                  const missing = []; let shown = 0;
                  for (const table of document.querySelectorAll('main table')) {
                    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
                    if (!head || head.cells.length < 3) continue;
                    const labels = [...head.cells].map(c => c.textContent.trim());
                    for (const row of table.tBodies[0].rows)
                      for (const cell of [...row.cells].slice(1)) {
                        if (!cell.getClientRects().length || !labels[cell.cellIndex]) continue;
                        const before = getComputedStyle(cell, '::before').content;
                        if (before.includes(labels[cell.cellIndex])) shown++;
                        else missing.push(labels[cell.cellIndex] + ': ' + cell.textContent.trim());
                      }
                    // the header row stays for screen readers, in a box of one pixel
                    if (table.tHead.getBoundingClientRect().height > 1) missing.push('header row shown: ' + head.textContent);
                  }
                  return [missing, shown];
                }"""
            )
            assert missing == [], (path.name, missing)
            labelled += shown

            # the site's title: not cut off (pandoc's .site-title; Quarto's navbar brand) and no word broken
            title = page.evaluate(
                """() => {
                  const el = document.querySelector('.navbar-brand, .site-title');
                  const box = el.getBoundingClientRect();
                  let clipped = box.left < 0 || box.right > innerWidth + 0.5;
                  for (let up = el.parentElement; up; up = up.parentElement) {
                    const style = getComputedStyle(up), outer = up.getBoundingClientRect();
                    if (style.overflowX !== 'visible' && (box.left < outer.left - 0.5 || box.right > outer.right + 0.5))
                      clipped = true;
                  }
                  return {text: el.textContent.trim(), scroll: el.scrollWidth, client: el.clientWidth, clipped};
                }"""
            )
            assert title["scroll"] <= title["client"] and not title["clipped"], (path.name, title)
            assert page.evaluate(SPLIT_WORDS_JS.replace("'th, td'", "'.navbar-brand, .site-title'"),
                                 page.locator("body").element_handle()) == [], path.name  # fmt: skip
            page.close()
        browser.close()
    assert labelled > 100  # the claims' tables of seven themes and the overview's counts


def test_every_internal_link_of_the_site_leads_somewhere(run):
    """Every link of every page to a file of the site (a page, a chart, a download) finds that file, and
    every link to a place in a page (#id) finds that id there: no 404s, no dead anchors."""
    site = (run / "reports" / "_site").resolve()
    pages = [p for p in site.rglob("*.html") if "_generated" not in p.parts]
    ids = {p: set(re.findall(r'\sid="([^"]+)"', p.read_text(encoding="utf-8"))) for p in pages}
    checked = 0
    for page in sorted(pages):
        html = page.read_text(encoding="utf-8")
        for ref in re.findall(r'(?:href|src)="([^"]*)"', html):
            if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", ref):
                continue  # a source's own page (https) is not ours to check
            target, _, anchor = ref.partition("#")
            path = (page.parent / target).resolve() if target else page
            where = page.relative_to(site)
            assert path.is_relative_to(site) and path.is_file(), f"{where}: {ref} leads nowhere"
            if anchor and path.suffix == ".html":
                assert anchor in ids[path], f"{where}: {ref} has no #{anchor} in {path.relative_to(site)}"
            checked += 1
    assert checked > 100  # the navigation alone is 9 links on 9 pages


HOSTILE = [
    "<script>alert('s')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{< include /etc/passwd >}}",
    "[klik hier](javascript:alert(2))",
]


def test_hostile_text_from_a_source_stays_text_in_chart_report_and_browser(cbs_server, tmp_path):
    """A table whose title, measure title, unit and code titles hold markup, a shortcode and a Markdown
    link, fetched, tidied and recomputed like any source, with a claim whose own texts hold the same:
    through a non-empty series into the chart (SVG text, caption, alt) and the report (table, provenance,
    a reason that lists the table's codes), rendered by pandoc and opened in Chromium. Nothing runs, loads
    or links; every string is shown as the text it is."""
    from helpers import v4

    from dossiercheck.claims import recompute_claim
    from dossiercheck.report import render_report, write_report_fragments
    from dossiercheck.sources.tidying import tidy_snapshot

    bad = " ".join(HOSTILE)
    routes = v4.small_table("99999TST")
    for path, key, field in [
        ("/CBS/99999TST/Properties", None, "Title"),
        ("/CBS/99999TST/MeasureCodes", 0, "Title"),
        ("/CBS/99999TST/MeasureCodes", 0, "Unit"),
        ("/CBS/99999TST/RegioSCodes", 0, "Title"),
        ("/CBS/99999TST/RegioSCodes", 1, "Title"),
    ]:
        body = json.loads(routes[path])
        (body if key is None else body["value"][key])[field] = f"{field} {bad}"
        routes[path] = json.dumps(body).encode()
    cbs_server.routes.update(routes)
    entry = {"kind": "cbs_odata4", "table_id": "99999TST", "publisher": bad, "url": "https://example.org/"}
    from helpers.fetching import fetch

    pointer = fetch(cbs_server, tmp_path, "99999TST", entry)
    df, meta = tidy_snapshot(tmp_path / "raw" / "99999TST" / pointer["snapshot_dir"], entry)
    qualifiers = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["qualifiers"]
    base = {
        "title": f"Titel {bad}", "series_label": f"Reeks {bad}", "quote": f"Ongeveer 10 {bad}",
        "wording": "Ongeveer 10", "value": 10, "unit": f"eenheid {bad}", "period": "2023MM01",
        "source": "99999TST", "period_note": bad,
    }  # fmt: skip
    good = dict(
        base,
        id="t_hostile",
        metric={"kind": "value", "measure": "M000001", "filters": {"RegioS": "NL01"}, "period_kind": "MM"},
    )
    wrong = dict(
        base,
        id="t_hostile_code",
        metric={"kind": "value", "measure": "M000001", "filters": {"RegioS": "GM9999"}, "period_kind": "MM"},
    )
    kw = {"dossier_date": date(2023, 10, 1), "qualifiers": qualifiers}
    results = [recompute_claim(c, "99_demo", df, meta, entry, **kw) for c in (good, wrong)]
    # the codes' titles, as sent, in the technical detail; the publisher's name in the Dutch sentence
    assert results[0]["series"] and "Title <script>" in results[1]["reason_detail"]
    assert results[1]["reason"].startswith("Niet na te rekenen: ") and "<script>" in results[1]["reason"]

    reports = tmp_path / "reports"
    (reports / "style").mkdir(parents=True)
    (reports / "style" / "report.css").write_text("")
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps({"theme": "99_demo", "title": "Demo", "claims": results}))
    fragments = reports / "_generated" / "99_demo"
    write_report_fragments(
        claims, fragments / "claims.md", fragments / "figures", "_generated/99_demo/figures"
    )
    svg = (fragments / "figures" / "t_hostile.svg").read_text()
    assert "<script" not in svg and "onerror=" not in svg.replace("onerror=alert(1)&gt;", "")
    (reports / "99_demo.qmd").write_text(
        "---\ntitle: Demo\n---\n\n{{< include _generated/99_demo/claims.md >}}\n"
    )
    render_report(reports / "99_demo.qmd", tmp_path / "out.html", renderer="pandoc")
    html = (tmp_path / "out.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript' not in html
    assert "root:" not in html  # /etc/passwd was not included

    exe, sync_playwright = _chromium()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((tmp_path / "out.html").as_uri(), wait_until="load")
        scripts = page.evaluate("document.querySelectorAll('script').length")
        handlers = page.evaluate("document.querySelectorAll('[onerror], [onload]').length")
        links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
        text = page.inner_text("body")
        alt = page.get_attribute("img", "alt")
        browser.close()
    assert dialogs == [] and errors == [] and scripts == 0 and handlers == 0
    assert not [h for h in links if h and h.lower().startswith("javascript")]
    for s in HOSTILE:  # each shown as the text it is: in the report's text and in the chart's alt text
        assert s in text, s
        assert s in alt, s


def refresh_with_new_observations(wf: Path, served, body: dict) -> subprocess.CompletedProcess:
    """`make refresh`'s two passes while the server publishes ``body`` as 85773NED's observations, with a
    new Modified date so the fetch downloads them. Returns the second pass (what reran)."""
    props = json.loads(shared_path("cbs", "odata4", "85773NED", "Properties.json").read_bytes())
    props["Modified"] = "2026-07-22T06:30:00+02:00"
    served.routes["/CBS/85773NED/Observations"] = json.dumps(body).encode()
    served.routes["/CBS/85773NED/Properties"] = json.dumps(props).encode()
    try:
        first = snakemake(wf, "--forcerun", "fetch_source", "--until", "fetch_source", *local(served))
        assert first.returncode == 0, first.stderr[-3000:]
        second = snakemake(wf, *local(served))
        assert second.returncode == 0, second.stderr[-3000:]
    finally:
        del served.routes["/CBS/85773NED/Observations"], served.routes["/CBS/85773NED/Properties"]
    return second


def test_diff_against_an_accepted_baseline_and_reports_mark_what_moved(own_run, served):
    """The run's figures are kept; a baseline is accepted; a figure moves upstream; the diff target and
    the theme report say which. (85773NED is served with one index value changed by +5.)"""
    from dossiercheck import diff as d

    figures = own_run / "data" / "processed" / M / "run" / "figures.csv"
    rid = json.loads((own_run / "data" / "processed" / M / "run" / "run.json").read_text())["run_id"]
    assert (own_run / "data" / "runs" / M / rid / "figures.csv").read_bytes() == figures.read_bytes()
    accepted = run_cli("baseline", "accept", cwd=own_run)
    assert accepted.returncode == 0, accepted.stderr
    same = run_cli("diff", "baseline", rid, cwd=own_run)
    assert same.returncode == 0 and "0 material change(s)" in same.stdout
    # a new baseline concerns every theme: all their diffs and reports are made again, once
    settled = snakemake(own_run, *local(served))
    assert settled.returncode == 0, settled.stderr[-3000:]
    # (`baseline accept` without --dossier accepts every dossier's figures: the themes of both are compared
    # again, once; the site is rendered in one job, and at least the pages that name the baseline change)
    jobs = ran_jobs(settled)
    assert sorted(j for j in jobs if j.startswith("write_report_fragments")) == sorted(
        f"write_report_fragments(dossier={p.parent.parent.name}, theme={p.stem})"
        for p in (own_run / "dossiers").glob("*/claims/0*.yaml")
    )
    assert jobs.count("render_site") == 1
    assert {f"{M}/index", f"{M}/wijzigingen"} <= rendered(own_run)

    body = json.loads(shared_path("cbs", "odata4", "85773NED", "Observations.json").read_bytes())
    exp = expected_figures(shared_path("cbs", "odata4"), own_run)
    dossier_month = exp["dossier_period"]
    for row in body["value"]:
        if row["Measure"] == "M001505_2" and row["Perioden"] == dossier_month:
            old_index = row["Value"]
            row["Value"] += 5.0
    second = refresh_with_new_observations(own_run, served, body)
    result = json.loads((own_run / "data" / "processed" / M / "diff" / "baseline.json").read_text())
    moved = {(f["claim_id"], f["figure"]): f["class"] for f in result["figures"] if f["material"]}
    # the dossier's month moved by 5 index points (more than the claim's tolerance of 0.05 on the
    # multiple), so the claim is now 'revised' (it was 'outdated'): its newest figure keeps its value
    # but carries the new status. "Stijgende huizenprijzen" reads the same month, but as CBS's own
    # published change on a year earlier (M005355), which this edit leaves alone: it does not move, and
    # nothing else does.
    assert moved == {
        ("t4_koopwoningen_bijna_verdubbeld", "dossier"): "revised",
        ("t4_koopwoningen_bijna_verdubbeld", "newest"): "status_changed",
    }
    claims = json.loads((own_run / "data" / "processed" / M / "claims" / "04_wonen.json").read_text())[
        "claims"
    ]
    house = next(c for c in claims if c["id"] == "t4_koopwoningen_bijna_verdubbeld")
    assert house["status"] == "revised"
    trough_index = old_index / exp["dossier_value"]  # the 2013 trough, untouched
    assert house["revision"]["value"] == pytest.approx(exp["dossier_value"], abs=1e-6)  # the baseline's
    assert house["dossier"]["value"] == pytest.approx((old_index + 5.0) / trough_index)
    assert "basislijn" in house["reason"] and house["suggested_wording"]
    # Only the dependants of 85773NED ran: its tidy table, the claims of the themes that read it (by the
    # registry: only 04_wonen), their diffs, fragments and reports, and the whole-run steps after them.
    readers = sorted(
        p.stem
        for p in (own_run / "dossiers" / "bestaanszekerheid-2023" / "claims").glob("0*.yaml")
        if any(c.get("source") == "85773NED" for c in yaml.safe_load(p.read_text())["claims"])
    )
    assert readers == ["04_wonen"]
    jobs = ran_jobs(second)
    per_theme = [j for j in jobs if "theme=" in j]
    assert per_theme == sorted(
        f"{rule}(dossier={M}, theme={t})"
        for t in readers
        for rule in (
            "recompute_claims",
            "write_report_fragments",
        )  # the page's job compares with the baseline
    ), jobs
    # the dossier's whole-run steps and pages, the landing page's counts, and the one job that renders
    # whatever page changed; nothing of the other dossier
    assert {j for j in jobs if j not in per_theme} == {
        "tidy_source(source=85773NED)", f"record_run(dossier={M})",  # the run, and its diff with the baseline
        f"write_dossier_pages(dossier={M})",  # overview; sources (its snapshot, date); changes (claims' titles)
        "write_landing", "render_site",
    }, jobs  # fmt: skip
    # only pages that show this source's figures are rendered again: its theme's, and at most the overview,
    # the sources and changes pages of the same dossier and the landing page
    assert f"{M}/04_wonen" in rendered(own_run)
    assert rendered(own_run) <= {f"{M}/04_wonen", f"{M}/index", f"{M}/bronnen", f"{M}/wijzigingen", "index"}
    html = " ".join((own_run / "reports" / "_site" / M / "04_wonen.html").read_text(encoding="utf-8").split())
    assert (
        "Gewijzigd sinds de vastgestelde basislijn:" in html
        and "herzien: zelfde periode, ander cijfer" in html
    )
    assert len(list((own_run / "data" / "runs" / M).iterdir())) == 2  # both runs kept side by side
    assert (
        d.read_figures(own_run / "dossiers" / "bestaanszekerheid-2023" / "baseline" / "figures.csv").shape[0]
        == d.read_figures(figures).shape[0]
    )


def test_a_failing_validation_stops_the_run_and_a_listed_warning_lets_it_pass(tmp_path):
    """The debts dashboard served with one share of 140 % (percent_range fails): the run stops and says to
    read data/processed/validation/schulden_ontwikkeling.md; listed under validation_warnings it goes on."""
    from helpers.shared_site import FILE_COPIES, config_args, shared_site

    text = shared_path(*FILE_COPIES["schulden_ontwikkeling"][0]).read_bytes().decode("cp1252")
    assert '"2015";661730;8,6;' in text  # the share of 2015, by hand from the file
    bad = text.replace('"2015";661730;8,6;', '"2015";661730;140,0;', 1).encode("cp1252")
    server = shared_site()
    url = next(k for k in server.routes if k.endswith("Ontwikkeling_NL.csv"))
    server.routes[url] = bad
    wf = workflow_copy(tmp_path)
    target = "data/processed/tables/schulden_ontwikkeling.parquet"
    report = "data/processed/validation/schulden_ontwikkeling.md"
    server.start()
    try:
        stopped = snakemake(wf, target, *config_args(server))
        assert stopped.returncode != 0 and report in stopped.stderr
        assert "- schulden_ontwikkeling (controle):" in stopped.stderr  # in the summary the run ends with
        assert "## Fout: percent_range" in (wf / report).read_text() and not (wf / target).exists()
        warned = snakemake(
            wf, target, *config_args(server, validation_warnings="[percent_range,provisional_periods]")
        )
    finally:
        server.stop()
    assert warned.returncode == 0, warned.stderr[-2000:]
    md = (wf / report).read_text()
    assert "## Waarschuwing: percent_range" in md and "## Fout:" not in md
    assert (wf / target).is_file()


def test_make_refresh_forced_downloads_everything_and_reruns_nothing(own_run, served):
    """`make refresh CONFIG="refresh=force"`, the Makefile's own recipe: every source is downloaded again;
    the content is the same, so the snapshots in use stay and nothing downstream runs."""
    snapshots = {
        p.name: sorted(q.name for q in p.iterdir() if q.is_dir())
        for p in (own_run / "data" / "raw").iterdir()
    }
    files = served.count(".xlsx") + served.count(".csv")
    observations = served.count("/Observations")
    config = " ".join(a for a in local(served, refresh="force") if a != "--config")
    # the recipe as the README runs it, with this checkout's .venv (STAMP= : it is installed already)
    proc = subprocess.run(
        ["make", "-C", str(own_run), "-f", str(ROOT / "Makefile"), "refresh", f"VENV={ROOT / '.venv'}", "STAMP=", f"CONFIG={config}"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (
        served.count("/Observations") > observations and served.count(".xlsx") + served.count(".csv") > files
    )
    assert "the content is identical to snapshot" in proc.stderr
    assert snapshots == {
        p.name: sorted(q.name for q in p.iterdir() if q.is_dir())
        for p in (own_run / "data" / "raw").iterdir()
    }
    assert "Nothing to be done" in proc.stdout + proc.stderr  # the second pass: nothing downstream


def test_a_tampered_pointer_stops_the_workflow_with_what_to_do(own_run, served):
    """data/raw/85773NED/current.json edited to point outside its folder: the workflow refuses to follow it
    and says which file and what to do; the snapshots stay as they were."""
    pointer = own_run / "data" / "raw" / "85773NED" / "current.json"
    data = json.loads(pointer.read_text())
    data["snapshot_dir"] = "../../../config"
    pointer.write_text(json.dumps(data))
    before = sorted(p.name for p in pointer.parent.iterdir())
    proc = snakemake(own_run, *local(served))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "data/raw/85773NED/current.json points at '../../../config'" in out
    assert "Delete it and run again" in out
    assert sorted(p.name for p in pointer.parent.iterdir()) == before


def test_the_watch_finds_a_new_month_and_a_revision_and_the_site_remembers(own_run, served):
    """The monthly loop against the test server: 85773NED gains a month (June 2026, the index 2 points above
    May) and revises the dossier's month (+5 index points). `make watch`'s two steps (the refresh, then
    `dossiercheck watch`) say what moved, exit 1, with links and a proposed sentence; once accepted, the
    page "Wijzigingen" lists each moved figure from what to what, with its snapshot."""
    accepted = run_cli("baseline", "accept", cwd=own_run)
    assert accepted.returncode == 0, accepted.stderr
    history = json.loads(
        (own_run / "dossiers" / "bestaanszekerheid-2023" / "baseline" / "history.json").read_text()
    )
    assert len(history) == 1 and history[0]["first"] is True and history[0]["changes"] == []

    body = json.loads(shared_path("cbs", "odata4", "85773NED", "Observations.json").read_bytes())
    exp = expected_figures(shared_path("cbs", "odata4"), own_run)
    index = {r["Perioden"]: r["Value"] for r in body["value"] if r["Measure"] == "M001505_2"}
    may = index["2026MM05"]
    for row in body["value"]:
        if row["Measure"] == "M001505_2" and row["Perioden"] == exp["dossier_period"]:
            row["Value"] += 5.0
    body["value"].append(
        {"Id": 99999, "Measure": "M001505_2", "ValueAttribute": "None", "Value": may + 2.0, "StringValue": None,
         "Perioden": "2026MM06"}
    )  # fmt: skip
    refresh_with_new_observations(own_run, served, body)

    watched = run_cli("watch", cwd=own_run)
    assert watched.returncode == 1, watched.stdout + watched.stderr
    summary = (own_run / "data" / "processed" / "watch" / "summary.md").read_text(encoding="utf-8")
    link = f"(reports/_site/bestaanszekerheid-2023/04_wonen.html#{CLAIM})"
    # one section per dossier, under its title; the dossier's month: revised by the source (same period,
    # another figure)
    assert (
        "## Bestaanszekerheid, meer dan geld\n" in summary and "## Inflatie 3,3 procent in 2024\n" in summary
    )
    assert "### Herzien door de bron" in summary and link in summary
    # the newest figure: June 2026 now, where the baseline had May 2026
    assert (
        "### Nieuwe perioden" in summary
        and "(mei 2026) → " in summary
        and "(juni 2026); een nieuwere periode" in summary
    )
    assert "  Voorstel: *" in summary and "`dossiercheck baseline accept`" in summary
    # tables the test server does not hold answer 404 there: listed as gone, not hidden
    assert "## Bronnen die er niet meer zijn" in summary and "- 82900NED: " in summary

    again = run_cli("baseline", "accept", cwd=own_run)
    assert again.returncode == 0, again.stderr
    history = json.loads(
        (own_run / "dossiers" / "bestaanszekerheid-2023" / "baseline" / "history.json").read_text()
    )
    changes = {(c["claim_id"], c["figure"]): c for c in history[-1]["changes"]}
    newest = changes[(CLAIM, "newest")]
    assert (newest["old_period"], newest["new_period"], newest["class"]) == (
        "2026MM05",
        "2026MM06",
        "new_period",
    )
    dossier = changes[(CLAIM, "dossier")]
    assert dossier["class"] == "revised" and dossier["snapshot_id"] and dossier["table"] == "85773NED"
    settled = snakemake(own_run, *local(served))
    assert settled.returncode == 0, settled.stderr[-3000:]
    page = " ".join(
        (own_run / "reports" / "_site" / M / "wijzigingen.html").read_text(encoding="utf-8").split()
    )
    assert "Eerste vastgestelde basislijn" in page and "herzien: zelfde periode, ander cijfer" in page
    # the new figure's source named as a reader names it: the table and the day its snapshot was taken (the
    # snapshot id begins with that day, YYYYMMDD), not the id itself
    from dossiercheck.periods import date_nl

    sid = dossier["snapshot_id"]
    taken = date_nl(date(int(sid[:4]), int(sid[4:6]), int(sid[6:8])))
    assert "juni 2026" in page and f"85773NED, opgehaald op {taken}" in page
    assert sid not in page
    # nothing moved since, among the sources the server holds: exit 0
    sources = yaml.safe_load((own_run / "config" / "sources.yaml").read_text())
    held = {
        k: v for k, v in sources.items()
        if not json.loads((own_run / "data" / "raw" / k / "current.json").read_text()).get("unavailable")
    }  # fmt: skip
    (own_run / "held.yaml").write_text(yaml.safe_dump(held))
    quiet = run_cli("watch", "--sources", "held.yaml", cwd=own_run)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "Niets veranderd" in quiet.stdout


def test_every_reader_page_is_dutch_without_codes_outside_the_technical_details(run):
    """Both renderings of every page: the pandoc HTML as served and the Markdown Quarto renders (the .qmd
    with its includes), and every chart's words. Outside "Technische details" no English word, no jargon,
    no ISO timestamp, snapshot id, measure code, filter or period code (tests/helpers/reader_text.py)."""
    from helpers.reader_text import problems, svg_text, visible_html_text, visible_markdown_text

    from dossiercheck.report import expand_includes

    reports = run / "reports"
    found = {}
    for page in sorted(p for p in (reports / "_site").rglob("*.html") if "_generated" not in p.parts):
        found[page.relative_to(reports).as_posix()] = problems(
            visible_html_text(page.read_text(encoding="utf-8"))
        )
    for qmd in sorted(p for p in reports.rglob("*.qmd") if not {"_generated", "_site"} & set(p.parts)):
        found[f"{qmd.relative_to(reports).as_posix()} (Quarto)"] = problems(
            visible_markdown_text(expand_includes(qmd.read_text(encoding="utf-8"), qmd.parent))
        )
    for svg in sorted(reports.glob("*/_generated/*/figures/*.svg")):
        found[svg.relative_to(reports).as_posix()] = problems(svg_text(svg.read_text(encoding="utf-8")))
    # the landing page and every page of every dossier (overview, sources, changes, a page per theme), in
    # both renderings
    pages = 1 + sum(
        3 + len(yaml.safe_load(d.read_text())["themes"]) for d in run.glob("dossiers/*/dossier.yaml")
    )
    html = sum(1 for k in found if k.endswith(".html"))
    assert sum(1 for k in found if k.endswith("(Quarto)")) == html == pages
    assert {k: v for k, v in found.items() if v} == {}


def test_the_counts_on_the_overview_agree_with_each_other_and_with_the_theme_pages(run):
    """The overview's total, its table per theme and verdict, and its reasons table, against the count
    line at the top of every theme page (each read from the generated Markdown, not from the claims)."""
    gen = run / "reports" / M / "_generated"
    overview = (gen / "index" / "overview.md").read_text(encoding="utf-8")
    total = int(re.search(r"Dit overzicht volgt (\d+) cijfers", overview).group(1))
    table = [line for line in overview.splitlines() if line.startswith("| ") and "status-" in line]
    by_status = {}
    for line in table:
        code = re.search(r"\.status-(\w+)\}", line).group(1)
        cells = [c.strip() for c in line.strip("|").split("|")][1:]
        by_status[code] = [0 if c == "·" else int(c) for c in cells]  # seven themes, then the total
    themes = sorted(p for p in gen.iterdir() if (p / "summary.md").is_file())
    page_total = 0
    for i, theme in enumerate(themes):
        line = (
            (theme / "summary.md").read_text(encoding="utf-8").split("Dit thema telt ", 1)[1].split("\n")[0]
        )
        n = int(line.split()[0])
        parts = dict(
            (code, int(k)) for k, code in re.findall(r"(\d+) \[[^\]]+\]\{\.status \.status-(\w+)\}", line)
        )
        assert sum(parts.values()) == n, (theme.name, line)
        assert parts == {code: counts[i] for code, counts in by_status.items() if counts[i]}, theme.name
        page_total += n
    assert page_total == total == sum(counts[-1] for counts in by_status.values())
    for counts in by_status.values():
        assert sum(counts[:-1]) == counts[-1]
    unchecked = sum(
        by_status.get(s, [0])[-1] for s in ("not_recomputable", "source_unavailable", "source_discontinued")
    )
    reasons = re.search(r"\| \*\*Totaal\*\* \| (\d+) \|", overview.split("{#niet-na-te-rekenen}")[1])
    assert int(reasons.group(1)) == unchecked
    rows = re.findall(r"^\| [^*|][^|]* \| (\d+) \|$", overview.split("{#niet-na-te-rekenen}")[1], re.M)
    assert sum(map(int, rows)) == unchecked
    # the landing page says the same of this dossier: its figures, those recomputed, and the number of
    # items under "Wat moet er worden aangepast?" (up to the rounding differences or the next section)
    corrections = re.split(r"\n### Afrondingsverschillen|\n## ", overview.split("{#veranderd}", 1)[1])[0]
    n_correct = len(re.findall(r"^- ", corrections, re.M))
    landing = (run / "reports" / "_generated" / "landing.md").read_text(encoding="utf-8")
    mine = landing.split(f"({M}/index.html)", 1)[1].split("\n## ", 1)[0]
    said = re.search(r"(\d+) cijfers gevolgd, waarvan (\d+) nagerekend; \*\*(\d+) vragen om", mine)
    assert said and tuple(map(int, said.groups())) == (total, total - unchecked, n_correct), mine


def test_the_site_starts_one_quarto_process_per_run_and_renders_only_changed_pages(own_run, served, tmp_path):
    """With Quarto as the renderer (a stand-in on PATH that records its calls, tests/helpers/quarto_stub.py),
    a run that must render every page starts one Quarto process, `quarto render` of the whole project; a run
    after one page's text changed starts one process for that page alone; a run with nothing changed starts
    none. (Quarto's start-up, ~1.7 s, was paid once per page.)"""
    from helpers import quarto_stub

    env = quarto_stub.install(tmp_path / "bin", tmp_path / "calls.jsonl")
    shutil.rmtree(own_run / "reports" / "_site")  # nothing rendered yet: every page must be made
    cold = snakemake(own_run, *local(served, renderer="quarto"), env=env)
    assert cold.returncode == 0, cold.stderr[-3000:]
    assert quarto_stub.calls(tmp_path / "calls.jsonl") == [["render"]]
    project = yaml.safe_load((own_run / "reports" / "_quarto.yml").read_text())["project"]
    assert rendered(own_run) == {p.removesuffix(".qmd") for p in project["render"]}  # every page, once

    # one theme's intro rewritten in its dossier.yaml: every page is generated again, one reads otherwise
    info = own_run / "dossiers" / "cbs-inflatie-2024" / "dossier.yaml"
    text = info.read_text()
    info.write_text(text.replace("Volgens CBS waren", "Volgens het CBS waren", 1))
    (tmp_path / "calls.jsonl").unlink()
    one = snakemake(own_run, *local(served, renderer="quarto"), env=env)
    assert one.returncode == 0, one.stderr[-3000:]
    assert quarto_stub.calls(tmp_path / "calls.jsonl") == [["render", "cbs-inflatie-2024/01_inflatie.qmd"]]
    assert rendered(own_run) == {"cbs-inflatie-2024/01_inflatie"}

    (tmp_path / "calls.jsonl").unlink()
    again = snakemake(own_run, *local(served, renderer="quarto"), env=env)
    assert again.returncode == 0 and quarto_stub.calls(tmp_path / "calls.jsonl") == []
