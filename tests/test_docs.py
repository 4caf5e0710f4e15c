"""The README's code, the modules' docstring examples and the notebooks run as written."""

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import corral

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(m.name for m in pkgutil.walk_packages(corral.__path__, "corral."))


@pytest.mark.parametrize("name", ["corral", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_every_public_module_has_examples():
    documented = [name for name in MODULES if doctest.DocTestFinder().find(importlib.import_module(name))
                  and any(t.examples for t in doctest.DocTestFinder().find(importlib.import_module(name)))]
    core = {"corral.labeler", "corral.labels.session", "corral.labels.journal", "corral.data.embedders", "corral.data.projectors",
            "corral.core.geometry", "corral.map.protocol", "corral.datasets"}
    assert core <= set(documented)


def test_datasets_come_with_a_plain_import():
    """``import corral; corral.datasets.load_snips()``, as README readers type it (a fresh interpreter:
    here corral.datasets has been imported already)."""
    import subprocess
    import sys

    code = "import corral; print(corral.datasets.load_snips(n=70).label.nunique())"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "7"


@pytest.mark.model
def test_readme_code_blocks_run(tmp_path, monkeypatch, shared_cache):
    monkeypatch.setenv("CORRAL_CACHE_DIR", str(shared_cache))
    monkeypatch.chdir(tmp_path)
    # ```python blocks run; ```py blocks are shown only (code pointed at a remote scheduler: the same code
    # runs on a LocalCluster in tests/data/test_distributed.py)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    assert len(blocks) >= 3
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["again"].labels.equals(namespace["lab"].labels)
    assert (namespace["labels"] == "weather").sum() > 50


def run_notebook(name: str, tmp_path, monkeypatch, shared_cache) -> list:
    """Execute notebooks/<name> (committed without outputs) in a fresh kernel; return its outputs."""
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("CORRAL_CACHE_DIR", str(shared_cache))
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks without outputs"
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return outputs


def printed(outputs) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)


@pytest.mark.model
def test_quickstart_notebook_runs(tmp_path, monkeypatch, shared_cache):
    outputs = run_notebook("quickstart.ipynb", tmp_path, monkeypatch, shared_cache)
    widget_views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    maps = [o for o in widget_views if "MapWidget" in o["data"].get("text/plain", "")]
    assert len(maps) == 1, [o["data"].get("text/plain") for o in widget_views]  # the map (and tqdm's bar on a cold cache)
    assert (tmp_path / "quickstart.journal").exists()


@pytest.mark.model
def test_draw_a_classifier_notebook_runs(tmp_path, monkeypatch, shared_cache):
    text = printed(run_notebook("draw-a-classifier.ipynb", tmp_path, monkeypatch, shared_cache))
    assert text.count("precision    recall  f1-score") == 2  # the regions' report and the baseline's
    assert "same predictions after loading" in text and "logistic regression on" in text


@pytest.mark.model
def test_cluster_review_notebook_runs(tmp_path, monkeypatch, shared_cache):
    outputs = run_notebook("cluster-review.ipynb", tmp_path, monkeypatch, shared_cache)
    text = printed(outputs)
    found = {int(top): (float(p), float(r), float(base)) for top, p, r, base in re.findall(
        r"top (\d+): precision ([\d.]+), recall ([\d.]+) \(base rate ([\d.]+)\)", text)}
    assert len(found) == 2
    (k, (precision, recall, base)), (k2, (precision2, recall2, _)) = sorted(found.items())
    assert k2 == 2 * k and base == pytest.approx(0.1, abs=0.01)
    assert precision > 5 * base and recall == precision  # at k = the number planted they are equal
    assert recall2 >= recall and recall2 > 0.8
    suggested = float(re.search(r"suggested label == original intent for ([\d.]+)", text).group(1))
    assert suggested > 0.5
    assert re.search(r"(\d+) clusters, \d+ points in none", text) and int(re.search(r"(\d+) clusters", text)[1]) >= 10
    assert "Coverage: 100.0% labeled, 77 labels" in text
    widget_views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    maps = [o for o in widget_views if "MapWidget" in o["data"].get("text/plain", "")]
    assert len(maps) == 1, [o["data"].get("text/plain") for o in widget_views]  # the map coloured by doubt
