"""The bundle the repository ships (data/bundle/): within its size, every snapshot restores to the bytes its
manifest's sha256 names, every source it holds is one the configuration knows, and its provenance is honest:
a file it calls recorded is byte for byte a file of the recordings in ../shared (cbs/FILES.tsv)."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import ROOT, shared_path

from dossiercheck.bundle import INDEX, LIMIT_BYTES, read_recordings, restore
from dossiercheck.snapshot import verify

BUNDLE = ROOT / "data" / "bundle"


@pytest.fixture(scope="module")
def index():
    if not (BUNDLE / INDEX).is_file():
        pytest.fail(f"{BUNDLE / INDEX} is missing: the repository ships its snapshots (make bundle).")
    return json.loads((BUNDLE / INDEX).read_text(encoding="utf-8"))


def test_the_bundle_fits_and_lists_only_configured_sources(index):
    on_disk = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file())
    assert on_disk <= LIMIT_BYTES, f"data/bundle is {on_disk / 1e6:.1f} MB"
    sources = yaml.safe_load((ROOT / "config" / "sources.yaml").read_text(encoding="utf-8"))
    assert set(index["sources"]) <= set(sources)
    # every folder in the bundle is listed, and nothing listed is missing
    folders = {f"{p.parent.name}/{p.name}" for p in BUNDLE.glob("*/*") if p.is_dir()}
    assert folders == {f"{s}/{e['snapshot_id']}" for s, e in index["sources"].items()}


def test_every_shipped_snapshot_restores_to_its_checksums(index, tmp_path):
    for source, entry in index["sources"].items():
        snap = restore(source, BUNDLE, tmp_path)
        manifest = verify(snap)  # raises on any byte that differs from the manifest's sha256
        assert manifest["snapshot_id"] == entry["snapshot_id"]
        assert sorted(f["sha256"] for f in manifest["files"]) == sorted(f["sha256"] for f in entry["files"])


def test_what_the_bundle_calls_recorded_is_a_recording(index):
    recordings = read_recordings(shared_path("cbs", "FILES.tsv"))
    for source, entry in index["sources"].items():
        for f in entry["files"]:
            origin = f["origin"]
            if origin["how"] == "recorded":
                assert f["sha256"] in recordings, (source, f["name"])
                assert recordings[f["sha256"]]["origin"] == origin["recorded_by"]
            else:  # never a claim of more than the evidence shows
                assert f["sha256"] not in recordings, (source, f["name"], origin["how"])
                assert origin["how"] in ("repacked", "transcribed", "fetched", "stand-in")
