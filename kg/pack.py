"""Release packs: one file that carries a release from the root it was built in to
another (a replica's), byte for byte, so that both serve the same answers under the
same ETags.

A pack is a plain tar, written in this order::

    normgraph-pack.sha256    SHA-256 of the next member, in hex
    normgraph-pack.json      {"format", "version", "release", "files": [{path, size, sha256}]}
    release/<path>           every file of the release directory, in the index's order

Pulling reads it as a stream (a file, stdin or an HTTP download): the index is checked
against its checksum before anything else, every file against its size and checksum
as it is unpacked into a staging directory under the release root's write lock, and
only when all of them are there and right is the directory renamed and `current`
switched, with the same atomic rename a build uses (kg.release). A pack that is
damaged, truncated, not a pack, names a path outside the release, or carries a
release id this root already holds with other content is refused and leaves the
root as it was.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import sys
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from kg.errors import NormgraphError
from kg.progress import Progress
from kg.release import MANIFEST, Finalizer, Manifest, Release, Releases

FORMAT, VERSION = "normgraph-pack", 1
CHECKSUM_MEMBER, INDEX_MEMBER, PREFIX = "normgraph-pack.sha256", "normgraph-pack.json", "release/"
MEDIA_TYPE = "application/x-tar"
CHUNK = 1 << 20
BLOCK = tarfile.BLOCKSIZE
# a release id is one directory name: no separators, no leading dot (staging dirs have one)
RELEASE_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.-]{0,127}")


class PackError(NormgraphError):
    """A pack that cannot be installed: damaged, truncated, not a pack, or in conflict."""


@dataclass(frozen=True)
class PackedFile:
    path: str  # relative to the release directory, with "/"
    size: int
    sha256: str


@dataclass(frozen=True)
class PackIndex:
    release_id: str
    files: tuple[PackedFile, ...]

    def to_bytes(self) -> bytes:
        files = [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files]
        document = {"format": FORMAT, "version": VERSION, "release": self.release_id}
        return (json.dumps({**document, "files": files}, indent=1) + "\n").encode()

    @property
    def bytes(self) -> int:
        return sum(f.size for f in self.files)


# ---------------------------------------------------------------- writing
@lru_cache(maxsize=8)
def index_release(path: Path) -> PackIndex:
    """Every regular file of a committed release with its size and SHA-256 (a release
    never changes, so a worker that serves its pack reads it once)."""
    manifest = Manifest.read(path / MANIFEST)
    files = []
    for file in sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink()):
        files.append(PackedFile(file.relative_to(path).as_posix(), *_size_and_sha256(file)))
    return PackIndex(manifest.release_id, tuple(files))


def _size_and_sha256(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _header(name: str, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, 0  # same release, same bytes
    return info.tobuf(format=tarfile.PAX_FORMAT)


def _padding(size: int) -> bytes:
    return b"\0" * (-size % BLOCK)


def _small_members(index: PackIndex) -> list[tuple[str, bytes]]:
    document = index.to_bytes()
    return [
        (CHECKSUM_MEMBER, hashlib.sha256(document).hexdigest().encode() + b"\n"),
        (INDEX_MEMBER, document),
    ]


def pack_size(index: PackIndex) -> int:
    """The length of the pack :func:`pack_chunks` writes (for Content-Length)."""
    total = 2 * BLOCK  # end of archive
    for name, data in _small_members(index):
        total += len(_header(name, len(data))) + len(data) + len(_padding(len(data)))
    for f in index.files:
        total += len(_header(PREFIX + f.path, f.size)) + f.size + len(_padding(f.size))
    return total


def pack_chunks(release: Release, index: PackIndex) -> Iterator[bytes]:
    """The pack of ``release``, as a stream: nothing is staged on disk or held in memory."""
    for name, data in _small_members(index):
        yield _header(name, len(data)) + data + _padding(len(data))
    for f in index.files:
        yield _header(PREFIX + f.path, f.size)
        written = 0
        with open(release.path / f.path, "rb") as handle:
            while written < f.size and (chunk := handle.read(min(CHUNK, f.size - written))):
                written += len(chunk)
                yield chunk
        if written != f.size:  # a release never changes; if this one did, say so
            raise PackError(f"{release.path / f.path} changed while it was being packed")
        yield _padding(f.size)
    yield b"\0" * (2 * BLOCK)


def write_pack(release: Release, target: BinaryIO, progress: Progress) -> int:
    """Write the pack of ``release`` to ``target``; returns its size in bytes."""
    with progress.step(f"indexing release {release.id}") as step:
        index = index_release(release.path)
        step.done(f"{len(index.files)} files, {index.bytes:,} bytes")
    meter = Meter(progress, "packed", pack_size(index))
    for chunk in pack_chunks(release, index):
        target.write(chunk)
        meter.add(len(chunk))
    meter.finish()
    return meter.done


# ---------------------------------------------------------------- reading
class Meter:
    """Bytes done so far, one line every few seconds (and one at the end)."""

    EVERY_S = 2.0

    def __init__(self, progress: Progress, verb: str, total: int | None) -> None:
        self.progress, self.verb, self.total = progress, verb, total
        self.done, self.last = 0, time.monotonic()

    def add(self, count: int) -> None:
        self.done += count
        if time.monotonic() - self.last >= self.EVERY_S:
            self.say()

    def say(self) -> None:
        of = f" of {self.total / 1e6:,.1f}" if self.total else ""
        self.progress.say(f"{self.verb} {self.done / 1e6:,.1f}{of} MB")
        self.last = time.monotonic()

    def finish(self) -> None:
        self.say()


class _Counting:
    """A read-only stream that tells a meter how much has been read."""

    def __init__(self, raw: BinaryIO, meter: Meter) -> None:
        self.raw, self.meter = raw, meter

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.meter.add(len(data))
        return data


@dataclass
class Source:
    name: str  # as the user wrote it, for messages
    stream: BinaryIO
    size: int | None

    def close(self) -> None:
        if self.stream is not sys.stdin.buffer:
            self.stream.close()


def open_source(spec: str, timeout: float = 60) -> Source:
    """A pack to read: an http(s) URL, a file, or ``-`` for stdin."""
    if spec == "-":
        return Source("stdin", sys.stdin.buffer, None)
    if re.match(r"https?://", spec, re.IGNORECASE):
        try:
            response = urllib.request.urlopen(spec, timeout=timeout)
        except urllib.error.HTTPError as error:
            raise PackError(f"cannot download {spec}: HTTP {error.code} {error.reason}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise PackError(f"cannot download {spec}: {reason}") from None
        length = response.headers.get("Content-Length")
        return Source(spec, response, int(length) if length and length.isdigit() else None)
    path = Path(spec)
    try:
        return Source(spec, open(path, "rb"), path.stat().st_size)
    except OSError as error:
        raise PackError(f"cannot read {spec}: {error.strerror}") from None


def pull(
    source: Source,
    releases: Releases,
    progress: Progress,
    keep: int = 3,
    finalize: Finalizer | None = None,
) -> Release:
    """Install the pack ``source`` reads into ``releases`` and make it current; see the
    module's docstring for what is checked, and when. ``finalize`` (the build's
    publishing to an external engine) runs on the verified release before `current`
    moves, as it does for a build."""
    meter = Meter(progress, "read", source.size)
    with _open_tar(source, meter) as tar, releases.stage() as stage:
        try:
            members = iter(tar)
            index = _read_index(source.name, tar, members)
            existing = releases.releases_dir / index.release_id
            if existing.exists():
                return _reinstall(releases, existing, index, source.name, progress, keep, finalize)
            progress.say(
                f"release {index.release_id}: {len(index.files)} files, {index.bytes:,} bytes"
            )
            _unpack(source.name, tar, members, index, stage.path)
        except (tarfile.TarError, EOFError, http.client.HTTPException) as error:
            raise PackError(f"{source.name} is truncated or damaged: {error!r}") from None
        except OSError as error:  # reading a URL, or writing the staging directory
            raise PackError(f"cannot install {source.name}: {error}") from None
        meter.finish()
        manifest = _manifest(source.name, stage.path / MANIFEST)
        if manifest.release_id != index.release_id:
            raise PackError(
                f"{source.name}: its index names release {index.release_id} but its "
                f"manifest.json names {manifest.release_id}"
            )
        if finalize is not None:
            finalize(stage.path, manifest, None, progress)
        release = stage.install(manifest, keep)
    progress.say(f"current -> {release.id}")
    return release


def _manifest(name: str, path: Path) -> Manifest:
    try:
        return Manifest.read(path)
    except (ValueError, TypeError) as error:
        raise PackError(f"{name}: its {MANIFEST} is not a release manifest ({error})") from None


def _open_tar(source: Source, meter: Meter) -> tarfile.TarFile:
    try:
        return tarfile.open(fileobj=_Counting(source.stream, meter), mode="r|")
    except (tarfile.TarError, EOFError, OSError, http.client.HTTPException) as error:
        raise PackError(
            f"{source.name} is not a normgraph pack (not a tar archive: {error})"
        ) from None


def _read_index(name: str, tar: tarfile.TarFile, members: Iterator) -> PackIndex:
    checksum = _small(name, tar, next(members, None), CHECKSUM_MEMBER).decode().strip()
    document = _small(name, tar, next(members, None), INDEX_MEMBER)
    if hashlib.sha256(document).hexdigest() != checksum:
        raise PackError(f"{name}: {INDEX_MEMBER} does not match its checksum (damaged pack)")
    try:
        data = json.loads(document)
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise PackError(
                f"{name}: {INDEX_MEMBER} is not a {FORMAT} of version {VERSION} "
                f"(it says {data.get('format')!r} version {data.get('version')!r})"
            )
        files = tuple(PackedFile(f["path"], int(f["size"]), f["sha256"]) for f in data["files"])
        release_id = data["release"]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PackError(f"{name}: {INDEX_MEMBER} is not a pack index ({error})") from None
    if not isinstance(release_id, str) or not RELEASE_ID.fullmatch(release_id):
        raise PackError(f"{name}: {release_id!r} is not a release id")
    for f in files:
        _check_path(name, f.path)
    if MANIFEST not in {f.path for f in files}:
        raise PackError(f"{name}: the pack holds no {MANIFEST}, so it is no release")
    return PackIndex(release_id, files)


def _small(name: str, tar: tarfile.TarFile, member: tarfile.TarInfo | None, want: str) -> bytes:
    if member is None or member.name != want or not member.isreg() or member.size > 1 << 26:
        got = "nothing" if member is None else repr(member.name)
        raise PackError(f"{name} is not a normgraph pack (expected {want!r}, found {got})")
    return tar.extractfile(member).read()


def _check_path(name: str, path: str) -> None:
    """A path inside the release directory, and nothing else (no traversal, no absolute)."""
    parts = PurePosixPath(path).parts
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or "\0" in path
        or any(part in ("", ".", "..") for part in parts)
        or PurePosixPath(*parts).as_posix() != path
    ):
        raise PackError(f"{name}: refusing the path {path!r}, which leads outside the release")


def _unpack(
    name: str, tar: tarfile.TarFile, members: Iterator, index: PackIndex, target: Path
) -> None:
    expected = {PREFIX + f.path: f for f in index.files}
    for member in members:
        f = expected.pop(member.name, None)
        if f is None:
            raise PackError(
                f"{name}: refusing the member {member.name!r}, which its index does not list"
            )
        if not member.isreg():
            raise PackError(f"{name}: refusing {member.name!r}, which is not a regular file")
        path = target / f.path
        path.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        source = tar.extractfile(member)
        with open(path, "xb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        if size != f.size or digest.hexdigest() != f.sha256:
            raise PackError(f"{name}: {f.path} does not match its checksum (damaged pack)")
    if expected:
        missing = ", ".join(sorted(m.removeprefix(PREFIX) for m in expected)[:3])
        raise PackError(f"{name} is truncated: {len(expected)} file(s) missing ({missing} ...)")


def _reinstall(
    releases: Releases,
    existing: Path,
    index: PackIndex,
    name: str,
    progress: Progress,
    keep: int,
    finalize: Finalizer | None,
) -> Release:
    """A release this root holds already: switch to it if it is the same, else refuse."""
    mine = index_release(existing)
    if mine != index:
        theirs = {f.path: f for f in index.files}
        ours = {f.path: f for f in mine.files}
        differs = sorted(p for p in theirs.keys() | ours.keys() if theirs.get(p) != ours.get(p))
        raise PackError(
            f"{name}: release {index.release_id} already exists in {releases.releases_dir}/ "
            f"with different content ({', '.join(differs[:3])} differ); nothing was changed"
        )
    progress.say(f"release {index.release_id} is here already, with the same content")
    if finalize is not None:  # the engine may have dropped it since
        finalize(existing, _manifest(name, existing / MANIFEST), None, progress)
    return releases.switch_to(existing, keep)
