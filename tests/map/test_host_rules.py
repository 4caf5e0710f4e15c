"""The rules VS Code and Colab put on a widget, checked on what corral ships (no host runs here).

* one self-contained ESM bundle: no ``eval``, no ``new Function``, nothing loaded at run time
  (no dynamic ``import()``, ``fetch``, ``XMLHttpRequest``, ``importScripts``, CSS ``@import``/``url()``);
* CSS scoped inside the widget: every rule of the widget's style sheets sits under its root class;
* no message above 8 MiB whatever the number of points (see :mod:`corral.map.hosts`).

The network side (no request leaves the page) is checked in a real browser:
tests/browser/test_host_rules_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import corral
from corral.map import hosts

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "src" / "corral" / "static" / "widget.js"
STYLE_SOURCES = {"styles.js": "CSS", "overlay.js": "OVERLAY_CSS"}
ROOT_CLASS = ".corral-map"
# Classes the widget sets on its own root element (layout.js, draw.js), so `.corral-map.corral-dark ...`.
ROOT_STATES = (".corral-dark", ".corral-drawing")


@pytest.fixture(scope="module")
def bundle() -> str:
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: build the widget first (`cd js && npm run build`)")
    return BUNDLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("needle", ["eval(", "new Function", "Function(", "import(", "importScripts", "fetch(",
                                    "XMLHttpRequest", "WebSocket(", "sendBeacon", "@import", "url(",
                                    "sourceMappingURL"])
def test_bundle_runs_no_code_from_strings_and_loads_nothing(bundle, needle):
    assert needle not in bundle, f"the widget bundle contains {needle!r} (VS Code and Colab forbid it or block it)"


def test_bundle_is_one_esm_module_with_a_default_export(bundle):
    # One file: no static imports of other modules either (anywidget loads exactly this file).
    assert not re.search(r"(^|[;}\s])import\s*[{*\w\"']", bundle), "the bundle imports another module"
    assert re.search(r"export\s*\{\s*[\w$]+ as default\s*\}", bundle), "no default export (anywidget's entry point)"


def css_rules(source: str, const: str) -> list[str]:
    """The selectors (one string per rule) of the template literal ``export const <const> = `...```."""
    match = re.search(rf"export const {const} = `(.*?)`;", source, re.S)
    assert match, f"no `export const {const} = `...`` found"
    css = re.sub(r"/\*.*?\*/", "", match.group(1), flags=re.S)
    assert "@" not in css, "at-rules (@media, @keyframes, ...) are not scoped by a selector: keep them out"
    assert "${" not in css, "interpolated CSS cannot be checked here"
    return [m.group(1).strip() for m in re.finditer(r"([^{}]+)\{[^{}]*\}", css)]


def is_scoped(selector: str) -> bool:
    s = selector.strip()
    for prefix in (ROOT_CLASS, *(ROOT_CLASS + state for state in ROOT_STATES)):
        if s == prefix or (s.startswith(prefix) and s[len(prefix)] in " :.[>+~"):
            return True
    return False


@pytest.mark.parametrize("filename", sorted(STYLE_SOURCES))
def test_every_css_rule_is_under_the_widget_root(filename):
    source = (ROOT / "js" / "src" / filename).read_text(encoding="utf-8")
    rules = css_rules(source, STYLE_SOURCES[filename])
    assert len(rules) > 10
    loose = [sel for rule in rules for sel in rule.split(",") if not is_scoped(sel)]
    assert not loose, f"{filename}: selectors not under {ROOT_CLASS}: {loose}"


def test_the_scope_check_catches_a_loose_rule():
    assert not is_scoped(".corral-button")
    assert not is_scoped("body .corral-map")
    assert not is_scoped(".corral-map-x .y")
    assert is_scoped(".corral-map .corral-button:hover") and is_scoped(".corral-map.corral-dark .x")
    assert is_scoped(".corral-map") and is_scoped(".corral-map:focus .corral-canvas-wrap")


def test_only_these_files_inject_css():
    """Every <style> the widget builds comes from the two checked sources."""
    injected = set()
    for path in (ROOT / "js" / "src").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"[\"']style[\"']", text) or "insertRule" in text or "adoptedStyleSheets" in text:
            injected.add(path.name)
    assert injected <= {"layout.js", "draw.js", "styles.js", "overlay.js"}, injected


def make_map(n: int):
    rng = np.random.default_rng(0)
    lab = corral.Labeler([f"t{i}" for i in range(n)], coords=rng.normal(size=(n, 2)),
                         embedder=corral.HashingEmbedder())
    return lab, lab.show()


def test_no_message_is_over_the_budget_whatever_the_size():
    n = 20_000
    lab, widget = make_map(n)
    sizes = hosts.message_sizes(widget)
    assert sizes["arrays"] == 12 * n and sizes["frames"] == 1  # coordinates and codes, one message
    assert sizes["state"] < 4096  # no per-point array in the state
    n = 1_200_000  # 19 MB of arrays with colour-by values: 7 frames (each array cut apart), none over the budget
    lab, widget = make_map(n)
    widget.values = corral.map.protocol.encode_values(np.arange(n))
    lab.selection = np.arange(n)  # all selected: a bitset of n / 8 bytes in the state
    sizes = hosts.message_sizes(widget)
    assert sizes["arrays"] == 16 * n and sizes["frames"] == sum(-(-b * n // corral.map.protocol.CHUNK_BYTES) for b in (8, 4, 4))
    assert n // 8 < sizes["state"] < n // 8 + 4096
    assert sizes["largest"] <= hosts.MESSAGE_BUDGET == 8 * 1024 * 1024
    assert hosts.max_points() > 10_000_000


def test_marimo_widget_wraps_the_labelers_map():
    import marimo as mo  # in the dev extra
    lab = corral.Labeler(["rain", "jazz", "pizza"], coords=np.eye(3, 2), embedder=corral.HashingEmbedder())
    wrapped = hosts.marimo_widget(lab, height=300)
    assert isinstance(wrapped, mo.ui.anywidget)
    assert wrapped.widget.height == 300 and wrapped.widget in lab._views.widgets
    assert wrapped.value["count"] == 3 and wrapped.value["categories"] == []
    assert hosts.marimo_widget(wrapped.widget).widget is wrapped.widget  # any anywidget passes through


def test_marimo_labels_state_follows_every_label_change():
    lab = corral.Labeler(["rain", "jazz", "pizza"], coords=np.eye(3, 2), embedder=corral.HashingEmbedder())
    counts = hosts.marimo_labels(lab)
    assert counts().empty
    lab.assign([0, 1], "weather")
    assert counts().to_dict() == {"weather": 2}
    lab.undo()
    assert counts().empty
    listeners = len(lab.session._listeners)
    again = hosts.marimo_labels(lab)  # the cell re-ran: the old hook goes, one state per labeler
    assert len(lab.session._listeners) == listeners
    lab.assign([2], "food")
    assert again().to_dict() == {"food": 1} and counts().empty
