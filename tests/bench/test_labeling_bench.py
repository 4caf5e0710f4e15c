"""The labeling benchmark stays runnable (tiny generated data here; real figures: bench/labeling.py)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_labeling_bench_runs_every_method_and_scores_them(tmp_path):
    out = tmp_path / "labeling.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "labeling.py"), "--synthetic", "--train", "200",
                          "--test", "100", "--budget", "10", "--seeds", "0", "--out", str(out)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text())[0]
    assert set(result["methods"]) == {"random", "review", "review+suggest", "uncertainty", "lasso", "explore",
                                      "explore 8/10", "diversity groups", "diversity groups 8/10"}
    for method, scores in result["methods"].items():
        row = scores["10"]
        assert 0 < row["ratio"] <= 1.5 and 0 <= row["precision"] <= 1 and 0 < row["covered"] <= 1, method
    assert result["methods"]["random"]["10"]["covered"] == 10 / 200  # ten actions, one text each
    assert "| review+suggest |" in run.stdout and "| explore 8/10 |" in run.stdout
    honest = result["methods"]["explore"]["10"]
    assert honest["precision"] == 1.0 and honest["covered"] > 10 / 200  # groups: more than a text per action


def test_refit_timing_reports_a_non_blocking_refit(tmp_path):
    out = tmp_path / "refit.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "labeling.py"), "--refit-timing", "500",
                          "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    row = json.loads(out.read_text())[0]
    assert row["n"] == 500 and row["refit_s"] > 0
    assert row["slowest_label_op_during_refit_ms"] < 1000 * row["refit_s"]  # a label op never waits for the fit
