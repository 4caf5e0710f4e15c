import numpy as np
import pytest

from corral.data.projectors import MIN_UMAP_POINTS, PCALayout, UMAPProjector


@pytest.fixture(scope="module")
def clusters():
    rng = np.random.default_rng(0)
    centers = rng.normal(scale=5, size=(3, 16))
    truth = np.repeat(np.arange(3), 60)
    return (centers[truth] + rng.normal(size=(180, 16))).astype(np.float32), truth


def test_first_view_is_quick_pca(clusters):
    X, truth = clusters
    xy = UMAPProjector().first_view(X)
    assert xy.shape == (180, 2) and xy.dtype == np.float32
    centroids = np.array([xy[truth == k].mean(axis=0) for k in range(3)])
    assert np.linalg.norm(centroids[0] - centroids[1]) > 3  # clusters already apart


def test_umap_is_deterministic_with_a_seed_and_separates_clusters(clusters):
    X, truth = clusters
    a = UMAPProjector(random_state=7, cache=False, n_epochs=100).fit_transform(X)
    b = UMAPProjector(random_state=7, cache=False, n_epochs=100).fit_transform(X)
    assert a.dtype == np.float32 and a.shape == (180, 2)
    np.testing.assert_array_equal(a, b)
    from sklearn.metrics import silhouette_score

    assert silhouette_score(a, truth) > 0.5


def test_cache_hit_skips_the_fit_and_transform_still_works(clusters, monkeypatch):
    X, truth = clusters
    p = UMAPProjector(random_state=1, n_epochs=50)
    first = p.fit_transform(X)
    import umap

    monkeypatch.setattr(umap.UMAP, "fit", lambda *a, **k: pytest.fail("refit despite the cache"))
    q = UMAPProjector(random_state=1, n_epochs=50)
    np.testing.assert_array_equal(q.fit_transform(X), first)
    monkeypatch.undo()
    new = q.transform(X[:3] + 0.01)  # loads the cached model lazily
    assert new.shape == (3, 2) and np.isfinite(new).all()
    # they land in their own cluster (map units depend on the layout: compare with the clusters' gaps)
    centroids = np.array([first[truth == k].mean(axis=0) for k in range(3)])
    gap = min(np.linalg.norm(centroids[i] - centroids[j]) for i in range(3) for j in range(i))
    assert np.linalg.norm(new - first[:3], axis=1).max() < gap / 2
    assert (np.linalg.norm(new[:, None] - centroids, axis=2).argmin(axis=1) == truth[:3]).all()


def test_other_parameters_are_another_cache_entry(clusters):
    X, _ = clusters
    a = UMAPProjector(random_state=1, n_epochs=50).fit_transform(X)
    b = UMAPProjector(random_state=1, n_epochs=50, min_dist=0.9).fit_transform(X)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("n", [1, 2, 5, MIN_UMAP_POINTS - 1])
def test_small_inputs_get_a_pca_layout_with_a_warning(n):
    X = np.random.default_rng(0).normal(size=(n, 8)).astype(np.float32)
    p = UMAPProjector()
    with pytest.warns(UserWarning, match=f"only {n} points"):
        xy = p.fit_transform(X)
    assert xy.shape == (n, 2) and np.isfinite(xy).all()
    assert p.transform(X[:1]).shape == (1, 2)


def test_transform_errors():
    p = UMAPProjector()
    with pytest.raises(RuntimeError, match="not fitted"):
        p.transform(np.ones((1, 4)))
    with pytest.warns(UserWarning):
        p.fit_transform(np.random.default_rng(0).normal(size=(4, 4)))
    with pytest.raises(ValueError, match="4 columns"):
        p.transform(np.ones((1, 3)))


def test_pca_layout_single_point_and_single_feature():
    assert PCALayout().fit_transform(np.ones((1, 5))).tolist() == [[0.0, 0.0]]
    xy = PCALayout().fit_transform(np.arange(6, dtype=float).reshape(6, 1))
    assert xy.shape == (6, 2) and (xy[:, 1] == 0).all()
