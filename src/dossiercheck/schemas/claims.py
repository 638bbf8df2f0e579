"""Claim results: one row per claim and theme, the table behind ``data/processed/claims/<theme>.csv``."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from dossiercheck.periods import PERIOD_CODE
from dossiercheck.status import JUDGEMENTS, STATUSES

# a period code, or empty where nothing could be recomputed
PERIOD_OR_EMPTY = f"^(?:{PERIOD_CODE.removeprefix('^').removesuffix('$')})?$"


class ClaimResult(pa.DataFrameModel):
    claim_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$", description="Claim id")
    theme: Series[str] = pa.Field(description="Theme slug, e.g. 04_wonen")
    source: Series[str] = pa.Field(description="Source key in config/sources.yaml")
    table_id: Series[str] = pa.Field(description="Publisher's table id")
    metric: Series[str] = pa.Field(description="Metric kind from the closed vocabulary")
    measure: Series[str] = pa.Field(description="Measure code the metric reads")
    qualifier: Series[str] = pa.Field(description="Qualifier taken from the dossier's wording")
    wording: Series[str] = pa.Field(nullable=True, description="The dossier's own phrase for the figure")
    dossier_value: Series[float] = pa.Field(
        nullable=True, description="The value the dossier states or implies"
    )
    band_low: Series[float] = pa.Field(
        nullable=True, description="Lowest value the wording admits (empty: unbounded or not judged)"
    )
    band_high: Series[float] = pa.Field(
        nullable=True, description="Highest value the wording admits (empty: unbounded or not judged)"
    )
    band: Series[str] = pa.Field(nullable=True, description="The band in words, in the claim's unit")
    unit: Series[str] = pa.Field(description="Unit of dossier_value and the recomputed values")
    dossier_period: Series[str] = pa.Field(
        str_matches=PERIOD_OR_EMPTY, nullable=True, description="Period the dossier means (empty: not stated)"
    )
    dossier_period_why: Series[str] = pa.Field(
        nullable=True,
        description="Why that period: stated by the dossier, or the newest published by its date",
    )
    dossier_period_value: Series[float] = pa.Field(
        nullable=True, description="Today's figure for the dossier's period"
    )
    dossier_period_judgement: Series[str] = pa.Field(
        isin=list(JUDGEMENTS), nullable=True, description="holds or contradicts (empty: not judged)"
    )
    newest_period: Series[str] = pa.Field(str_matches=PERIOD_OR_EMPTY, description="Newest period with data")
    newest_value: Series[float] = pa.Field(nullable=True, description="Figure for the newest period")
    newest_judgement: Series[str] = pa.Field(
        isin=list(JUDGEMENTS), nullable=True, description="The same judgement for the newest period"
    )
    change_since_dossier: Series[float] = pa.Field(
        nullable=True, description="newest_value minus dossier_period_value"
    )
    status: Series[str] = pa.Field(isin=list(STATUSES), description="Overall status (see status.py)")
    provisional: Series[bool] = pa.Field(description="A Voorlopig/NaderVoorlopig period is involved")
    snapshot_id: Series[str] = pa.Field(description="Raw snapshot the figures come from")
    reason: Series[str] = pa.Field(
        nullable=True, description="Why a claim could not be recomputed or judged, or what changed"
    )
    reason_detail: Series[str] = pa.Field(
        nullable=True,
        description="The failure behind a reason, as the program saw it (codes, URL, error): for the analyst",
    )
    reason_kind: Series[str] = pa.Field(
        isin=["report", "survey", "model", "opinion", "no_measure"],
        nullable=True,
        description="For a claim no table holds: report, survey, model, opinion or no_measure",
    )
    cross_check_of: Series[str] = pa.Field(
        nullable=True, description="The claim this one checks on another table (not a finding of its own)"
    )
    codes_verified: Series[bool] = pa.Field(
        description="False while the table's codes come from research notes, not yet checked online"
    )
    suggested_wording: Series[str] = pa.Field(
        nullable=True,
        description="For revised, differs_from_source and outdated: the dossier's sentence with the newest figure",
    )

    class Config:
        strict = True  # the CSV is the published contract: no stray columns
        coerce = True
        ordered = True


# The CSV's columns explained to a reader who downloads it (kolommen.csv beside it), in Dutch. The codes
# in the status, judgement and reason_kind columns are spelled out from the vocabularies that define them.
def _codes(vocabulary: dict[str, str]) -> str:
    return "; ".join(f"{code} = {meaning}" for code, meaning in vocabulary.items())


def legend_nl() -> dict[str, str]:
    from dossiercheck.status import JUDGEMENT_NL, REASON_KINDS_NL

    statuses = _codes({code: s.label for code, s in STATUSES.items()})
    judgements = _codes({k: v for k, v in JUDGEMENT_NL.items() if k})
    return {
        "claim_id": "vaste sleutel van het cijfer (ook het anker van de link naar de themapagina)",
        "theme": "het thema, als sleutel (bijvoorbeeld 04_wonen)",
        "source": "sleutel van de bron in de bronnenlijst",
        "table_id": "nummer van de tabel bij de uitgever",
        "metric": "hoe het cijfer uit de tabel is berekend (value = de waarde zelf, ratio = een verhouding, …)",
        "measure": "code van de maat in de tabel",
        "qualifier": "het voorvoegsel in de formulering van het dossier (ongeveer, bijna, ruim, …)",
        "wording": "de formulering van het dossier voor dit cijfer",
        "dossier_value": "het getal dat het dossier noemt of bedoelt",
        "band_low": "laagste waarde die de formulering toelaat (leeg: geen ondergrens of niet beoordeeld)",
        "band_high": "hoogste waarde die de formulering toelaat (leeg: geen bovengrens of niet beoordeeld)",
        "band": "die grenzen in woorden",
        "unit": "eenheid van de cijfers in deze rij",
        "dossier_period": "de periode waar het dossier over gaat, als code (2023MM08 = augustus 2023)",
        "dossier_period_why": "waarom die periode",
        "dossier_period_value": "het cijfer van de bron voor die periode, zoals het nu is",
        "dossier_period_judgement": f"past dat cijfer bij de formulering? {judgements}",
        "newest_period": "de nieuwste periode met een cijfer, als code",
        "newest_value": "het cijfer voor de nieuwste periode",
        "newest_judgement": f"past het nieuwste cijfer bij de formulering? {judgements}",
        "change_since_dossier": "nieuwste cijfer min het cijfer voor de periode van het dossier",
        "status": f"het oordeel, als code: {statuses}",
        "provisional": "True als een gebruikte periode bij de bron nog voorlopig is",
        "snapshot_id": "de momentopname van de bron waaruit de cijfers komen",
        "reason": "toelichting: waarom het cijfer niet is na te rekenen, of wat er veranderde",
        "reason_detail": "de technische oorzaak daarvan (foutmelding met codes of adres), voor de analist",
        "reason_kind": f"soort reden bij een cijfer dat geen tabel bevat: {_codes(REASON_KINDS_NL)}",
        "cross_check_of": "het cijfer dat deze rij controleert met een andere tabel (geen eigen bevinding)",
        "codes_verified": "False zolang de codes van de tabel nog niet bij de bron zijn gecontroleerd",
        "suggested_wording": "voorstel voor de zin van het dossier met het nieuwste cijfer",
    }
