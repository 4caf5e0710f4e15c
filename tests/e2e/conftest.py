"""Real-JupyterLab tier: a loopback `jupyter lab` (and Notebook 7) from this venv, driven by headless Chromium.

* ``jupyter_server`` (session, parametrised by host: ``lab`` = `python -m jupyterlab`, ``notebook`` =
  `python -m notebook`, Notebook 7; every test of the tier runs against both): on 127.0.0.1 and a free
  port with a generated config (galata's test configuration: no token, ``window.jupyterapp`` exposed; read-only extension
  manager; no news or update checks, which would go to the internet), in an isolated Jupyter
  config/runtime/settings home. Its root folder holds a copy of notebooks/quickstart.ipynb.
  ``CORRAL_CACHE_DIR`` is one folder for the whole pytest session (the shared cache of
  tests/conftest.py, or ``$CORRAL_E2E_CACHE_DIR`` to keep embeddings and maps between runs), and
  ``HF_HUB_OFFLINE=1``. Stopped by its PID (terminate, then kill) after its kernels are shut down.
* ``e2e_browser`` (module): Debian's Chromium with the harness tier's flags (tests/browser).
* ``lab_page_factory`` / ``lab_page``: pages that fail the test on page errors and console errors
  (minus the Lab noise listed in ``LAB_NOISE``).

Every test here is marked ``e2e``; deselect the tier with ``-m "not e2e"``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, launch_chromium  # noqa: F401 (re-exported)
from corral_lab import QUICKSTART, REPO, delete_sessions

ARTIFACTS = REPO / "test-artifacts"
VIEWPORT = {"width": 1280, "height": 1000}

# Console errors of JupyterLab itself that say nothing about corral: kept in ``page.lab_noise``
# (written to test-artifacts/e2e-timings.txt, shown on failure) instead of failing the test.
# Each entry is (text in the message, part of the resource URL). Only this: Lab fetches optional
# server endpoints (jupyter-lsp's status, UI translations, Lab's own settings/workspace APIs) and
# logs a 404 when the server extension behind one is absent or has no data; corral's widget loads
# nothing by URL (anywidget inlines its ESM), so such a 404 is never ours. None occurred with
# JupyterLab 4.6.6 here; the filter keeps a leaner venv (e.g. without jupyter-lsp) from failing the
# tier for nothing. Page errors (uncaught exceptions) and every other console error fail the test.
LAB_NOISE = (
    ("the server responded with a status of 404", "/lsp/status"),
    ("the server responded with a status of 404", "/api/translations"),
    ("the server responded with a status of 404", "/lab/api/"),
)

# Uncaught errors of a host's own code that say nothing about corral, kept as noise like LAB_NOISE:
# (text in the error, part of its stack). Notebook 7.6.5's shortcuts settings plugin reads
# `plugins[id].schema` of a plugin the settings registry has not loaded yet when another plugin's
# settings change; it throws on opening any notebook here, before a cell runs (seen with a plain
# config, without galata's helper extension too). Every other page error fails the test.
HOST_PAGE_NOISE = (
    ("Cannot read properties of undefined (reading 'schema')", "/static/notebook/notebook_core."),
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "e2e: real JupyterLab + headless Chromium smoke tests (slow: minutes; deselect with -m 'not e2e')"
    )


def pytest_collection_modifyitems(config, items):
    """Run this tier first. Playwright's sync API refuses to start while another instance is alive,
    and the harness tier (tests/browser) keeps its instance for the whole session; ours is
    module-scoped, so it is gone before the harness tier starts."""
    mine = [item for item in items if _is_e2e(item)]
    if not mine:
        return
    for item in mine:
        item.add_marker(pytest.mark.e2e)
    items[:] = mine + [item for item in items if not _is_e2e(item)]


def _is_e2e(item) -> bool:
    return "tests/e2e/" in str(item.fspath).replace("\\", "/")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIG = """\
import jupyterlab.galata

c = get_config()  # noqa: F821
# galata's test configuration: no token or password, no XSRF check, window.jupyterapp exposed.
jupyterlab.galata.configure_jupyter_server(c)
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = {port}
c.ServerApp.port_retries = 0
c.ServerApp.open_browser = False
c.ServerApp.allow_root = True
c.ServerApp.root_dir = {root!r}
c.LabApp.workspaces_dir = {workspaces!r}
c.LabApp.user_settings_dir = {settings!r}
c.LabApp.extension_manager = "readonly"
# Both would go to the internet: the news feed and the check for a newer JupyterLab.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# Notebook 7 (JupyterNotebookApp, a LabServerApp like LabApp): the same, under its own name.
c.JupyterNotebookApp.expose_app_in_browser = True
c.JupyterNotebookApp.workspaces_dir = {workspaces!r}
c.JupyterNotebookApp.user_settings_dir = {settings!r}
"""

# How each host is started, and where it opens a notebook (a path relative to the server's root).
HOSTS = {
    "lab": {"module": "jupyterlab", "notebook_url": "/lab/tree/{path}?reset"},
    "notebook": {"module": "notebook", "notebook_url": "/notebooks/{path}"},
}

# User settings of the test server: never ask about (or fetch) news, no update check.
NOTIFICATION_SETTINGS = '{"fetchNews": "false", "checkForUpdates": false}\n'


@dataclass
class LabServer:
    base_url: str
    root_dir: Path
    process: subprocess.Popen
    log: Path
    cache_dir: Path
    host: str = "lab"
    timings: dict = field(default_factory=dict)

    def notebook_url(self, path: str) -> str:
        """Where this host opens the notebook at ``path`` (JupyterLab with ``?reset``: a fresh
        workspace, so restored tabs do not become the current widget)."""
        return self.base_url + HOSTS[self.host]["notebook_url"].format(path=path)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def folder(self, name: str, *notebooks: Path) -> str:
        """A fresh sub-folder of the root holding copies of ``notebooks`` (each test module gets
        its own: the quickstart's journal lands next to the notebook). Returns its relative path."""
        folder = self.root_dir / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        for nb in notebooks:
            shutil.copy(nb, folder / nb.name)
        return name


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    """Stop the server by its PID: SIGTERM (it shuts its kernels down), then SIGKILL."""
    if process.poll() is not None:
        return
    try:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session", params=list(HOSTS))
def jupyter_server(request, tmp_path_factory, shared_cache):
    host = request.param
    if not QUICKSTART.exists():
        pytest.fail(f"{QUICKSTART} is missing")
    base = tmp_path_factory.mktemp(f"jupyter-{host}")
    root, home = base / "root", base / "home"
    for d in ("config", "runtime", "workspaces", "settings/@jupyterlab/apputils-extension", "ipython", "tmp"):
        (home / d).mkdir(parents=True)
    root.mkdir()
    shutil.copy(QUICKSTART, root / QUICKSTART.name)
    (home / "settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings").write_text(
        NOTIFICATION_SETTINGS)
    cache_dir = Path(os.environ.get("CORRAL_E2E_CACHE_DIR") or shared_cache)
    cache_dir.mkdir(parents=True, exist_ok=True)

    env = dict(os.environ)
    env.update(
        CORRAL_CACHE_DIR=str(cache_dir),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        # A Jupyter/IPython home of its own: no user config, settings or runtime files leak in or out.
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_PLATFORM_DIRS="1",
        IPYTHONDIR=str(home / "ipython"),
        JUPYTERLAB_GALATA_ROOT_DIR=str(root),
        TMPDIR=str(home / "tmp"),  # galata's config writes temporary files
        PYTHONUNBUFFERED="1",
    )
    log = base / f"jupyter-{host}.log"
    last_error = ""
    for _attempt in range(3):  # the free port can be taken between probing and binding it
        port = _free_port()
        config = base / f"jupyter_lab_config_{port}.py"
        config.write_text(CONFIG.format(port=port, root=str(root), workspaces=str(home / "workspaces"),
                                        settings=str(home / "settings")))
        cmd = [sys.executable, "-m", HOSTS[host]["module"], f"--config={config}", "--no-browser",
               "--ip=127.0.0.1", f"--port={port}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        started = time.monotonic()
        with open(log, "ab") as out:
            process = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL)
        base_url = f"http://127.0.0.1:{port}"
        server = LabServer(base_url, root, process, log, cache_dir, host)
        deadline = started + 60
        while process.poll() is None and time.monotonic() < deadline and not _answers(f"{base_url}/api/status"):
            time.sleep(0.2)
        if process.poll() is None and _answers(f"{base_url}/api/status"):
            server.timings["server start"] = time.monotonic() - started
            break
        last_error = server.log_tail()
        _stop(process)
    else:
        pytest.fail(f"jupyter {host} did not start (log {log}):\n{last_error}")

    try:
        yield server
    finally:
        try:
            delete_sessions(server.base_url)
        except (urllib.error.URLError, OSError):
            pass
        _stop(server.process)


@pytest.fixture(scope="module")
def e2e_browser():
    """Chromium for one test module (module scope: see pytest_collection_modifyitems)."""
    with launch_chromium() as browser:
        yield browser


def _collect_errors(page) -> None:
    errors: list[str] = []
    noise: list[str] = []

    def on_console(msg):
        if msg.type != "error":
            return
        text = msg.text
        loc = msg.location or {}
        where = f" ({loc.get('url')}:{loc.get('lineNumber')})" if loc.get("url") else ""
        url = loc.get("url") or ""
        if any(pattern in text and part in url for pattern, part in LAB_NOISE):
            noise.append(text + where)
        else:
            errors.append(f"console.error: {text}{where}")

    def on_pageerror(exc):
        text, stack = str(exc), getattr(exc, "stack", "") or ""
        if any(pattern in text and part in stack for pattern, part in HOST_PAGE_NOISE):
            noise.append(f"pageerror: {text}")
        else:
            errors.append(f"pageerror: {text}\n{stack}")

    page.on("pageerror", on_pageerror)
    page.on("console", on_console)
    page.corral_errors = errors  # type: ignore[attr-defined]  (read by corral_lab.check_page_errors)
    page.lab_noise = noise  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def lab_page_factory(e2e_browser, jupyter_server):
    """``lab_page_factory()`` -> a new page (own browser context) for this module. Every page records
    page errors and console errors; ``_no_page_errors`` fails the test that saw one. Kernel
    sessions are deleted before the first page and after the module."""
    delete_sessions(jupyter_server.base_url)
    contexts = []

    def new_page():
        context = e2e_browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        _collect_errors(page)
        contexts.append(context)
        return page

    try:
        yield new_page
    finally:
        for context in contexts:
            context.close()
        delete_sessions(jupyter_server.base_url)


@pytest.fixture(scope="module")
def lab_page(lab_page_factory):
    """One page shared by the tests of a module (they work in the same live notebook)."""
    return lab_page_factory()


@pytest.fixture(autouse=True)
def _no_page_errors(request):
    """Fail a test on any page error or console error (not Lab noise) not reported yet (errors
    that a helper already raised mid-test are cleared by ``corral_lab.check_page_errors``)."""
    if "lab_page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("lab_page")
    yield
    if page.corral_errors:
        found = list(page.corral_errors)
        page.corral_errors.clear()
        noise = "\n".join(page.lab_noise[-10:])
        pytest.fail("errors in the page:\n" + "\n".join(found) + (f"\n(filtered Lab noise:\n{noise})" if noise else ""))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

