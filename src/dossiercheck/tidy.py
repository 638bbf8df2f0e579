"""The frame helpers every kind of source reads its snapshot with, into the tidy long table.

Every kind of source ends in the same shape (``schemas.tidy.TidyTable``): table id, measure, one column
per dimension (padding stripped here, once), period code, kind, start and status, value and
ValueAttribute. Titles of measures and codes go to a separate lookup (the ``.meta.json``).
The rule ``tidy_source`` and the dispatch on a snapshot's kind live in ``sources/tidying.py``: this
module imports nothing from sources/, which import from it.
"""

from __future__ import annotations

import functools
import io
import logging
import operator
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import orjson
import pandas as pd
import pyarrow

from dossiercheck.errors import SnapshotError
from dossiercheck.periods import STATUS_CANONICAL, UNKNOWN_STATUS, period_parts
from dossiercheck.schemas.tidy import FIXED_COLUMNS, TidyTable

log = logging.getLogger(__name__)

# What a v3 UntypedDataSet cell symbol means, in the v4 ValueAttribute vocabulary (CBS "verklaring van
# tekens"): blank = cannot occur (Impossible), "." = unknown (NotAvailable), "x" = secret (Confidential).
# "-" means "nihil", zero: it becomes the value 0.


def load_values(path: Path) -> list[dict[str, Any]]:
    try:
        return orjson.loads(path.read_bytes())["value"]
    except (orjson.JSONDecodeError, KeyError, TypeError) as e:
        raise SnapshotError(f"{path}: not an OData collection with a 'value' list ({e}).") from e


def strip_distinct(s: pd.Series, other: Callable[[Any], Any]) -> pd.Series:
    """``s`` with every text stripped of padding, done once per distinct value (a column of codes has few
    of them) and spread back over the rows; ``other`` maps a value that is not text; nulls stay null."""
    idx, uniques = pd.factorize(s, use_na_sentinel=True)
    done = [u.strip() if isinstance(u, str) else other(u) for u in uniques]
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object and done == list(uniques):
        return s  # already pandas text and nothing padded
    if all(isinstance(d, str) for d in done):  # pandas' own text dtype, which pandera checks fastest
        return pd.Series(pd.array(done, dtype="str").take(idx, allow_fill=True), index=s.index)
    # a column of mixed values stays object; index -1 (a null) takes the None at the end
    return pd.Series(np.array([*done, None], dtype=object)[idx], index=s.index, dtype=object)


def per_distinct(s: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """``fn`` of every value of ``s``, called once per distinct value (nulls included) and spread back over
    the rows, as objects: a column of a hundred thousand cells often holds a few hundred values."""
    idx, uniques = pd.factorize(s, use_na_sentinel=False)
    return pd.Series(np.array([fn(u) for u in uniques], dtype=object)[idx], index=s.index, dtype=object)


# Pages are parsed together up to this size: Arrow splits its input into blocks of 1 MB parsed in
# parallel, so a CBS v3 page (10,000 rows, about 1 MB) read alone keeps one core busy and pays the
# call's set-up once per page. A v4 page (100,000 rows) is read on its own.
BATCH_BYTES = 8 << 20


def read_columns(
    paths: list[Path], fields: list[str], types: dict[str, pyarrow.DataType] | None = None
) -> pd.DataFrame:
    """The rows of a paged OData collection, parsed straight into one column per field. Other fields are
    skipped. A field no row has is left out (a $select leaves out the topics not asked for); a field only
    some rows lack is null there, for the raw schema to report. ``types`` gives the Arrow type a field
    should have; a page where it does not fit is read as what it holds.

    Page by page, and columnar where it can be: msgspec checks the page is an OData collection and
    hands back each row's bytes untouched (no Python object per cell); the rows, one per line, go to
    Arrow's JSON reader, which parses them into typed columns in C++ (``_arrow_page``). A page Arrow
    refuses (a value of another type, a field typed by nobody) is read the slow way, into Python values
    (``_python_page``), so the raw schema can say what is wrong."""
    rows_of = msgspec.json.Decoder(msgspec.defstruct("RawPage", [("value", list[msgspec.Raw])], gc=False))
    chunks: dict[str, list[pyarrow.Array | list[Any]]] = {f: [] for f in fields}
    types = types or {}
    seen: set[str] = set()
    batch: list[tuple[Path, bytes, list[msgspec.Raw]]] = []

    def flush() -> None:
        """Parse the pages read so far: together when Arrow takes them all (one call, threads at work
        on small pages too), else page by page, each the fast way or the slow one."""
        rows = [r for _, _, page_rows in batch for r in page_rows]
        multiline = any(b"\n" in body for _, body, _ in batch)
        columns = _arrow_page(rows, fields, types, multiline) if len(batch) > 1 else None
        parsed = [columns] if columns is not None else [
            _arrow_page(page_rows, fields, types, b"\n" in body) or _python_page(path, body, fields, types)
            for path, body, page_rows in batch
        ]  # fmt: skip
        batch.clear()
        del rows
        _give_back()
        for columns in parsed:
            for f in fields:
                chunks[f].extend(columns[f])

    for path in paths:
        body = path.read_bytes()
        try:
            rows = rows_of.decode(body).value
        except msgspec.DecodeError as e:
            raise SnapshotError(f"{path}: not an OData collection with a 'value' list ({e}).") from e
        seen.update(f for f in fields if f not in seen and _key(f).search(body))
        batch.append((path, body, rows))
        del body, rows
        if sum(len(b) for _, b, _ in batch) >= BATCH_BYTES:
            flush()
    flush()
    present = {}
    for f, parts in chunks.items():
        column = _column(parts) if f in seen else None
        if column is not None:
            present[f] = column
    return pd.DataFrame(present)


def _give_back() -> None:
    """Hand the memory of the page just read back to the operating system (glibc keeps freed blocks
    for reuse, and a page's bytes are freed in pieces it does not return), so a million-row table's
    peak stays near its columns, not its columns plus the pages read. A no-op without glibc."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return None


@functools.cache
def _key(field: str) -> re.Pattern[bytes]:
    """``"field":`` as JSON writes a key (a string followed by a colon is never a value): whether a page
    holds the field at all, without parsing it."""
    return re.compile(b'"' + re.escape(field.encode()) + rb'"\s*:')


def _arrow_page(
    rows: list[msgspec.Raw], fields: list[str], types: dict[str, pyarrow.DataType], multiline: bool
) -> dict[str, list[pyarrow.Array]] | None:
    """The page's rows parsed by Arrow into typed arrays per field (a row without the field: null),
    or None where Arrow cannot: a field without a type (Arrow would guess, and guesses dates), a value
    of another type, a row that is not an object."""
    import pyarrow.json

    if any(f not in types for f in fields):
        return None
    if not rows:
        return {f: [pyarrow.array([], type=types[f])] for f in fields}
    options = pyarrow.json.ParseOptions(
        explicit_schema=pyarrow.schema([(f, types[f]) for f in fields]),
        unexpected_field_behavior="ignore",
        newlines_in_values=multiline,  # a row spread over lines (pretty-printed JSON)
    )
    try:
        table = pyarrow.json.read_json(
            io.BytesIO(b"\n".join(rows)), parse_options=options, memory_pool=pyarrow.system_memory_pool()
        )
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):
        return None
    return {f: table.column(f).chunks for f in fields}  # Arrow's blocks, not copied into one


def _python_page(
    path: Path, body: bytes, fields: list[str], types: dict[str, pyarrow.DataType]
) -> dict[str, list[pyarrow.Array | list[Any]]]:
    """The page's rows as Python values: msgspec decodes them into small structs (no dicts, no
    garbage-collector tracking), and each field becomes an Arrow array where its values share one type,
    else stays a list of what it holds (msgspec.UNSET where a row lacks the field)."""
    row = msgspec.defstruct("Row", [(f, Any, msgspec.UNSET) for f in fields], gc=False)
    decoder = msgspec.json.Decoder(msgspec.defstruct("Page", [("value", list[row])], gc=False))
    try:
        rows = decoder.decode(body).value
    except msgspec.DecodeError as e:
        raise SnapshotError(f"{path}: not an OData collection of rows ({e}).") from e
    columns: dict[str, list[pyarrow.Array | list[Any]]] = {}
    for f in fields:
        values = list(map(operator.attrgetter(f), rows))
        try:  # the common case: one type (and nulls) in the page
            columns[f] = [pyarrow.array(values, type=types.get(f))]
        except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):  # fields left out, or mixed types
            columns[f] = [values]
    return columns


def _column(parts: list[pyarrow.Array | list[Any]]) -> pd.Series | None:
    """One column from its pages: Arrow arrays of one type (a page of nulls takes the others' type) go to
    pandas as they are; anything else is spelled out as Python values, typed by pyarrow where it can, or
    kept as objects when the values mix types, for the raw schema to report. None: no row has the field."""
    typed = {p.type for p in parts if isinstance(p, pyarrow.Array) and p.type != pyarrow.null()}
    if all(isinstance(p, pyarrow.Array) for p in parts) and len(typed) <= 1:
        kind = typed.pop() if typed else pyarrow.null()
        parts = [p if p.type == kind else p.cast(kind) for p in parts]
        return pyarrow.chunked_array(parts, type=kind).to_pandas()
    values = [v for p in parts for v in (p.to_pylist() if isinstance(p, pyarrow.Array) else p)]
    missing = values.count(msgspec.UNSET)
    if values and missing == len(values):
        return None
    if missing:
        values = [None if v is msgspec.UNSET else v for v in values]
    try:
        return pyarrow.array(values).to_pandas()
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):
        return pd.Series(values, dtype=object)


def pages(manifest: dict[str, Any], stem: str) -> list[str]:
    """Names of a paged response's files in page order: X.json, X.0002.json, X.0003.json, ..."""
    names = [
        f["name"]
        for f in manifest["files"]
        if f["name"] == f"{stem}.json" or f["name"].startswith(f"{stem}.0")
    ]
    return sorted(names, key=lambda n: (n != f"{stem}.json", n))


class _Codes:
    """A column of codes as integer positions into its distinct values, stripped of padding once each
    (a column of codes has few of them)."""

    def __init__(self, s: pd.Series):
        self.original = s
        self.idx, uniques = pd.factorize(s, use_na_sentinel=True)
        self.texts = [u.strip() if isinstance(u, str) else str(u) for u in uniques]
        # already text without padding: the column can be used as it is
        self.clean = str(s.dtype) == "str" and self.texts == list(uniques)
        self.has_null = bool(len(self.idx)) and (self.idx < 0).any()

    def rank(self) -> np.ndarray:
        """Each row's rank among the distinct values (nulls last), made when sorting and dropped after."""
        rank = np.empty(len(self.texts) + 1, dtype=np.int64)
        rank[np.argsort(np.array(self.texts, dtype=object), kind="stable")] = np.arange(len(self.texts))
        rank[-1] = len(self.texts)  # index -1 (a null) sorts last
        return rank[self.idx]

    def column(self, order: np.ndarray | None) -> pd.Series:
        if self.clean and order is None:
            return self.original.reset_index(drop=True)
        idx = self.idx if order is None else self.idx[order]
        return pd.Series(pd.array(self.texts, dtype="str").take(idx, allow_fill=True))


def long_frame(
    table_id: str, obs: pd.DataFrame, dims: list[str], status: dict[str, str], time_dim: str
) -> pd.DataFrame:
    """The tidy table from raw long rows with columns ``Measure``, the dimensions, the time dimension,
    ``Value`` and ``ValueAttribute``; ``status`` maps each period code to its CBS Status. Rows come out
    sorted by measure, dimensions and period. Each key column is factorized once: its distinct values are
    stripped, ranked for the sort, and, for the period, looked up (kind, start, status); every output
    column is then one take in sorted order."""
    keys = [_Codes(obs[c]) for c in ["Measure", *dims, time_dim]]
    order = np.lexsort([k.rank() for k in keys][::-1])
    if (order[1:] > order[:-1]).all():  # already in order (the usual case for CBS's own paging)
        order = None
    df = pd.DataFrame({"table_id": pd.Series(pd.array([table_id], dtype="str").repeat(len(obs)))})
    for name, key in zip(["measure", *dims, "period"], keys, strict=True):
        df[name] = key.column(order)
    period = keys[-1]
    pidx = period.idx if order is None else period.idx[order]
    if period.has_null:
        raise SnapshotError(
            f"Table {table_id}: some observations have no {time_dim}, so they cannot be placed in time. "
            "Fetch the table again; if it persists, report it with the raw file."
        )
    kinds, starts = period_parts(period.texts)
    df["period_kind"] = pd.Series(kinds.take(pidx))
    df["period_start"] = pd.Series(starts.take(pidx))
    canonical = {k.strip(): STATUS_CANONICAL.get(v, v) for k, v in status.items()}
    found = [canonical.get(p) for p in period.texts]
    unknown = sorted(p for p, s in zip(period.texts, found, strict=True) if s is None)
    if unknown:
        log.warning(
            "%s: periods %s appear in the data but not in the %s code list, so their status (definitive or "
            "provisional) is unknown; they are marked %s and flagged in the reports.",
            table_id,
            ", ".join(unknown[:12]) + (f" … ({len(unknown)} in all)" if len(unknown) > 12 else ""),
            time_dim,
            UNKNOWN_STATUS,
        )
    df["period_status"] = pd.Series(
        pd.array([UNKNOWN_STATUS if s is None else s for s in found], dtype="str").take(pidx)
    )
    value = pd.to_numeric(obs["Value"], errors="coerce").astype(float).to_numpy()
    attr = obs["ValueAttribute"].fillna("None").astype(str).array
    df["value"] = value if order is None else value[order]
    df["value_attribute"] = pd.Series(attr if order is None else attr.take(order))
    df = df[[*FIXED_COLUMNS[:2], *dims, *FIXED_COLUMNS[2:]]]
    # Validated by the caller (validate.py), which reports every failing check in plain words.
    return df


def one_time_dimension(table_id: str, found: list[str]) -> str:
    if len(found) != 1:
        raise SnapshotError(
            f"CBS table {table_id}: expected one time dimension, found {found or 'none'}. The tidy table needs "
            "a period for every value; tables without one cannot be used for claims."
        )
    return found[0]


def empty_table() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=str) for c in FIXED_COLUMNS})
    df["period_start"] = pd.Series(dtype="datetime64[ns]")
    df["value"] = pd.Series(dtype=float)
    return TidyTable.validate(df)
