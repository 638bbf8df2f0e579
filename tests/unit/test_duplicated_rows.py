"""schemas.tidy.duplicated_rows, the unique-cells check's engine, against pandas' own
``DataFrame.duplicated(keep=False)`` as the oracle, on random small frames (nulls, sorted or not)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dossiercheck.schemas.tidy import TidyTable, duplicated_rows


def test_the_same_rows_as_pandas_marks_on_random_frames():
    rng = np.random.default_rng(20261202)
    for _ in range(300):
        n = int(rng.integers(0, 25))
        df = pd.DataFrame(
            {
                "a": pd.Series(rng.choice(["x", "y", "z", None], n), dtype="str"),
                "b": pd.Series(rng.choice(["2023JJ00", "2024JJ00"], n), dtype="str"),
            }
        )
        if rng.random() < 0.5:  # a tidy table comes sorted by its keys: the path without a sort
            df = df.sort_values(["a", "b"]).reset_index(drop=True)
        expected = df.duplicated(keep=False).to_numpy()
        assert duplicated_rows([df["a"], df["b"]]).tolist() == expected.tolist(), df


def test_a_repeated_cell_fails_the_unique_cells_check_on_both_rows():
    df = pd.DataFrame(
        {
            "table_id": ["T"] * 3,
            "measure": ["M1", "M1", "M1"],
            "RegioS": ["GM0001", "GM0002", "GM0001"],  # rows 0 and 2: the same cell
            "period": ["2023JJ00"] * 3,
            "period_kind": ["JJ"] * 3,
            "period_start": pd.to_datetime(["2023-01-01"] * 3),
            "period_status": ["Definitief"] * 3,
            "value": [1.0, 2.0, 3.0],
            "value_attribute": ["None"] * 3,
        }
    )
    assert TidyTable.unique_cells(df).tolist() == [False, True, False]
