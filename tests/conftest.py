"""Shared fixtures: an isolated cache per test session, offline model access, small data."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Each test gets an empty corral cache unless it asks for the shared one."""
    monkeypatch.setenv("CORRAL_CACHE_DIR", str(tmp_path_factory.mktemp("corral-cache")))


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """One cache for the whole run (for tests that use the real model on the same texts)."""
    return tmp_path_factory.mktemp("corral-shared-cache")


@pytest.fixture
def blobs():
    """Three well separated 2-D clusters of 30 points each (coords, true cluster per point)."""
    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    truth = np.repeat(np.arange(3), 30)
    coords = (centers[truth] + rng.normal(scale=0.5, size=(90, 2))).astype(np.float32)
    return coords, truth


@pytest.fixture
def texts():
    words = ["rain", "sun", "jazz", "rock", "pizza", "sushi"]
    return [f"{words[i % 6]} {words[(i * 7) % 6]} number {i}" for i in range(90)]


@pytest.fixture(scope="session")
def postgres_server_dsn():
    """A private PostgreSQL server for the whole run (see tests/pgserver.py)."""
    from pgserver import postgres_server

    with postgres_server() as dsn:
        yield dsn


@pytest.fixture
def postgres_dsn(postgres_server_dsn, request):
    """A fresh, empty database on the private server, for one test."""
    from pgserver import fresh_database

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return fresh_database(postgres_server_dsn, name)


@pytest.fixture(autouse=True)
def _no_background_refit_outlives_its_test():
    """Suggestion refits run in threads; one still running could overlap the next test."""
    yield
    from corral.learn.refresh import close_all

    close_all()
