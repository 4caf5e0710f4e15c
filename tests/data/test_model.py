"""The real default model: offline, 384-d, cached, and warning about over-long texts."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from corral import SentenceTransformerEmbedder

pytestmark = pytest.mark.model

NO_NETWORK = """
import socket
def _refuse(*a, **k):
    raise OSError("network disabled by the test")
socket.socket.connect = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


def test_default_model_loads_and_embeds_with_no_network(tmp_path):
    code = NO_NETWORK + textwrap.dedent("""
        import numpy as np
        from corral import SentenceTransformerEmbedder
        e = SentenceTransformerEmbedder()
        v = e.encode(["will it rain tomorrow", "what is the weather like", "play some jazz"])
        print(v.shape, v.dtype, round(float(np.linalg.norm(v[0])), 3))
        print(bool(v[0] @ v[1] > v[0] @ v[2]))
    """)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CORRAL_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split("\n")[:2] == ["(3, 384) float32 1.0", "True"]


def test_second_run_reuses_the_cache(monkeypatch, shared_cache):
    monkeypatch.setenv("CORRAL_CACHE_DIR", str(shared_cache))
    texts = [f"book a table for {i} people" for i in range(40)]
    first = SentenceTransformerEmbedder().encode(texts)
    calls = []
    original = SentenceTransformerEmbedder._encode
    monkeypatch.setattr(SentenceTransformerEmbedder, "_encode", lambda self, t: calls.append(t) or original(self, t))
    again = SentenceTransformerEmbedder().encode(texts + ["one new text"])
    assert calls == [["one new text"]]
    np.testing.assert_array_equal(again[:40], first)


def test_long_texts_warn_that_they_are_truncated():
    e = SentenceTransformerEmbedder()
    long_text = "the quick brown fox jumps over the lazy dog " * 200
    with pytest.warns(UserWarning, match="longer than the model's limit of 256 tokens"):
        v = e.encode([long_text, "short"])
    assert v.shape == (2, 384) and np.isfinite(v).all()
