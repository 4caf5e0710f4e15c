"""Labeler.to_classifier, label_regions, and saving classifiers without pickle."""

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline

import corral
from corral.regions.pipeline import MapAndEmbedding, MapProjector, TextEmbedder
from corral.regions.shapes import central_hull

# Eight words per topic, none shared between topics: each text takes four of its topic's words, so
# it shares words with most texts of its topic and with none of the others, and each topic is one
# connected cluster on any UMAP layout. (Texts built from a fixed few word combinations make tight
# islands instead, one per combination, which UMAP places anywhere: a topic's regions then cover
# some of its islands and the rest lies wherever that CPU's layout puts it.)
TOPICS = {"weather": ["rain", "forecast", "sunny", "snow", "wind", "cloudy", "storm", "humid"],
          "music": ["jazz", "playlist", "guitar", "song", "album", "piano", "concert", "lyrics"],
          "food": ["pizza", "sushi", "recipe", "noodles", "bakery", "salad", "dinner", "spicy"]}


def _texts(n_per_topic, offset=0):
    rng = np.random.default_rng(offset)  # numpy's generators give the same draws on every machine
    texts, truth = [], []
    for topic, words in TOPICS.items():
        for i in range(offset, offset + n_per_topic):
            texts.append(" ".join(rng.choice(words, 4, replace=False)) + f" {i}")
            truth.append(topic)
    return texts, np.array(truth)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """A Labeler on 3 topics with a reproducible UMAP map and one region around each topic's core."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CORRAL_CACHE_DIR", str(tmp_path_factory.mktemp("classifier-cache")))
        texts, truth = _texts(40)
        lab = corral.Labeler(texts, embedder=corral.HashingEmbedder(),
                             projector=corral.UMAPProjector(random_state=0, n_epochs=100))
        coords = lab.coords
        lab.regions = {topic: [central_hull(coords[truth == topic], keep=0.8)] for topic in TOPICS}
        yield lab, truth


def test_map_classifier_is_a_fitted_pipeline_of_the_labelers_parts(drawn):
    lab, truth = drawn
    clf = lab.to_classifier()
    assert isinstance(clf, Pipeline) and [n for n, _ in clf.steps] == ["embed", "map", "regions"]
    assert clf.named_steps["embed"].embedder_ is lab.embedder
    assert clf.named_steps["map"].projector_ is lab.projector
    assert clf.classes_.tolist() == ["food", "music", "unknown", "weather"]
    pred = clf.predict(lab.texts)
    inside = pred != "unknown"
    # each region holds the 80% of its topic it was drawn around, but for the hull's own vertices
    # (on its edge: the half-open rule leaves some out), whatever the layout
    vertices = sum(len(polygon) for polygons in lab.regions.values() for polygon in polygons)
    assert inside.sum() >= 0.8 * len(truth) - vertices and (pred[inside] == truth[inside]).mean() > 0.95
    new, new_truth = _texts(10, offset=500)
    new_pred = clf.predict(new)
    answered = new_pred != "unknown"
    assert (new_pred[answered] == new_truth[answered]).all()
    # UMAP's transform puts most new texts just outside their topic's core: they abstain, but the
    # regions' fall-off still leans to the right topic for those within its reach
    proba = clf.predict_proba(new)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    topics = clf.classes_ != "unknown"
    pulled = proba[:, topics].max(axis=1) > 0
    assert pulled.mean() > 0.5
    assert (clf.classes_[topics][proba[:, topics].argmax(axis=1)][pulled] == new_truth[pulled]).all()


def test_map_classifier_with_an_estimator_falls_back_to_it(drawn):
    lab, truth = drawn
    clf = lab.to_classifier(estimator=KNeighborsClassifier(3))
    assert "unknown" not in clf.classes_
    pred = clf.predict(lab.texts)
    regions_only = lab.to_classifier().predict(lab.texts)
    outside = regions_only == "unknown"
    assert outside.sum() >= 20  # the fallback has points to decide (a third of each topic lies around its core)
    np.testing.assert_array_equal(pred[~outside], regions_only[~outside])  # the regions decide inside
    # outside every region abstaining is never right (chance would be 1/3): the fallback nearly always is
    assert (pred[outside] == truth[outside]).mean() > 0.9
    new, new_truth = _texts(10, offset=500)  # new texts land just outside the cores (see above)
    assert (clf.predict(new) == new_truth).mean() > 0.9


def test_embedding_classifier_learns_from_the_points_the_regions_cover(drawn):
    lab, truth = drawn
    clf = lab.to_classifier(space="embedding")
    assert [n for n, _ in clf.steps] == ["embed", "model"]
    model = clf.named_steps["model"]
    assert type(model).__name__ == "LogisticRegression" and model.classes_.tolist() == sorted(TOPICS)
    covered = lab.to_classifier().predict(lab.texts) != "unknown"
    assert model.n_features_in_ == lab.embeddings.shape[1]
    assert (clf.predict(lab.texts) == truth).mean() > 0.95  # it generalises to the points outside
    assert covered.sum() < len(truth)


def test_rules_first_regions_override_the_model_inside_them(drawn):
    lab, truth = drawn
    clf = lab.to_classifier(space="embedding", estimator=KNeighborsClassifier(1), rules_first=True)
    assert [n for n, _ in clf.steps] == ["embed", "map_and_embedding", "regions"]
    assert isinstance(clf.named_steps["map_and_embedding"], MapAndEmbedding)
    regions = clf.named_steps["regions"]
    assert regions.fallback_.n_features_in_ == lab.embeddings.shape[1]
    X = clf[:-1].transform(lab.texts)
    inside = regions.contains(X).any(axis=1)
    pred = clf.predict(lab.texts)
    np.testing.assert_array_equal(pred[inside], lab.to_classifier().predict(lab.texts)[inside])
    np.testing.assert_array_equal(pred[~inside], regions.fallback_.predict(lab.embeddings[~inside]))


def test_include_labels_adds_hand_labels_that_win_over_regions(drawn):
    lab, truth = drawn
    lab.assign([0, 1, 2], "special")
    try:
        clf = lab.to_classifier(space="embedding", estimator=KNeighborsClassifier(1), include_labels=True)
        assert "special" in clf.classes_
        assert clf.predict([lab.texts[0]]).tolist() == ["special"]
    finally:
        lab.undo()


def test_label_regions_labels_through_the_labeler_one_operation_per_label(drawn):
    lab, truth = drawn
    before = len(lab.history)
    done = lab.label_regions()
    assert sorted(done) == sorted(TOPICS)
    labels = lab.labels
    for topic, positions in done.items():
        assert (labels.iloc[positions] == topic).all() and len(positions) > 10
    assert labels.notna().sum() == sum(len(p) for p in done.values())
    history = lab.history.iloc[before:]
    assert history["kind"].tolist() == ["assign"] * 3 and sorted(history["label"]) == sorted(TOPICS)
    for _ in range(3):
        lab.undo()
    assert lab.labels.notna().sum() == 0
    only = lab.label_regions("music")
    assert list(only) == ["music"] and lab.labels.dropna().unique().tolist() == ["music"]
    lab.undo()
    with pytest.raises(KeyError, match="no region has the label"):
        lab.label_regions(["sport"])


def test_clear_errors(drawn, blobs):
    lab, _ = drawn
    with pytest.raises(ValueError, match="space must be"):
        lab.to_classifier(space="pixels")
    coords, truth = blobs
    texts = [f"text {i}" for i in range(len(coords))]
    plain = corral.Labeler(texts, embedder=corral.HashingEmbedder(), coords=coords)
    with pytest.raises(ValueError, match="no regions drawn yet"):
        plain.to_classifier()
    with pytest.raises(ValueError, match="no regions drawn yet"):
        plain.label_regions()
    plain.regions = {"a": [[(-3, -3), (3, -3), (3, 3), (-3, 3)]]}
    with pytest.raises(RuntimeError, match="given as coords="):
        plain.to_classifier(space="map")
    with pytest.raises(ValueError, match="at least two"):
        plain.to_classifier(space="embedding")
    no_embedder = corral.Labeler(texts, embeddings=np.eye(len(texts), 4, dtype=np.float32), coords=coords)
    no_embedder.regions = plain.regions
    with pytest.raises(RuntimeError, match="no embedder"):
        no_embedder.to_classifier(space="embedding")


def test_steps_work_on_their_own():
    step = TextEmbedder(corral.HashingEmbedder(dim=8)).fit()
    assert step.transform(["a b", "c d"]).shape == (2, 8)
    with pytest.raises(TypeError, match="strings"):
        step.transform(["a", None])
    X = np.random.default_rng(0).normal(size=(20, 5)).astype(np.float32)
    with pytest.warns(UserWarning, match="PCA layout"):
        mapped = MapProjector(corral.UMAPProjector()).fit(X)  # unfitted: fitted on X
    assert mapped.transform(X[:3]).shape == (3, 2)


# -- saving -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["map", "map+logistic", "map+knn", "embedding", "rules_first"])
def test_saved_classifiers_predict_identically_after_loading(drawn, tmp_path, kind):
    lab, _ = drawn
    from sklearn.linear_model import LogisticRegression

    clf = {"map": lambda: lab.to_classifier(),
           "map+logistic": lambda: lab.to_classifier(estimator=LogisticRegression()),
           "map+knn": lambda: lab.to_classifier(estimator=KNeighborsClassifier(3)),
           "embedding": lambda: lab.to_classifier(space="embedding"),
           "rules_first": lambda: lab.to_classifier(space="embedding", rules_first=True)}[kind]()
    path = corral.save_classifier(clf, tmp_path / "clf.corral-clf")
    import zipfile

    names = zipfile.ZipFile(path).namelist()
    assert "manifest.json" in names and not [n for n in names if n.endswith((".pkl", ".joblib", ".pickle"))]
    if kind == "map+knn":  # skops does not vouch for a KD-tree's state: it must be trusted by name
        with pytest.raises(TypeError, match="KDTree"):
            corral.load_classifier(path)
    trusted = ["sklearn.metrics._dist_metrics.EuclideanDistance64", "sklearn.neighbors._kd_tree.KDTree"]
    again = corral.load_classifier(path, trusted=trusted if kind == "map+knn" else ())
    new, _ = _texts(10, offset=900)
    for texts in (lab.texts, new):
        np.testing.assert_array_equal(again.predict(texts), clf.predict(texts))
        np.testing.assert_array_equal(again.predict_proba(texts), clf.predict_proba(texts))


def test_saving_refuses_what_cannot_be_rebuilt(drawn, tmp_path):
    lab, truth = drawn
    unseeded = corral.Labeler(lab.texts, embedder=corral.HashingEmbedder(),
                              projector=corral.UMAPProjector(n_epochs=50))
    unseeded.regions = lab.regions
    with pytest.raises(ValueError, match="no random_state"):
        corral.save_classifier(unseeded.to_classifier(), tmp_path / "a")
    fn = corral.Labeler(lab.texts, embedder=lambda texts: np.ones((len(texts), 3)), coords=lab.coords)
    fn.regions = lab.regions
    with pytest.raises(TypeError, match="cannot be saved by reference"):
        corral.save_classifier(fn.to_classifier(space="embedding", estimator=KNeighborsClassifier(1)),
                               tmp_path / "b")


def test_loading_refuses_untrusted_types_and_a_changed_map(drawn, tmp_path):
    lab, _ = drawn
    from sklearn.preprocessing import FunctionTransformer

    import os

    risky = Pipeline([("f", FunctionTransformer(os.system)), ("m", KNeighborsClassifier(1))])
    path = corral.save_classifier(risky, tmp_path / "risky")
    with pytest.raises(TypeError, match="not trusted: .*system"):
        corral.load_classifier(path)

    import json
    import zipfile

    good = corral.save_classifier(lab.to_classifier(), tmp_path / "map")
    tampered = tmp_path / "tampered"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "manifest.json":
                manifest = json.loads(data)
                manifest["steps"][1]["projector"]["params"]["random_state"] += 1  # another map
                data = json.dumps(manifest).encode()
            dst.writestr(name, data)
    with pytest.raises(ValueError, match="differs from the saved one"):
        corral.load_classifier(tampered)
    with pytest.raises(ValueError, match="not a corral classifier"):
        with zipfile.ZipFile(tmp_path / "other", "w") as zf:
            zf.writestr("manifest.json", "{}")
        corral.load_classifier(tmp_path / "other")


# -- review fixes -------------------------------------------------------------------------------
def _strip_labeler(regions):
    """A Labeler on two columns of points (x = 0 or 1), with no projection (coords given)."""
    texts = [f"{w} number {i}" for i, w in enumerate(["rain", "jazz"] * 20)]
    lab = corral.Labeler(texts, embedder=corral.HashingEmbedder(), coords=[[i % 2, i] for i in range(40)])
    lab.regions = regions
    return lab


LEFT = [(-0.5, -1), (0.5, -1), (0.5, 50), (-0.5, 50)]  # covers the points at x = 0 (even positions)
RIGHT = [(0.5, -1), (1.5, -1), (1.5, 50), (0.5, 50)]  # covers x = 1 (odd positions)


def test_a_region_may_be_labeled_unknown():
    lab = _strip_labeler({"unknown": [LEFT], "jazz": [RIGHT]})
    done = lab.label_regions()
    np.testing.assert_array_equal(done["unknown"], np.arange(0, 40, 2))
    np.testing.assert_array_equal(done["jazz"], np.arange(1, 40, 2))
    lab.undo(), lab.undo()
    clf = lab.to_classifier(space="embedding")
    assert clf.classes_.tolist() == ["jazz", "unknown"]
    assert clf.predict(["rain number 7", "jazz number 100"]).tolist() == ["unknown", "jazz"]


def test_label_regions_resolves_overlaps_among_the_chosen_labels_only():
    top = [(-0.5, 19.5), (1.5, 19.5), (1.5, 50), (-0.5, 50)]  # positions 20..39, overlapping "b"
    lab = _strip_labeler({"a": [top], "b": [LEFT]})
    only_b = lab.label_regions("b")
    np.testing.assert_array_equal(only_b["b"], np.arange(0, 40, 2))  # the overlap (20, 22, ...) too
    lab.undo()
    both = lab.label_regions()  # overlap: "a" first in sorted order
    np.testing.assert_array_equal(both["a"], np.arange(20, 40))
    np.testing.assert_array_equal(both["b"], np.arange(0, 20, 2))


def test_region_training_set_adds_hand_labels_and_skips_missing_ones():
    from corral.regions.pipeline import region_training_set

    coords = np.array([[0, 0], [1, 0], [5, 5], [6, 6], [7, 7]], dtype=float)
    regions = corral.regions.shapes.normalize_regions({"a": [[(-1, -1), (2, -1), (2, 1), (-1, 1)]]})
    idx, y = region_training_set(regions, coords, np.array(["b", None, np.nan, "c", None], dtype=object))
    assert idx.tolist() == [0, 1, 3] and y.tolist() == ["b", "a", "c"]
    idx, y = region_training_set(regions, coords)
    assert idx.tolist() == [0, 1] and y.tolist() == ["a", "a"]


def test_rules_first_uses_falloff_and_unused_options_are_refused(drawn):
    lab, _ = drawn
    clf = lab.to_classifier(space="embedding", estimator=KNeighborsClassifier(1), rules_first=True, falloff=0.7)
    assert clf.named_steps["regions"].falloff_ == 0.7
    with pytest.raises(ValueError, match="falloff= .*rules_first=True"):
        lab.to_classifier(space="embedding", falloff=0.7)
    with pytest.raises(ValueError, match="unknown_label= .*a model decides"):
        lab.to_classifier(estimator=KNeighborsClassifier(3), unknown_label="none")
    with pytest.raises(ValueError, match="unknown_label="):
        lab.to_classifier(space="embedding", unknown_label="none")


def test_map_projector_leaves_an_unfitted_projector_untouched():
    X = np.random.default_rng(1).normal(size=(20, 5)).astype(np.float32)
    projector = corral.UMAPProjector()
    with pytest.warns(UserWarning, match="PCA layout"):
        step = MapProjector(projector).fit(X)
    assert step.projector_ is not projector and not hasattr(projector, "coords_")
    assert step.projector_.coords_.shape == (20, 2)
