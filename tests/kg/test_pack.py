"""Release packs (kg/pack.py): a round trip gives the release byte for byte, and every
kind of bad pack is refused with its reason, leaving the release root as it was."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from kg.pack import (
    CHECKSUM_MEMBER,
    INDEX_MEMBER,
    PREFIX,
    PackError,
    Source,
    index_release,
    pull,
    write_pack,
)
from kg.progress import silent
from kg.release import MANIFEST, Releases

from ..conftest import copy_release, run_cli


@pytest.fixture(scope="module")
def packed(release_root: Path) -> tuple[bytes, str]:
    """The shared release's pack and its id."""
    release = Releases(release_root).current()
    out = io.BytesIO()
    write_pack(release, out, silent())
    return out.getvalue(), release.id


def _source(data: bytes, name: str = "test.pack") -> Source:
    return Source(name, io.BytesIO(data), len(data))


def _pull(data: bytes, root: Path, name: str = "test.pack"):
    return pull(_source(data, name), Releases(root), silent())


def _state(root: Path) -> dict[str, str]:
    """Every path under a release root with the hash of its content (or its link target)."""
    state = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            state[key] = "-> " + str(path.readlink())
        elif path.is_file() and path.name != ".lock":
            state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def test_a_pulled_release_is_the_packed_one_byte_for_byte(packed, release_root, tmp_path):
    data, release_id = packed
    release = _pull(data, tmp_path / "replica")
    assert release.id == release_id
    assert Releases(tmp_path / "replica").current().id == release_id
    source = Releases(release_root).current().path
    assert index_release(release.path) == index_release(source)
    assert not list((tmp_path / "replica" / "releases").glob(".staging-*"))
    # the same pack again changes nothing and says so
    before = _state(tmp_path / "replica")
    assert _pull(data, tmp_path / "replica").id == release_id
    assert _state(tmp_path / "replica") == before


def test_the_same_release_gives_the_same_pack(packed, release_root):
    again = io.BytesIO()
    write_pack(Releases(release_root).current(), again, silent())
    assert again.getvalue() == packed[0]


FOREIGN = "20990101T000000Z-feedbeef"


@pytest.fixture(scope="module")
def foreign(packed) -> bytes:
    """A good pack of a release the shared root does not hold (its release, renamed)."""
    members = []
    for member, data in _members(packed[0]):
        if member.name == PREFIX + MANIFEST:
            data = json.dumps({**json.loads(data), "release_id": FOREIGN}).encode()
        members.append((member, data))
    return _craft(members, release=FOREIGN)


def test_a_pull_beside_other_releases_keeps_them(foreign, release_root, tmp_path):
    root = copy_release(release_root, tmp_path / "root")
    held = Releases(root).current().id
    assert _pull(foreign, root).id == FOREIGN
    assert [r.id for r in Releases(root).kept()] == [held, FOREIGN]
    assert Releases(root).current().id == FOREIGN


def _members(data: bytes) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return [(m, tar.extractfile(m).read() if m.isreg() else b"") for m in tar.getmembers()]


def _craft(
    members: list[tuple[tarfile.TarInfo, bytes]], reindex: bool = True, release: str | None = None
) -> bytes:
    """A tar of ``members``; with ``reindex``, the index (and its checksum) rewritten to
    list the release members as they now are, so that only what a test broke is wrong."""
    files = [(m, d) for m, d in members if m.name.startswith(PREFIX)]
    if reindex:
        index = json.loads(dict((m.name, d) for m, d in members)[INDEX_MEMBER])
        index["release"] = release or index["release"]
        index["files"] = [
            {
                "path": m.name.removeprefix(PREFIX),
                "size": len(d),
                "sha256": hashlib.sha256(d).hexdigest(),
            }
            for m, d in files
            if m.isreg()
        ]
        document = json.dumps(index).encode()
        head = [
            (CHECKSUM_MEMBER, hashlib.sha256(document).hexdigest().encode()),
            (INDEX_MEMBER, document),
        ]
        members = [(tarfile.TarInfo(n), d) for n, d in head] + files
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for member, content in members:
            if member.isreg():
                member.size = len(content)
            tar.addfile(member, io.BytesIO(content) if member.isreg() else None)
    return out.getvalue()


def _flip(data: bytes, path: str) -> bytes:
    """The pack with one byte of ``path``'s content changed (its index left as it was)."""
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = tar.getmember(PREFIX + path)
    at = member.offset_data + member.size // 2
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def _traversal(data: bytes) -> bytes:
    members = _members(data)
    evil = tarfile.TarInfo(PREFIX + "../../evil.txt")
    return _craft([*members, (evil, b"outside")])


def _unlisted(data: bytes) -> bytes:
    members = _members(data)
    crafted = _craft(members)
    extra = tarfile.TarInfo(PREFIX + "extra.txt")
    return _craft([*_members(crafted), (extra, b"not in the index")], reindex=False)


def _symlink(data: bytes) -> bytes:
    members = _members(data)
    link = tarfile.TarInfo(PREFIX + "store/link")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    return _craft([*members, (link, b"")], reindex=False)


BAD = {
    "flipped byte": (
        lambda d: _flip(d, "search/dense.faiss"),
        "search/dense.faiss does not match its checksum",
    ),
    "truncated": (lambda d: d[: len(d) // 2], "is truncated"),
    "cut after the index": (lambda d: d[:4096], "is truncated"),
    "not a tar": (lambda d: b"@prefix ex: <http://example.org/> .\n" * 50, "not a tar archive"),
    "empty": (lambda d: b"", "not a normgraph pack"),
    "a tar but no pack": (
        lambda d: _craft([(tarfile.TarInfo("notes.txt"), b"hello")], reindex=False),
        "not a normgraph pack (expected 'normgraph-pack.sha256', found 'notes.txt')",
    ),
    "index does not match its checksum": (
        lambda d: d.replace(b'"release": "', b'"release": "X', 1),
        "normgraph-pack.json does not match its checksum",
    ),
    "path traversal": (_traversal, "refusing the path '../../evil.txt'"),
    "member not in the index": (_unlisted, "which its index does not list"),
    "symlink": (_symlink, "which its index does not list"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_pack_is_refused_and_nothing_is_lost(case, foreign, release_root, tmp_path):
    mangle, reason = BAD[case]
    root = copy_release(release_root, tmp_path / "root")
    before = _state(root)
    with pytest.raises(PackError) as refused:
        _pull(mangle(foreign), root)
    assert reason in str(refused.value) and "test.pack" in str(refused.value)
    assert _state(root) == before, "the release root is as it was"
    assert not (tmp_path / "evil.txt").exists()


def test_a_release_id_held_with_other_content_is_refused(packed, release_root, tmp_path):
    root = copy_release(release_root, tmp_path / "root")
    members = [
        (m, d + b"\n" if m.name == PREFIX + "search/index.json" else d)
        for m, d in _members(packed[0])
    ]
    before = _state(root)
    with pytest.raises(PackError, match=r"already exists .* with different content"):
        _pull(_craft(members), root)
    assert _state(root) == before


def test_the_commands_round_trip_and_report_errors(packed, release_root, tmp_path):
    target = tmp_path / "out.pack"
    done = run_cli("release", "pack", "--release-dir", str(release_root), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == packed[0] and "[pack] wrote" in done.stderr
    replica = tmp_path / "replica"
    done = run_cli("release", "pull", str(target), "--release-dir", str(replica))
    assert done.returncode == 0 and done.stdout.strip() == packed[1], done.stderr
    target.write_bytes(packed[0][:100_000])
    done = run_cli("release", "pull", str(target), "--release-dir", str(tmp_path / "other"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith(f"normgraph: error: {target} is truncated")
    assert not (tmp_path / "other" / "current").exists()
    for verb in ("pack", "pull"):
        assert "usage: normgraph release " + verb in run_cli("release", verb, "--help").stdout


def test_a_pull_publishes_to_the_external_engine_before_the_switch(
    foreign, release_root, tmp_path, engines
):
    """A replica that uses an engine never serves a release its engine lacks: `release
    pull` loads the release into the engine (the build's publishing) before `current`
    moves, and answers from it at once."""
    from kg.sparql_remote import Engine, loaded_releases
    from kg.store import open_read_only

    engine = engines.get("oxigraph")
    assert FOREIGN not in loaded_releases(engine["sparql_url"])
    # the shared release kept beside it: the engine keeps what other tests load there
    replica = copy_release(release_root, tmp_path / "replica")
    env = {"NORMGRAPH_SPARQL_URL": engine["sparql_url"]}
    env["NORMGRAPH_SPARQL_LOAD"] = engine["sparql_load"]
    pack = tmp_path / "foreign.pack"
    pack.write_bytes(foreign)
    done = run_cli("release", "pull", str(pack), "--release-dir", str(replica), env=env)
    assert done.returncode == 0 and done.stdout.strip() == FOREIGN, done.stderr
    assert FOREIGN in loaded_releases(engine["sparql_url"])
    release = Releases(replica).current()
    graphs = tuple(g.value for g in open_read_only(release).named_graphs())
    on_engine = Engine(engine["sparql_url"], FOREIGN, graphs)
    asked = on_engine.run("ASK { ?s a ng:Declaration }", release.manifest.base_iri)
    assert asked.kind == "boolean" and bool(asked.value)


@pytest.mark.parametrize("held", [False, True], ids=["new release", "release held"])
def test_a_pull_the_engine_refuses_leaves_the_root_as_it_was(
    held, packed, foreign, release_root, tmp_path
):
    from kg.config import Settings
    from kg.publish import publishing
    from kg.sparql_remote import EngineUnavailable
    from tests.sparql_engines import free_port

    root = copy_release(release_root, tmp_path / "root")
    dead = f"http://127.0.0.1:{free_port()}"
    settings = Settings.load(environ={}, release_dir=root, sparql_url=f"{dead}/query",
                             sparql_load=f"gsp:{dead}/store")  # fmt: skip
    before = _state(root)
    with pytest.raises(EngineUnavailable):
        pull(
            _source(packed[0] if held else foreign),
            Releases(root),
            silent(),
            finalize=publishing(settings),
        )
    assert _state(root) == before
