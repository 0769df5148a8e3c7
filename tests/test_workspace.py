import duckdb
import pytest

from anchornet.errors import WorkspaceError
from anchornet.workspace import DB_NAME, Workspace, migrations


def test_new_workspace_is_at_the_newest_schema(tmp_path):
    ws = Workspace(tmp_path / "ws")
    assert ws.schema_version() == migrations()[-1][0]
    assert (tmp_path / "ws" / DB_NAME).exists()
    ws.close()


def test_reopening_does_not_migrate_again(tmp_path):
    Workspace(tmp_path / "ws").close()
    ws = Workspace(tmp_path / "ws")
    n = ws.con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert n == len(migrations())
    ws.close()


def test_workspace_from_a_newer_anchornet_is_refused(tmp_path):
    Workspace(tmp_path / "ws").close()
    con = duckdb.connect(str(tmp_path / "ws" / DB_NAME))
    con.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')")
    con.close()
    with pytest.raises(WorkspaceError, match="newer"):
        Workspace(tmp_path / "ws")


def test_read_only_needs_an_existing_workspace(tmp_path):
    with pytest.raises(WorkspaceError):
        Workspace(tmp_path / "missing", read_only=True)
    assert not (tmp_path / "missing").exists()


def test_a_file_where_the_workspace_should_be(tmp_path):
    (tmp_path / "ws").write_text("x")
    with pytest.raises(WorkspaceError):
        Workspace(tmp_path / "ws")
