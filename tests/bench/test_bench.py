"""The benchmarks stay runnable (tiny sizes here; real figures come from `make bench`)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.model
def test_pipeline_bench_runs_and_reports_ratios(tmp_path):
    out = tmp_path / "pipeline.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "pipeline.py"), "--sizes", "300", "--no-warmup", "--repeats", "1", "--out", str(out)],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "corral embed" in run.stdout and "ratio" in run.stdout
    row = json.loads(out.read_text())["rows"][0]
    assert row["n"] == 300 and all(row[k] > 0 for k in ("model_s", "embed_s", "umap_s", "project_s", "rerun_s"))
    assert row["rerun_s"] < row["model_s"] + row["umap_s"]  # the caches work


@pytest.mark.model
def test_regions_bench_runs_and_reports_ratios(tmp_path):
    out = tmp_path / "regions.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "regions.py"), "--quick", "--out", str(out)],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "vs peer" in run.stdout and "vs model" in run.stdout
    result = json.loads(out.read_text())
    containment, end_to_end = result["containment"], result["end_to_end"]
    assert containment["disagree"] == 0 and containment["inside"] > 0
    assert all(containment[k] > 0 for k in ("predict_s", "predict_proba_s", "peer_s"))
    assert set(end_to_end["seconds"]) == {"model alone", "model + UMAP.transform", "to_classifier(space='map')",
                                          "to_classifier(space='embedding')"}
    assert all(s > 0 for s in end_to_end["seconds"].values())


@pytest.mark.model
def test_million_bench_runs_on_real_texts_embedded_in_the_run(tmp_path):
    out = tmp_path / "million.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "million.py"), "--n", "600", "--sample", "200", "--real",
                          "--embedder", "torch", "--out", str(out)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["n"] == 600 and result["embeddings"] == "real texts, torch" and result["finite"]
    assert result["embedding_s"] > 0 and result["total_s"] >= result["final_map_s"] > 0


def test_million_bench_texts_are_distinct_and_real():
    sys.path.insert(0, str(ROOT / "bench"))
    from million import real_texts

    texts = real_texts(50_000)
    assert len(set(texts)) == 50_000
    assert all(len(t.split()) >= 2 for t in texts[:1000])
