import pytest


@pytest.fixture(params=["sqlite", "postgres"])
def store_target(request, tmp_path):
    """Where a label store lives: a SQLite file, or a fresh database on the private PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "labels.db")
    return request.getfixturevalue("postgres_dsn")
