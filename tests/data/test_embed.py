import numpy as np
import pytest

from corral.data.embedders import (
    Embedder,
    FunctionEmbedder,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    as_embedder,
)


class Counting:
    """A callable embedder that records what it was asked to encode."""

    def __init__(self, dim=4):
        self.calls: list[list[str]] = []
        self.dim = dim

    def __call__(self, texts):
        self.calls.append(list(texts))
        return np.array([[len(t), t.count("a"), 1.0, i % 2][: self.dim] for i, t in enumerate(texts)])

    @property
    def seen(self):
        return [t for call in self.calls for t in call]


def test_hashing_embedder_is_deterministic_and_normalised():
    e = HashingEmbedder(dim=16)
    a = e.encode(["hello world", "goodbye"])
    b = HashingEmbedder(dim=16).encode(["hello world", "goodbye"])
    assert a.dtype == np.float32 and a.shape == (2, 16)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1, rtol=1e-5)
    near, far = e.encode(["play some jazz music", "play some jazz musics", "weather in paris"])[[1, 2]]
    base = e.encode(["play some jazz music"])[0]
    assert base @ near > base @ far


def test_duplicates_are_encoded_once_and_order_kept():
    fn = Counting()
    out = FunctionEmbedder(fn).encode(["a", "bb", "a", "ccc", "bb"])
    assert sorted(fn.seen) == ["a", "bb", "ccc"]
    assert out[:, 0].tolist() == [1, 2, 1, 3, 2]


def test_named_function_is_cached_on_disk_and_only_new_texts_are_encoded():
    fn = Counting()
    e = FunctionEmbedder(fn, name="counting-v1")
    first = e.encode(["x", "ya", "zaa"])
    assert len(fn.seen) == 3
    again = FunctionEmbedder(fn, name="counting-v1").encode(["zaa", "x", "new one"])
    assert fn.seen[3:] == ["new one"]  # cached texts were not encoded again
    np.testing.assert_array_equal(again[0], first[2])
    np.testing.assert_array_equal(again[1], first[0])
    FunctionEmbedder(fn, name="counting-v2").encode(["x"])  # another model: another cache
    assert fn.seen[-1] == "x"


def test_unnamed_function_is_not_cached():
    fn = Counting()
    FunctionEmbedder(fn).encode(["x"])
    FunctionEmbedder(fn).encode(["x"])
    assert fn.seen == ["x", "x"]


def test_interrupted_run_keeps_finished_batches(monkeypatch):
    fn = Counting()

    def failing(texts):
        if any(t.startswith("boom") for t in texts):
            raise KeyboardInterrupt
        return fn(texts)

    e = FunctionEmbedder(failing, name="interrupted", batch_size=1)  # batches of 16 texts
    texts = [f"t{i}" for i in range(32)] + ["boom"]
    with pytest.raises(KeyboardInterrupt):
        e.encode(texts)
    done = len(fn.seen)
    assert done == 32
    FunctionEmbedder(fn, name="interrupted").encode([f"t{i}" for i in range(32)])
    assert len(fn.seen) == done  # everything finished before the interruption was cached


@pytest.mark.parametrize("bad, words", [
    (lambda ts: np.ones((len(ts) + 1, 3)), "rows"),
    (lambda ts: np.full((len(ts), 3), np.nan), "NaN or inf"),
    (lambda ts: np.ones(len(ts)), "2-D"),
    (lambda ts: "nope", "numeric"),
])
def test_bad_embedder_output_names_the_problem(bad, words):
    with pytest.raises((ValueError, TypeError), match=words):
        FunctionEmbedder(bad).encode(["a", "b"])


def test_bad_texts_rejected_before_encoding():
    fn = Counting()
    with pytest.raises(TypeError, match="positions 1"):
        FunctionEmbedder(fn).encode(["a", None])
    assert fn.calls == []


def test_as_embedder():
    h = HashingEmbedder()
    assert as_embedder(h) is h
    assert isinstance(as_embedder(None), SentenceTransformerEmbedder)
    assert isinstance(as_embedder("/some/model"), SentenceTransformerEmbedder)
    assert isinstance(as_embedder(lambda t: t), FunctionEmbedder)
    with pytest.raises(TypeError, match="embedder must be"):
        as_embedder(42)


def test_custom_subclass():
    class Lengths(Embedder):
        def _encode(self, texts):
            return np.array([[len(t), 0.0] for t in texts])

    assert Lengths()(["abc"]).tolist() == [[3.0, 0.0]]


def test_progress_bar_on_long_runs(capsys):
    HashingEmbedder().encode([f"text {i}" for i in range(3000)])
    assert "embedding (HashingEmbedder)" in capsys.readouterr().err


def test_unknown_model_name_never_downloads():
    e = SentenceTransformerEmbedder("some-org/not-a-local-model")
    with pytest.raises(ValueError, match="never downloads"):
        e.encode(["x"])
