"""bench/widget.py stays runnable against its peers (tiny size here; real figures: `make bench`)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PEERS = ("corral", "jupyter-scatter", "bokeh")


@pytest.mark.browser
def test_widget_bench_runs_every_gesture_on_every_peer(tmp_path):
    out = tmp_path / "widget.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "widget.py"), "--sizes", "2000", "--repeats", "1",
                          "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "vs jscatter" in run.stdout and "vs bokeh" in run.stdout
    result = json.loads(out.read_text())
    assert result["peers"] == list(PEERS)
    (row,) = result["rows"]
    assert row["n"] == 2000
    for peer in PEERS:
        got = row["peers"][peer]
        assert not got["page_errors"], (peer, got["page_errors"])
        for gesture in ("first_frame", "lasso", "label"):
            m = got[gesture]
            assert m["failure"] is None and m["median_ms"] > 0, (peer, gesture, m["failure"])
        assert got["lasso"]["exact"] and got["label"]["exact"], peer  # the lassoed cluster, exactly
    for gesture in ("first_frame", "lasso", "label"):
        assert set(row["ratios"][gesture]) == {"jupyter-scatter", "bokeh"}
        assert all(float(r) > 0 for r in row["ratios"][gesture].values())  # formatted ratios, "win*" if failed
