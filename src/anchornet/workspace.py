"""The workspace: one directory with one DuckDB database and the original files.

The database schema is versioned; numbered SQL files in ``migrations/`` move it
forward and each runs once, in its own transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import duckdb

from anchornet.errors import WorkspaceError

DB_NAME = "anchornet.duckdb"
ORIGINALS = "originals"
ENV_VAR = "ANCHORNET_WORKSPACE"
DEFAULT_DIR = "anchornet-workspace"


def default_path() -> Path:
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DIR)


def migrations() -> list[tuple[int, str, str]]:
    """All migrations shipped with the package, in order: (version, name, sql)."""
    found = []
    for entry in resources.files("anchornet.migrations").iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Workspace:
    """An open workspace. Use as a context manager, or call ``close()``."""

    def __init__(self, path: Path | str, *, create: bool = True, read_only: bool = False):
        self.path = Path(path)
        self.created = False  # this process made the database
        self.created_dir = False  # ... and the folder it lives in
        db = self.path / DB_NAME
        if not db.exists():
            if not create or read_only:
                raise WorkspaceError(f"no workspace at {self.path} (nothing has been ingested yet)")
            if self.path.exists() and not self.path.is_dir():
                raise WorkspaceError(f"{self.path} exists and is not a directory")
            self.created = True
            self.created_dir = not self.path.exists()
            self.path.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(db), read_only=read_only)
        except duckdb.IOException as exc:
            raise WorkspaceError(f"cannot open the workspace database {db}: {exc}") from None
        if not read_only:
            self._migrate()
        else:
            self._check_version()

    # -- schema -----------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()[0]
        if not exists:
            return 0
        return self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    def _check_version(self) -> None:
        newest = migrations()[-1][0]
        current = self.schema_version()
        if current > newest:
            raise WorkspaceError(
                f"workspace schema version {current} is newer than this anchornet knows ({newest}); "
                "upgrade anchornet"
            )

    def _migrate(self) -> None:
        self._check_version()
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)"
        )
        applied = {r[0] for r in self.con.execute("SELECT version FROM schema_migrations").fetchall()}
        for version, name, sql in migrations():
            if version in applied:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name]
                )
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    # -- originals ----------------------------------------------------------------
    @property
    def originals_dir(self) -> Path:
        return self.path / ORIGINALS

    def original_path(self, sha256: str) -> Path:
        return self.originals_dir / sha256[:2] / sha256

    @contextlib.contextmanager
    def storing_original(self, source: Path, sha256: str):
        """Copy ``source`` into the store; undo the copy if the block fails."""
        target = self.original_path(sha256)
        if target.exists():
            yield target
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        os.close(fd)
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
            yield target
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise

    # -- transactions -------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self):
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def discard_if_new(self) -> None:
        """Remove a workspace this process created, after a command failed."""
        self.close()
        if not self.created:
            return
        if self.created_dir:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        for name in (DB_NAME, DB_NAME + ".wal"):  # the folder was the user's: leave it
            with contextlib.suppress(OSError):
                (self.path / name).unlink()
        with contextlib.suppress(OSError):
            shutil.rmtree(self.originals_dir)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def member_id(self, name: str, *, create: bool = False) -> int | None:
        rows = self.con.execute("SELECT member_id FROM members WHERE name = ?", [name]).fetchall()
        if rows:
            return rows[0][0]
        if not create:
            return None
        return self.con.execute(
            "INSERT INTO members (name) VALUES (?) RETURNING member_id", [name]
        ).fetchall()[0][0]
