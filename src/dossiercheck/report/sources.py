"""Rule ``write_dossier_pages``, "Bronnen en methode": per source what was fetched and checked, then how a
figure gets its verdict.

Reports read, never compute: every number here comes from the claims JSON.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import yaml

from dossiercheck.fmt import nl_auto
from dossiercheck.periods import moment_nl
from dossiercheck.report.common import _link, _status_span, bundle_note, md_escape
from dossiercheck.snapshot import atomic_write_text
from dossiercheck.status import STATUSES

log = logging.getLogger(__name__)


QUALIFIER_WORDS_NL = {
    "exact": "(geen woord: het getal zelf)",
    "range": "… tot …",
    "stijgt": "stijgt, stijgende",
    "daalt": "daalt, dalende",
}

# The validation's warnings as a reader is told them (validate.DEFAULT_WARNINGS).
WARNINGS_NL = {
    "provisional_periods": "sommige perioden zijn nog voorlopig en kunnen nog veranderen",
    "measure_added": "de tabel heeft een maat meer dan bij de vorige keer ophalen",
    "codes_added": "de tabel heeft nieuwe categorieën sinds de vorige keer ophalen",
}

KINDS_NL = {
    "cbs_odata4": "CBS StatLine (OData v4)",
    "cbs_odata3": "CBS StatLine (OData v3)",
    "cbs_bulk_csv": "CBS-dataportaal (CSV-download)",
    "file": "bestand",
    "manual": "overgenomen uit een document",
}


def write_sources_page(
    claims_files: list[Path], meta_files: list[Path], sources_yaml: Path, config_yaml: Path, out_md: Path
) -> None:
    """ "Bronnen en methode": every source the dossier reads (those of ``meta_files``; config/sources.yaml is
    shared by every dossier) with its snapshot, upstream date, validation and licence and the figures it
    serves; then how a status is decided and how the dossier's wording is read."""
    sources = yaml.safe_load(Path(sources_yaml).read_text(encoding="utf-8")) or {}
    config = yaml.safe_load(Path(config_yaml).read_text(encoding="utf-8")) or {}
    metas = {m["source"]: m for m in (json.loads(Path(f).read_text()) for f in meta_files)}
    themes = [json.loads(Path(f).read_text()) for f in sorted(claims_files)]
    serves: dict[str, list[str]] = {}
    for t in themes:
        for c in t["claims"]:
            source = (c.get("provenance") or {}).get("source")
            if source:
                serves.setdefault(source, []).append(_link(t, c))
    lines = [*bundle_note(themes), "## De bronnen {#bronnen}", ""]
    shipped = {k for t in themes for k in (t.get("bundled") or {})}
    for key, entry in sources.items():
        if key not in metas:  # another dossier's source
            continue
        m = metas[key]
        title = entry.get("title") or key
        lines += [
            f"### {md_escape(title)} {{#bron-{re.sub(r'[^a-z0-9]+', '-', key.lower()).strip('-')}}}",
            "",
        ]
        url = entry.get("url")
        rows = [("Uitgever", md_escape(entry.get("publisher")))]
        if entry.get("table_id"):
            table = md_escape(entry["table_id"])
            rows.append(("Tabel", f"[{table}]({url})" if url else table))
        elif url:  # a file or a report: where it is, not our key for it
            from urllib.parse import urlsplit

            rows.append(("Te vinden op", f"[{md_escape(urlsplit(url).hostname or url)}]({url})"))
        technical = [
            f"- Hoe opgehaald: {md_escape(KINDS_NL.get(entry.get('kind'), entry.get('kind')))}",
            f"- Sleutel in de bronnenlijst (config/sources.yaml): `{key}`",
        ]
        if m.get("unavailable"):
            rows.append(
                (
                    "Opgehaald",
                    "[niet opgehaald]{.status .status-source_unavailable} "
                    + md_escape(m.get("reason", "").removeprefix("Niet opgehaald: ")),
                )
            )
            if m.get("detail"):
                technical.append(
                    f"- Foutmelding bij het ophalen: [{md_escape(m['detail'])}]{{.error-detail}}"
                )
        else:
            val = m.get("validation") or {}
            rows_n = val.get("rows")
            verdict = f"geslaagd: {val.get('checks_run', '?')} controles op {nl_auto(rows_n)} " + (
                "rij" if rows_n == 1 else "rijen"
            )
            notes = [WARNINGS_NL.get(w, w) for w in val.get("warnings") or []]
            if notes:
                verdict += f"; let op: {md_escape('; '.join(notes))}"
            rows += [
                (
                    "Opgehaald",
                    f"op {md_escape(moment_nl(m.get('retrieved_at')))}"
                    + ("; meegeleverd met dossiercheck" if key in shipped else ""),
                ),
                (
                    # a report's figures are copied by hand: the date is when, not when the source changed
                    ("Overgenomen uit het document", md_escape(moment_nl(m.get("upstream_modified"))) or "–")
                    if entry.get("kind") == "manual"
                    else (
                        "Bijgewerkt door de bron",
                        md_escape(moment_nl(m.get("upstream_modified"))) or "de bron geeft geen datum",
                    )
                ),
                ("Controle", verdict),
            ]
            technical += [
                f"- Momentopname: `{str(m.get('snapshot_id')).replace('`', '')}`"
                + (" (in `data/bundle/`)" if key in shipped else ""),
                f"- Wat er precies is gecontroleerd: `data/processed/validation/{key}.md`",
            ]
        if entry.get("publication_lag_note"):
            rows.append(("Publicatie", md_escape(entry["publication_lag_note"])))
        if entry.get("successor"):
            rows.append(("Opvolger", md_escape(entry["successor"])))
        rows += [
            ("Licentie", md_escape(entry.get("licence")) or "niet vermeld"),
            ("Cijfers", ", ".join(serves.get(key, [])) or "–"),
        ]
        lines += [
            "::: {.source-table}",
            "| | |",
            "|---|---|",
            *(f"| {k} | {v} |" for k, v in rows),
            ":::",
            "",
            '::: {.callout-note .technical collapse="true" title="Technische details"}',
            *technical,
            ":::",
            "",
        ]
    lines += ["## Hoe een oordeel tot stand komt {#oordelen}", ""]
    lines += [
        "Elk cijfer wordt tweemaal nagerekend: voor de periode die het dossier bedoelde (de nieuwste die op de "
        "datum van het dossier gepubliceerd kon zijn, tenzij de zin zelf een periode noemt) en voor de nieuwste "
        "periode. Per periode: past het cijfer bij de formulering van het dossier? Daaruit volgt één oordeel:",
        "",
        "| Oordeel | Betekenis |",
        "|---|---|",
    ]
    lines += [f"| {_status_span(code)} | {md_escape(st.meaning)} |" for code, st in STATUSES.items()]
    lines += ["", "## Hoe de formulering wordt gelezen {#formulering}", ""]
    lines += [
        "Een getal wordt gelezen met de precisie waarmee het is geschreven: de stap is de eenheid van het "
        'laatste betekenisvolle cijfer ("1,4 miljoen": 0,1 miljoen; "39": 1), bij ronde woorden de '
        'volgende stap die een schrijver zou noemen ("een miljoen", dan "anderhalf miljoen"). Elk '
        "voorvoegsel laat een band toe:",
        "",
        "| Woord | Voorbeeld |",
        "|---|---|",
    ]
    for q, spec in (config.get("qualifiers") or {}).items():
        word = QUALIFIER_WORDS_NL.get(q, q.replace("_", " "))
        lines.append(f"| {md_escape(word)} | {md_escape(spec.get('example', ''))} |")
    lines += [""]
    atomic_write_text(out_md, "\n".join(lines))
