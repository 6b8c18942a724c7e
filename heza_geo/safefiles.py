"""Opening untrusted uploads safely: size caps, zip archives, XML.

* Size: an upload larger than ``Limits.max_bytes`` is refused before it is parsed.
* Zip (zipped Shapefile, KMZ, XLSX): the archive's directory is checked before anything is
  read: at most ``max_members`` members, at most ``max_uncompressed`` bytes in total, no member
  compressed more than ``max_ratio`` times (zip bombs), no absolute path, ``..``, drive letter or
  symlink (path traversal), no encryption. Extraction streams each member with a hard cap (a
  member that inflates past its declared size is refused) into a fresh temporary folder.
* XML (KML): parsed with ``defusedxml`` with DTDs forbidden, so no entity is ever expanded
  (no "billion laughs") and no external entity or DTD is fetched (no XXE); only a document that
  passes is handed to GDAL's KML reader.
"""

from __future__ import annotations

import io
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException


class UnsafeFile(ValueError):
    """The upload is refused; the message says why, for the person who uploaded it."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_members: int = 200
    max_uncompressed: int = 500 * 1024 * 1024
    max_ratio: float = 200.0

    @classmethod
    def from_megabytes(cls, max_upload_mb: float) -> Limits:
        size = int(max_upload_mb * 1024 * 1024)
        return cls(max_bytes=size, max_uncompressed=max(10 * size, 10 * 1024 * 1024))


def check_size(content: bytes, limits: Limits) -> None:
    if len(content) > limits.max_bytes:
        raise UnsafeFile(f"is {len(content) / 1048576:.1f} MB; uploads are limited to {limits.max_bytes / 1048576:.0f} MB")


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in path.parts:
        return f"member '{name}' points outside the archive (path traversal); refused"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"member '{name}' is a symbolic link; refused"
    if info.flag_bits & 0x1:
        return f"member '{name}' is encrypted; upload an archive without a password"
    return None


def check_zip(content: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive, opened, after its directory passed every check; :class:`UnsafeFile` otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeFile(f"is not a readable zip archive ({exc})") from None
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UnsafeFile(f"has {len(members)} files; at most {limits.max_members} are accepted")
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise UnsafeFile(f"would expand to {total / 1048576:.0f} MB; at most {limits.max_uncompressed / 1048576:.0f} MB "
                         "are accepted (zip bomb?)")
    for member in members:
        problem = _member_problem(member)
        if problem:
            raise UnsafeFile(problem)
        if member.compress_size and member.file_size / member.compress_size > limits.max_ratio:
            raise UnsafeFile(f"member '{member.filename}' is compressed {member.file_size / member.compress_size:.0f} "
                             f"times; more than {limits.max_ratio:.0f} looks like a zip bomb")
    return archive


def extract_zip(content: bytes, folder: Path, limits: Limits) -> list[Path]:
    """Extract every checked member under ``folder`` (which must be new and empty); returns the files."""
    archive = check_zip(content, limits)
    root = folder.resolve()
    written: list[Path] = []
    budget = limits.max_uncompressed
    with archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            target = (root / member.filename.replace("\\", "/")).resolve()
            if root not in target.parents:
                raise UnsafeFile(f"member '{member.filename}' points outside the archive (path traversal); refused")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, target.open("wb") as out:
                copied = _copy_capped(source, out, min(member.file_size, budget))
            budget -= copied
            written.append(target)
    return written


def _copy_capped(source: io.BufferedIOBase, out: io.BufferedIOBase, cap: int) -> int:
    copied = 0
    while chunk := source.read(1 << 16):
        copied += len(chunk)
        if copied > cap:
            raise UnsafeFile("a member inflates beyond its declared size; refused")
        out.write(chunk)
    return copied


def read_member(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """One checked member's bytes, with the same cap as :func:`extract_zip`."""
    info = archive.getinfo(name)
    buffer = io.BytesIO()
    with archive.open(info) as source:
        _copy_capped(source, buffer, min(info.file_size, limits.max_uncompressed))
    return buffer.getvalue()


def check_xml(content: bytes) -> None:
    """Refuse XML with a DTD or entity declarations (never expanded, never fetched) or that is not well formed."""
    try:
        SafeET.fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeFile(f"declares a DTD or entities ({type(exc).__name__}); such KML is refused because "
                         "entities could read local files or expand without bound") from None
    except SafeET.ParseError as exc:
        raise UnsafeFile(f"is not well-formed XML: {exc}") from None


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
