"""Small tidy tables and their metadata, made by hand for the judgement tests: the shapes tidy writes."""

from __future__ import annotations

import pandas as pd

from dossiercheck.periods import add_period_columns


def frame(rows, table="T1", status=None):
    """Rows (measure, period, value) as the tidy long table; every period Definitief unless ``status``
    names another for a period."""
    df = pd.DataFrame(rows, columns=["measure", "period", "value"])
    df["value_attribute"] = "None"
    df["table_id"] = table
    df["period_status"] = [(status or {}).get(p, "Definitief") for p in df["period"]]
    return add_period_columns(df)


def meta(table="T1", title="Tabel", **measures):
    """A table's metadata as tidy writes it; ``measures``: code -> (unit, decimals), titled by their code."""
    return {
        "table_id": table, "title": title, "snapshot_id": "20260601T000000Z-00000000",
        "retrieved_at": "2026-06-01T00:00:00Z", "raw_files": {},
        "measures": {k: {"title": k, "unit": u, "decimals": d} for k, (u, d) in measures.items()},
    }  # fmt: skip


# "De prijzen zijn bijna verdubbeld" ("bijna verdubbeld" admits 1,9 up to 2), about August 2023, and a
# table that gives 1,80 for that month: a whole step (0,1) below the band, a miss and not a rounding gap
CURRENT = [("M1", "2023MM08", 1.8), ("M1", "2026MM05", 2.36)]


def trough_claim(**kw):
    return {
        "id": "t_verdubbeld", "title": "Verdubbeld", "quote": "De prijzen zijn bijna verdubbeld.",
        "wording": "bijna verdubbeld", "value": 2.0, "unit": "keer", "period": "2023MM08", "source": "T1",
        "metric": {"kind": "value", "measure": "M1", "period_kind": "MM"}, **kw,
    }  # fmt: skip
