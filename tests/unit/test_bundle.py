"""The snapshots shipped with the code (data/bundle/): made from the snapshots in use, restored byte for byte
and checked, used by the fetch without a network on a fresh clone, and only as a fallback on a refresh.
Snapshots are written here with the fetch's own writer; every expected origin follows from how the file
was made in the test."""

from __future__ import annotations

import gzip
import io
import json
import zipfile

import pytest
from helpers.fetching import FAST

from dossiercheck import snapshot
from dossiercheck.bundle import INDEX, BundleError, make_bundle, read_recordings, restore
from dossiercheck.fetch import fetch_source
from dossiercheck.snapshot import SnapshotWriter, verify, write_pointer

CSV = b"Perioden,M1\n2023MM08,1.92\n"
RECORDED = b"Perioden,M1\n2023MM08,1.80\n"  # the recordings index lists this one
SOURCES = {
    "T1": {"kind": "file", "url": "http://127.0.0.1:9/t1.csv"},
    "Z1": {"kind": "file", "url": "http://127.0.0.1:9/z1.zip"},
    "M1": {"kind": "manual"},
    "P1": {"kind": "file", "url": "https://www.cbs.nl/p1.csv"},
}


def take(raw, source, kind, files, monkeypatch, when="2026-07-02T12:00:00Z"):
    """A snapshot of ``source`` with ``files`` (name -> (bytes, url)), and the pointer naming it."""
    monkeypatch.setattr(snapshot, "utc_now", lambda: when)
    with SnapshotWriter(raw / source, source, kind) as w:
        for name, (body, url) in files.items():
            w.add(name, body, url=url, data=True)
        w.table_meta = {"table_id": source}
        snap = w.commit()
    write_pointer(raw / source / "current.json", snap, reused=False)
    return snap


def zipped(**members: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


@pytest.fixture
def raw(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    snaps = {
        "T1": take(raw, "T1", "file", {"t1.csv": (CSV, "http://127.0.0.1:8000/t1.csv")}, monkeypatch),
        "Z1": take(raw, "Z1", "file", {"z1.zip": (zipped(**{"a.csv": RECORDED}), "http://127.0.0.1:8000/z")}, monkeypatch),
        "M1": take(raw, "M1", "manual", {"figures.json": (b'{"figures": []}', None)}, monkeypatch),
        "P1": take(raw, "P1", "file", {"p1.csv": (RECORDED, "https://www.cbs.nl/p1.csv")}, monkeypatch),
    }  # fmt: skip
    recordings = tmp_path / "FILES.tsv"
    sha = snapshot.sha256_bytes(RECORDED)
    recordings.write_text(
        "path\torigin (public repository and path)\twhat it is\tbytes\tsha256\n"
        f"x/p1.csv\tgithub.com/someone/rec p1.csv\tGET https://www.cbs.nl/p1.csv\t{len(RECORDED)}\t{sha}\n"
    )
    return raw, snaps, recordings


def test_a_bundle_keeps_each_snapshot_and_says_where_each_file_came_from(tmp_path, raw):
    raw_root, snaps, recordings = raw
    bundle = tmp_path / "bundle"
    payload = make_bundle(raw_root, bundle, SOURCES, recordings=recordings)
    index = json.loads((bundle / INDEX).read_text())
    assert index == payload and sorted(index["sources"]) == ["M1", "P1", "T1", "Z1"]
    t1 = index["sources"]["T1"]
    assert t1["snapshot_id"] == snaps["T1"].name and t1["retrieved_at"] == "2026-07-02T12:00:00Z"
    (f,) = t1["files"]
    # a CSV is stored gzipped; its bytes come back exactly
    assert (f["name"], f["stored"], f["bytes"]) == ("t1.csv", "t1.csv.gz", len(CSV))
    assert gzip.decompress((bundle / "T1" / snaps["T1"].name / "t1.csv.gz").read_bytes()) == CSV
    # served by the local test server and not in the recordings: a stand-in, said plainly
    assert f["origin"]["how"] == "stand-in"
    # the same bytes as a recorded file: recorded, with who recorded it and which request it answered
    p1 = index["sources"]["P1"]["files"][0]["origin"]
    assert p1 == {
        "how": "recorded", "recorded_by": "github.com/someone/rec p1.csv",
        "request": "GET https://www.cbs.nl/p1.csv", "recording": "x/p1.csv",
    }  # fmt: skip
    # a zip is stored as it is; its only member is a recorded file: re-packed
    z1 = index["sources"]["Z1"]["files"][0]
    assert z1["stored"] == "z1.zip" and z1["origin"]["how"] == "repacked"
    assert index["sources"]["M1"]["files"][0]["origin"]["how"] == "transcribed"
    # the manifest is kept verbatim
    assert (bundle / "M1" / snaps["M1"].name / "manifest.json").read_bytes() == (
        snaps["M1"] / "manifest.json"
    ).read_bytes()


def test_a_file_fetched_from_the_publisher_says_so(tmp_path, raw):
    raw_root, _, _ = raw
    payload = make_bundle(raw_root, tmp_path / "bundle", {"P1": SOURCES["P1"]})  # no recordings index
    origin = payload["sources"]["P1"]["files"][0]["origin"]
    assert origin == {"how": "fetched", "url": "https://www.cbs.nl/p1.csv", "at": "2026-07-02T12:00:00Z"}


def test_an_unchanged_bundle_is_byte_identical(tmp_path, raw):
    raw_root, snaps, recordings = raw
    make_bundle(raw_root, tmp_path / "a", SOURCES, recordings=recordings)
    make_bundle(raw_root, tmp_path / "b", SOURCES, recordings=recordings)
    name = f"T1/{snaps['T1'].name}/t1.csv.gz"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()  # gzip without a time


def test_a_bundle_over_its_limit_leaves_the_old_one(tmp_path, raw):
    raw_root, _, recordings = raw
    bundle = tmp_path / "bundle"
    make_bundle(raw_root, bundle, {"T1": SOURCES["T1"]})
    before = (bundle / INDEX).read_bytes()
    with pytest.raises(BundleError, match="over its limit of 0 MB"):
        make_bundle(raw_root, bundle, SOURCES, recordings=recordings, limit=100)
    assert (bundle / INDEX).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".bundle-")) == []  # no debris


def test_nothing_to_bundle_says_what_to_run(tmp_path):
    with pytest.raises(BundleError, match="Run `make run`"):
        make_bundle(tmp_path / "raw", tmp_path / "bundle", SOURCES)


def test_restore_gives_back_the_snapshot_byte_for_byte(tmp_path, raw):
    raw_root, snaps, recordings = raw
    bundle = tmp_path / "bundle"
    make_bundle(raw_root, bundle, SOURCES, recordings=recordings)
    fresh = tmp_path / "fresh"
    for source, snap in snaps.items():
        got = restore(source, bundle, fresh)
        assert got == fresh / source / snap.name
        verify(got)
        assert sorted(p.name for p in got.iterdir()) == sorted(p.name for p in snap.iterdir())
        for p in snap.iterdir():
            assert (got / p.name).read_bytes() == p.read_bytes()
    assert restore("NOPE", bundle, fresh) is None


def test_a_damaged_bundle_is_refused_and_nothing_is_left(tmp_path, raw):
    raw_root, snaps, recordings = raw
    bundle = tmp_path / "bundle"
    make_bundle(raw_root, bundle, SOURCES, recordings=recordings)
    packed = bundle / "T1" / snaps["T1"].name / "t1.csv.gz"
    packed.write_bytes(gzip.compress(b"Perioden,M1\n2023MM08,9\n"))
    with pytest.raises(BundleError) as e:
        restore("T1", bundle, tmp_path / "fresh")
    assert "does not match its manifest" in str(e.value) and "git checkout" in str(e.value)
    assert list((tmp_path / "fresh" / "T1").iterdir()) == []


def test_recordings_index_by_sha(tmp_path, raw):
    _, _, recordings = raw
    got = read_recordings(recordings)
    assert list(got.values()) == [
        {
            "file": "x/p1.csv",
            "origin": "github.com/someone/rec p1.csv",
            "request": "GET https://www.cbs.nl/p1.csv",
        }
    ]
    assert read_recordings(tmp_path / "none.tsv") == {}


# --- the fetch and the bundle ----------------------------------------------------------------------------


def fetch(tmp_path, source, bundle, **kw):
    raw_root = tmp_path / "fresh"
    return fetch_source(
        source, SOURCES.get(source, {"kind": "file", "url": "http://127.0.0.1:9/x.csv"}), raw_root,
        raw_root / source / "current.json", base_urls={}, http=FAST, bundle_dir=bundle, **kw,
    )  # fmt: skip


def test_a_fresh_clone_starts_from_the_bundle_without_the_network(tmp_path, raw, monkeypatch):
    raw_root, snaps, recordings = raw
    bundle = tmp_path / "bundle"
    make_bundle(raw_root, bundle, SOURCES, recordings=recordings)

    def no_network(*a, **kw):
        raise AssertionError("the network was asked")

    monkeypatch.setattr("dossiercheck.fetch.make_session", no_network)
    pointer = fetch(tmp_path, "T1", bundle)
    assert pointer["snapshot_dir"] == snaps["T1"].name and pointer["bundled"] is True
    assert "shipped with the code" in pointer["note"] and "`make refresh`" in pointer["note"]
    on_disk = json.loads((tmp_path / "fresh" / "T1" / "current.json").read_text())
    assert on_disk["bundled"] is True


def test_a_refresh_asks_the_network_first_and_falls_back_on_the_bundle(tmp_path, raw):
    raw_root, snaps, recordings = raw
    bundle = tmp_path / "bundle"
    make_bundle(raw_root, bundle, SOURCES, recordings=recordings)
    # fallback: the source's URL (port 9) refuses the connection, so the bundled snapshot is used
    pointer = fetch(tmp_path, "T1", bundle, use_bundle="fallback")
    assert pointer["snapshot_dir"] == snaps["T1"].name
    assert "could not be reached" in pointer["note"]
    # never: the bundle is ignored, and with no snapshot the unreachable source stops the run
    from dossiercheck.errors import SourceUnavailable

    with pytest.raises(SourceUnavailable):
        fetch(tmp_path / "n", "T1", bundle, use_bundle="never")


def test_a_source_in_neither_the_bundle_nor_reachable_is_reported_not_fatal(tmp_path, raw):
    raw_root, _, recordings = raw
    bundle = tmp_path / "bundle"
    make_bundle(raw_root, bundle, SOURCES, recordings=recordings)
    pointer = fetch(tmp_path, "X9", bundle)  # on_unavailable "fail", but there is a bundle to build from
    assert pointer["unavailable"] is True
    # the reader's sentence is Dutch and names the source as it can (X9 is a file with no title or
    # publisher: "het bestand X9"); the exception text goes to the detail, for "Technische details"
    assert pointer["reason"] == (
        "Niet opgehaald: het bestand X9 was bij het nagerekenen niet bereikbaar en zit niet in de momentopname "
        "die met dossiercheck wordt meegeleverd. De cijfers uit deze bron zijn daarom nu niet na te rekenen; "
        "bij de volgende ophaalronde probeert dossiercheck het opnieuw."
    )
    assert "X9" in pointer["detail"] and pointer["detail"] not in pointer["reason"]


def test_an_unknown_bundle_mode_is_refused(tmp_path):
    from dossiercheck.errors import RegistryError

    with pytest.raises(RegistryError, match="use_bundle must be one of first, fallback, never"):
        fetch(tmp_path, "T1", tmp_path / "bundle", use_bundle="always")


def test_the_run_ends_by_saying_which_sources_came_from_the_bundle(tmp_path):
    from dossiercheck.logs import success_summary

    raw = tmp_path / "data" / "raw"
    for source, pointer in {
        "A1": {"bundled": True, "retrieved_at": "2026-07-02T12:00:00Z"},
        "B1": {"bundled": True, "retrieved_at": "2026-07-02T13:00:00Z"},
        "C1": {"unavailable": True, "reason": "x"},
        "D1": {"reused": False},
    }.items():
        (raw / source).mkdir(parents=True)
        (raw / source / "current.json").write_text(json.dumps(pointer))
    assert success_summary(tmp_path).splitlines() == [
        "dossiercheck: 2 source(s) come from the snapshots shipped with the code (data/bundle/, taken "
        "2026-07-02); the pages say so. `make refresh` fetches newer data.",
        "dossiercheck: 1 source(s) could not be fetched (C1); their claims say 'bron niet bereikbaar' on the pages.",
    ]
    assert success_summary(tmp_path / "elsewhere") == ""


def test_a_failed_fetch_reads_as_one_dutch_sentence_per_cause():
    """The three causes, for a CBS table as sources.yaml names it; written out by hand from the entry."""
    from dossiercheck.fetch import unavailable_nl

    entry = {"publisher": "CBS", "table_id": "83843NED", "kind": "cbs_odata4"}
    assert unavailable_nl("83843NED", entry, "unreachable") == (
        "Niet opgehaald: CBS-tabel 83843NED was bij het nagerekenen niet bereikbaar. De cijfers uit deze bron "
        "zijn daarom nu niet na te rekenen; bij de volgende ophaalronde probeert dossiercheck het opnieuw."
    )
    assert unavailable_nl("83843NED", entry, "unreachable_not_bundled").startswith(
        "Niet opgehaald: CBS-tabel 83843NED was bij het nagerekenen niet bereikbaar en zit niet in de "
        "momentopname die met dossiercheck wordt meegeleverd. "
    )
    assert unavailable_nl("83843NED", entry, "not_found") == (
        "Niet opgehaald: CBS heeft tabel 83843NED niet (meer) op het adres dat dossiercheck kent. De cijfers "
        "uit die tabel zijn nu niet na te rekenen; staat de tabel onder een nieuw nummer online, dan moet dat "
        "nummer in de bronnenlijst worden aangepast."
    )
