"""One-file backups of the database and the uploaded media, and their safe restore.

An archive is a tar file holding:
- manifest.json: format version, when and from what it was made, and the SHA-256 and size of
  every other member (restore refuses an archive whose members do not match);
- database.sqlite3 (SQLite online backup API: a consistent copy while the site runs) or
  database.pgdump (pg_dump custom format, restored with pg_restore in one transaction);
- media/...: every uploaded file: those under MEDIA_ROOT, or, when uploads are on object
  storage (django-storages, STORAGES["default"]), every object of the storage, downloaded
  into the archive and uploaded back by restore.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from . import invalidation

FORMAT = "mwi-backup"
VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


# --- helpers ----------------------------------------------------------------------------
def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_tool(name):
    """The newest pg_dump/pg_restore: a newer client can read older servers, not the reverse."""
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if found:
        return str(found[-1])
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(f"{name} was not found on PATH or in /usr/lib/postgresql/*/bin.")


def _pg_args(db):
    args = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # not in argv, where `ps` would show it
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return args, env


def _vendor(db):
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Database engine {engine} is not supported by backup/restore.")


def _run(command, env=None):
    # The command is a PostgreSQL client tool with arguments built from settings, not input.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:2000]}")


def _media_root():
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend != "django.core.files.storage.FileSystemStorage":
        return None
    return Path(settings.MEDIA_ROOT)


def _stored_names(storage, folder=""):
    """Every file name in a (remote) storage, walking its folders with listdir()."""
    folders, files = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(folders):
        yield from _stored_names(storage, prefix + sub)


def _download_objects(storage, into):
    """Copy every file of the object storage into the folder `into`; {member: path}."""
    members = {}
    for name in _stored_names(storage):
        if not _safe_name(name):
            raise BackupError(f"The stored file {name!r} has a name a backup cannot hold.")
        path = Path(into) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(path, "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        members[f"media/{name}"] = path
    return members


def _upload_objects(storage, archive, names):
    """Put the archive's media members back on the object storage under their own names."""
    for name in names:
        stored = name.removeprefix("media/")
        if storage.exists(stored):
            storage.delete(stored)
        with archive.extractfile(archive.getmember(name)) as handle:
            saved = storage.save(stored, File(handle, name=stored))
        if saved != stored:
            raise BackupError(f"The object storage stored {stored!r} as {saved!r}.")


# --- backup -----------------------------------------------------------------------------
def make_backup(output, alias="default"):
    """Write a backup archive to `output`; returns the manifest."""
    db = connections[alias].settings_dict
    vendor = _vendor(db)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mwi-backup-") as tmp:
        dump = Path(tmp) / DB_MEMBERS[vendor]
        if vendor == "sqlite":
            connection = connections[alias]
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                # The online backup API copies a consistent snapshot while others write.
                connection.connection.backup(target)
            target.close()
        else:
            args, env = _pg_args(db)
            _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl",
                  f"--file={dump}", *args], env)  # fmt: skip
        members = {dump.name: dump}
        media = _media_root()
        if media and media.is_dir():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                members[f"media/{path.relative_to(media).as_posix()}"] = path
        elif media is None:
            members.update(_download_objects(storages["default"], Path(tmp) / "objects"))
        recorder = MigrationRecorder(connections[alias])
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(),
            "database": vendor,
            "migrations": sorted(f"{a}.{n}" for a, n in recorder.applied_migrations()),
            "files": {
                name: {"sha256": _sha256(path), "size": path.stat().st_size}
                for name, path in members.items()
            },
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        partial.replace(output)  # never leave a half-written file under the final name
    return manifest


# --- restore ----------------------------------------------------------------------------
def _safe_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


def verify(archive_path):
    """Open and check an archive; returns (tarfile, manifest) or raises BackupError."""
    try:
        archive = tarfile.open(archive_path, "r:")  # noqa: SIM115 (returned to the caller)
        members = {m.name: m for m in archive.getmembers()}
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"{archive_path} is not a readable backup archive ({error}).") from None
    try:
        return archive, _check(archive, archive_path, members)
    except BackupError:
        archive.close()
        raise


def _check(archive, archive_path, members):
    if MANIFEST not in members:
        raise BackupError(f"{archive_path} has no {MANIFEST}: it is not an MWI backup.")
    try:
        manifest = json.load(archive.extractfile(members[MANIFEST]))
    except ValueError:
        raise BackupError(f"The manifest of {archive_path} is damaged.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{archive_path} is not an MWI backup (format {manifest.get('format')!r})."
        )
    if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('version')!r}; this MWI reads "
            f"versions up to {VERSION}. Restore it with a newer MWI."
        )
    expected = manifest.get("files", {})
    for name, member in members.items():
        if name == MANIFEST:
            continue
        if not _safe_name(name) or not member.isfile():
            raise BackupError(
                f"The archive member {name!r} is not a plain file inside the archive."
            )
        if name not in expected:
            raise BackupError(f"The archive member {name!r} is not listed in the manifest.")
    for name, facts in expected.items():
        if name not in members:
            raise BackupError(f"The archive is incomplete: {name!r} is missing.")
        digest = hashlib.sha256()
        handle = archive.extractfile(members[name])
        try:
            while block := handle.read(1 << 20):
                digest.update(block)
        except (OSError, tarfile.TarError, EOFError):
            raise BackupError(f"The archive is truncated inside {name!r}.") from None
        if digest.hexdigest() != facts.get("sha256") or members[name].size != facts.get("size"):
            raise BackupError(f"The archive is corrupt: {name!r} does not match its checksum.")
    return manifest


def restore_backup(archive_path, db=None, alias="default", restore_media=True):
    """Replace the database (and media files) with the archive's; returns the manifest.

    `db` is a DATABASES entry to restore into instead of the configured one (e.g. a scratch
    database to test a backup). Everything is verified before anything is changed.
    """
    archive, manifest = verify(archive_path)
    target = db or connections[alias].settings_dict
    vendor = _vendor(target)
    if manifest["database"] != vendor:
        raise BackupError(
            f"This backup is of a {manifest['database']} database; the target is {vendor}."
        )
    with archive, tempfile.TemporaryDirectory(prefix="mwi-restore-") as tmp:
        dump = Path(tmp) / DB_MEMBERS[vendor]
        archive.extract(DB_MEMBERS[vendor], tmp, filter="data")
        if vendor == "sqlite":
            _restore_sqlite(dump, target, alias if db is None else None)
        else:
            if db is None:
                connections[alias].close()  # hold no locks on tables pg_restore drops
            args, env = _pg_args(target)
            # One transaction: a restore that fails half-way leaves the database as it was.
            _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl",
                  "--single-transaction", "--exit-on-error", *args, str(dump)], env)  # fmt: skip
        media = _media_root() if restore_media else None
        if restore_media and media is None:
            names = [name for name in manifest["files"] if name.startswith("media/")]
            _upload_objects(storages["default"], archive, names)
        elif media is not None:
            for name in manifest["files"]:
                if name.startswith("media/"):
                    member = archive.getmember(name)
                    member.name = name.removeprefix("media/")
                    archive.extract(member, media, filter="data")
    if db is None:
        connections[alias].close()
        # The rows changed below Django's connection, where the write tracker does not see
        # them: everything cached from the old ones is stale.
        invalidation.bump_all()
    return manifest


def _restore_sqlite(dump, target, alias):
    source = sqlite3.connect(dump)
    try:
        if alias is not None:
            # Through Django's own connection, so an in-memory database works too.
            connection = connections[alias]
            connection.ensure_connection()
            source.backup(connection.connection)
        else:
            destination = sqlite3.connect(target["NAME"])
            with destination:
                source.backup(destination)
            destination.close()
    finally:
        source.close()
