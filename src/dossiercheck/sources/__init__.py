"""The kinds of source: one module each (cbs_odata4, cbs_odata3, cbs_bulk_csv, files, manual), with one
interface: ``fetch`` a snapshot, ``read`` it into the long table, ``describe`` its measures and codes.
Sources know nothing of claims."""

from __future__ import annotations


def source_classes() -> dict[str, type]:
    """Every kind of source by its ``kind`` (imported when asked for: a fetch needs no pandas)."""
    from dossiercheck.sources.cbs_bulk_csv import BulkCsvSource
    from dossiercheck.sources.cbs_odata3 import Odata3Source
    from dossiercheck.sources.cbs_odata4 import Odata4Source
    from dossiercheck.sources.files import FileSource
    from dossiercheck.sources.manual import ManualSource

    return {cls.kind: cls for cls in (Odata4Source, Odata3Source, BulkCsvSource, FileSource, ManualSource)}
