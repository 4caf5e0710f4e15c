"""ReviewSession: ordering, actions, split, progress, the journal, and its widget."""

from __future__ import annotations

import html

import numpy as np
import pytest

from corral import HashingEmbedder, Labeler
from corral.review.session import CLUSTERS_STATE, STATE, ClusterInfo, ReviewSession

# Four clusters of unequal size on the map (ids 0..3), and 5 points in no cluster.
SIZES = [30, 20, 12, 8]
CENTERS = [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0), (10.0, 10.0)]


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    assignment = np.concatenate([np.full(s, c) for c, s in enumerate(SIZES)] + [np.full(5, -1)])
    coords = np.vstack([rng.normal(CENTERS[c], 0.4, (s, 2)) for c, s in enumerate(SIZES)]
                       + [rng.uniform(20, 30, (5, 2))]).astype(np.float32)
    words = ["rain", "jazz", "pizza", "train", "noise"]
    texts = [f"{words[c]} text {i}" for i, c in enumerate(assignment)]
    return texts, coords, assignment


def make(data, **kw):
    texts, coords, _ = data
    return Labeler(texts, embedder=HashingEmbedder(), coords=coords, **kw)


def test_default_order_counts_unlabeled_points(data):
    lab = make(data)
    lab.assign(np.arange(25), "rain")
    session = lab.review(clusters=data[2])
    unlabeled = {cid: session.info(cid).unlabeled for cid in session.queue}
    assert unlabeled == {1: 20, 2: 12, 3: 8, 0: 5}
    assert session.queue == [1, 2, 3, 0]


def test_order_by_callable_and_by_ids(data):
    lab = make(data)
    seen = []

    def smallest_first(info: ClusterInfo):
        seen.append(info)
        return info.size

    session = lab.review(smallest_first, clusters=data[2])
    assert session.queue == [3, 2, 1, 0]
    assert {i.id: i.size for i in seen} == dict(enumerate(SIZES))
    assert all(i.keywords == [] and i.label_counts == {"(unlabeled)": i.size} for i in seen)

    session = lab.review([2, 0], clusters=data[2], restart=True)
    assert session.queue == [2, 0] and session.progress.total == 2

    with pytest.raises(KeyError, match=r"\[7\]"):
        lab.review([2, 7], clusters=data[2], restart=True)
    with pytest.raises(ValueError, match="more than once"):
        lab.review([2, 2], clusters=data[2], restart=True)
    with pytest.raises(TypeError, match="callable"):
        lab.review("size", clusters=data[2], restart=True)


def test_include_noise_reviews_the_unclustered_points_last(data):
    session = make(data).review(clusters=data[2], include_noise=True)
    assert session.queue[-1] == -1
    assert session.info(-1).size == 5 and session.info(-1).name == "(no cluster)"


def test_bad_clusters_are_refused(data):
    lab = make(data)
    with pytest.raises(ValueError, match="cover 3 points"):
        lab.review(clusters=[0, 1, 1])
    with pytest.raises(ValueError, match="no clusters"):
        lab.review(clusters=np.full(len(lab), -1))
    with pytest.raises(TypeError, match="integer"):
        lab.review(clusters=np.zeros(len(lab)))


def test_label_cluster_labels_through_the_labeler_and_moves_on(data):
    lab = make(data)
    session = lab.review(clusters=data[2])
    first = session.current
    op = session.label_cluster("rain")
    assert op.count == first.size and op.kind == "assign"
    assert (lab.labels.iloc[first.members] == "rain").all()
    assert lab.labels.notna().sum() == first.size
    assert first.id in session.reviewed and session.current.id != first.id
    lab.undo()  # an ordinary, undoable labeling operation
    assert lab.labels.notna().sum() == 0
    assert first.id in session.reviewed  # review progress is not a label: undo leaves it
    kinds = lab.history["kind"].tolist()
    assert kinds[-3:] == ["assign", "review", "undo"]


def test_label_selection_labels_only_the_selection_inside_the_cluster(data):
    lab = make(data)
    session = lab.review(clusters=data[2])
    current = session.current
    outside = np.flatnonzero(data[2] != current.id)[:4]
    lab.selection = np.concatenate([current.members[:3], outside])
    op = session.label_selection("part")
    assert op.count == 3
    assert lab.labels.iloc[current.members[:3]].eq("part").all() and lab.labels.iloc[outside].isna().all()
    assert session.current.id == current.id and current.id not in session.reviewed
    lab.selection = outside
    with pytest.raises(ValueError, match="none of cluster"):
        session.label_selection("part")


def test_skip_review_and_navigation(data):
    session = make(data).review(clusters=data[2])
    q = list(session.queue)
    assert session.skip().id == q[1]
    assert session.mark_reviewed().id == q[2]
    assert session.mark_reviewed().id == q[3]
    assert session.mark_reviewed().id == q[0]  # the skipped one comes back last
    assert session.progress.skipped == 1
    session.mark_reviewed()
    assert session.done and session.progress.reviewed == 4 and session.progress.skipped == 0
    assert session.current.id == q[0]  # everything reviewed: it stays where it was
    assert session.next().id == q[1] and session.previous().id == q[0]
    assert session.previous().id == q[0]  # clamped at the start
    session.go_to(q[-1])
    assert session.next().id == q[-1]  # clamped at the end
    with pytest.raises(KeyError, match="not in this review"):
        session.go_to(99)


def test_progress_counts_clusters_and_points(data):
    lab = make(data)
    lab.assign(np.arange(15), "rain")  # half of cluster 0
    session = lab.review([0, 1], clusters=data[2])
    p = session.progress
    assert (p.reviewed, p.total, p.labeled_points, p.points) == (0, 2, 15, len(lab))
    assert p.cluster_labeled_share == pytest.approx(0.5)
    session.label_cluster("rain")
    p = session.progress
    assert (p.reviewed, p.labeled_points, p.cluster_labeled_share) == (1, 30, 0.0)  # now at cluster 1
    assert str(p) == f"1 / 2 clusters reviewed · {30 / len(lab):.0%} labeled"


def test_sample_is_stable_until_resampled(data):
    session = make(data).review(clusters=data[2])
    first = session.sample(5)
    members = {data[0][i] for i in session.current.members}
    assert len(first) == 5 and set(first) <= members
    assert session.sample(5) == first
    assert session.sample(5, resample=True) != first
    assert len(session.sample(100)) == session.current.size


def test_split_replaces_the_cluster_by_sub_clusters_in_the_queue(data):
    texts, coords, assignment = data
    merged = np.where(assignment == 1, 0, assignment)  # clusters 0 and 1 (far apart) as one
    session = make(data).review([0, 2, 3], clusters=merged)
    before = session.current.members
    new_ids = session.split()
    assert len(new_ids) >= 2 and session.queue[: len(new_ids)] == new_ids
    assert session.queue[len(new_ids):] == [2, 3]
    parts = [set(session.info(c).members.tolist()) for c in new_ids]
    assert set().union(*parts) == set(before.tolist()) and sum(map(len, parts)) == before.size
    assert {frozenset(p) for p in parts} >= {frozenset(np.flatnonzero(assignment == 0).tolist()),
                                             frozenset(np.flatnonzero(assignment == 1).tolist())}
    assert session.current.id == new_ids[0]
    assert all(session.info(c).name for c in new_ids)


def test_split_refuses_tiny_clusters(data):
    texts, coords, assignment = data
    tiny = assignment.copy()
    tiny[:3] = 9
    session = make(data).review([9], clusters=tiny)
    with pytest.raises(ValueError, match="too few to split"):
        session.split()


def test_progress_is_journaled_and_resumed(data, tmp_path):
    path = tmp_path / "review.journal"
    lab = make(data, autosave=path)
    session = lab.review(clusters=data[2])
    queue = list(session.queue)
    session.label_cluster("first")
    session.skip()
    new_ids = session.split()
    saved = lab.session.state[STATE]
    assert saved["reviewed"] == [queue[0]] and saved["skipped"] == [queue[1]]
    assert lab.history["kind"].tolist().count("review_clusters") == 2  # at the start and after the split
    del lab, session

    again = make(data, autosave=path)  # a new Labeler on the same texts resumes the journal
    resumed = again.review()  # no clusters= needed: the journaled ones are used
    assert resumed.queue == [queue[0], queue[1], *new_ids, *queue[3:]]
    assert resumed.reviewed == {queue[0]} and resumed.skipped == {queue[1]}
    assert resumed.current.id == new_ids[0]
    assert (again.labels.iloc[np.flatnonzero(data[2] == queue[0])] == "first").all()
    resumed.mark_reviewed()
    assert again._session.state[STATE]["reviewed"] == sorted([queue[0], new_ids[0]])


def test_resume_with_the_same_clusters_continues_and_other_clusters_start_over(data):
    lab = make(data)
    session = lab.review(clusters=data[2])
    session.label_cluster("x")
    same = lab.review(clusters=data[2])
    assert same.reviewed == session.reviewed
    resorted = lab.review(lambda info: -info.id, clusters=data[2])  # a new order re-sorts the rest
    assert resorted.queue[0] in session.reviewed and resorted.queue[1:] == [3, 2, 1]
    other = lab.review(clusters=np.where(data[2] >= 0, 0, -1))
    assert other.queue == [0] and other.reviewed == set()
    assert lab.review(clusters=data[2], restart=True).reviewed == set()


def test_default_clusters_come_from_the_labeler(data):
    lab = make(data)
    session = lab.review()
    assert isinstance(session, ReviewSession)
    expected = lab.clusters(space="map")
    assert sorted(session.queue) == sorted(int(c) for c in expected.ids)
    assert session.current.name == expected.names[session.current.id]


# -- the widget ----------------------------------------------------------------------------------
def test_widget_buttons_drive_the_session(data):
    texts, coords, assignment = data
    texts = list(texts)
    texts[0] = "<img src=x onerror=alert(1)> rain"
    lab = Labeler(texts, embedder=HashingEmbedder(), coords=coords)
    session = lab.review([0, 1, 2], clusters=assignment)
    widget = session.show(sample_size=40, show_map=False)
    assert widget.progress_text.value == "0 / 3 clusters reviewed · 0% labeled"
    assert "<img" not in widget.texts.value and html.escape(texts[0]) in widget.texts.value
    assert widget.cluster_title.value.startswith("Cluster 1 / 3: cluster 0 (30 texts, 0% labeled")
    np.testing.assert_array_equal(lab.selection, np.flatnonzero(assignment == 0))

    widget.buttons["label_cluster"].click()  # no label name yet
    assert "label name" in widget.message.value and lab.labels.notna().sum() == 0

    widget.label_name.value = "rain"
    widget.buttons["label_cluster"].click()
    assert widget.message.value == "Labeled 30 texts of cluster 0 \u201crain\u201d"  # nothing overwritten
    assert widget.label_name.value == ""  # cleared: the next cluster needs its own name
    assert widget.progress_text.value == f"1 / 3 clusters reviewed · {30 / len(lab):.0%} labeled"
    assert widget.progress_bar.value == pytest.approx(1 / 3)
    assert widget.label_name.options == ("rain",)
    np.testing.assert_array_equal(lab.selection, np.flatnonzero(assignment == 1))

    lab.selection = np.flatnonzero(assignment == 1)[:4]  # a lasso inside the cluster
    widget.label_name.value = "jazz"
    widget.buttons["label_selection"].click()
    assert lab.counts.to_dict() == {"rain": 30, "jazz": 4}
    assert "jazz" in widget.makeup.value and "(unlabeled)" in widget.makeup.value

    widget.buttons["skip"].click()
    assert session.current.id == 2
    widget.buttons["previous"].click()
    assert session.current.id == 1
    widget.buttons["next"].click()
    widget.buttons["mark_reviewed"].click()
    assert session.progress.reviewed == 2

    lab.assign([40], "jazz")  # labels made elsewhere (the map, Python) show at once
    assert widget.progress_text.value == str(session.progress)
    widget.close()


def test_label_cluster_says_how_many_labeled_texts_it_relabels(data):
    texts, coords, assignment = data
    lab = Labeler(list(texts), embedder=HashingEmbedder(), coords=coords)
    members = np.flatnonzero(assignment == 0)
    lab.assign(members[:7], "music")
    lab.assign(members[7:10], "rain")  # already the label about to be given: not a relabel
    session = lab.review([0, 1, 2], clusters=assignment)
    assert session.relabels("rain") == 7 and session.relabels("music") == 3 and session.relabels("new") == 10
    widget = session.show(show_map=False)
    widget.label_name.value = "rain"
    widget.buttons["label_cluster"].click()
    assert widget.message.value == ("Labeled 30 texts of cluster 0 \u201crain\u201d; "
                                    "7 of them had another label, now replaced")
    assert lab.counts.to_dict() == {"rain": 30}
    widget.close()


def test_widget_refreshes_once_per_action_and_on_labels_made_elsewhere(data, monkeypatch):
    lab = make(data)
    widget = lab.review([0, 1, 2], clusters=data[2]).show(show_map=False)
    from corral.map.review_widget import ReviewWidget

    calls = []
    original = ReviewWidget.refresh
    monkeypatch.setattr(ReviewWidget, "refresh", lambda self, **kw: (calls.append(kw), original(self, **kw)))
    widget.label_name.value = "rain"
    widget.buttons["label_cluster"].click()  # a label and a state operation, one refresh at the end
    assert len(calls) == 1 and lab.counts.to_dict() == {"rain": 30}
    widget.buttons["skip"].click()
    assert len(calls) == 2
    lab.assign([40], "jazz")
    lab.undo()
    assert len(calls) == 4 and widget.progress_text.value == str(widget.session.progress)
    widget.close()


def test_widget_shows_a_map_with_the_cluster_selected(data):
    session = make(data).review([1], clusters=data[2])
    widget = session.show()
    from corral.map.map_widget import MapWidget

    assert isinstance(widget.map, MapWidget) and widget.map in widget.children
    from corral.map import protocol as P

    np.testing.assert_array_equal(P.decode_indices(widget.map.selection), np.flatnonzero(data[2] == 1))
    bundle = session._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_split_of_an_even_spread_falls_back_to_two_halves():
    from corral.review.split import split_points

    grid = np.stack(np.meshgrid(np.arange(16.0), np.arange(4.0)), -1).reshape(-1, 2)  # no dense groups
    texts = ["left side words" if x < 8 else "right side terms" for x, _ in grid]
    sub, names, keywords = split_points(grid, texts, parent="wide")
    assert sorted(np.bincount(sub).tolist()) == [32, 32]
    halves = {tuple(sorted(set(np.asarray(texts)[sub == k]))) for k in (0, 1)}
    assert halves == {("left side words",), ("right side terms",)}
    assert {keywords[0][0], keywords[1][0]} <= {"left", "right", "side", "words", "terms"}
    assert names[0] != names[1]


def test_widget_map_outlines_the_clusters_and_follows_a_split(data):
    texts, coords, assignment = data
    merged = np.where(assignment == 1, 0, assignment)
    session = make(data).review([0, 2], clusters=merged)
    widget = session.show()
    assert sorted(o["name"] for o in widget.map.outlines) == ["cluster 0", "cluster 2", "cluster 3"]
    widget.buttons["split"].click()
    assert widget.message.value == ""
    names = sorted(o["name"] for o in widget.map.outlines)
    assert len(names) == 4 and "cluster 0" not in names  # two halves replace cluster 0
    assert widget.cluster_title.value.startswith("Cluster 1 / 3: ")


def test_progress_survives_save_and_load(data, tmp_path):
    lab = make(data)
    session = lab.review(clusters=data[2])
    session.label_cluster("first")
    lab.save(tmp_path / "lab.corral")
    loaded = Labeler.load(tmp_path / "lab.corral", embedder=HashingEmbedder())
    resumed = loaded.review()
    assert resumed.queue == session.queue and resumed.reviewed == session.reviewed
    assert resumed.current.id == session.current.id


def test_review_in_embedding_space(data):
    lab = make(data)
    session = lab.review(space="embedding")
    assert session.space == "embedding"
    assert sorted(session.queue) == lab.clusters(space="embedding").ids
    before = session.current.members
    parts = [session.info(c).members for c in session.split()]  # split in embedding space too
    assert len(parts) >= 2 and np.array_equal(np.sort(np.concatenate(parts)), before)
    with pytest.raises(ValueError, match="space"):
        lab.review(space="3d", restart=True)


def test_the_widget_shows_the_guidelines_of_the_labels_in_play_as_text(data):
    lab = make(data)
    evil = "<img src=x onerror=alert(1)>"
    lab.guidelines = {"weather": {"definition": "talk of the sky", "exclude": evil, "examples": ["rain <b>today</b>"]},
                      "music": "songs and bands"}
    lab.assign(np.flatnonzero(data[2] == 0)[:5], "music")  # the first cluster holds some music
    widget = lab.review(clusters=data[2]).show(show_map=False)
    shown = [child.value for child in widget.guidelines.children]
    assert shown == ["music: songs and bands"]  # a label of the cluster's make-up
    widget.label_name.value = "weather"  # the label about to be given comes first
    shown = [child.value for child in widget.guidelines.children]
    assert shown == [f"weather: talk of the sky · not: {evil} · e.g. \u201crain <b>today</b>\u201d",
                     "music: songs and bands"]
    assert all(type(child).__name__ == "Label" for child in widget.guidelines.children)  # text, never HTML
    widget.label_name.value = "nothing defined"
    assert [c.value for c in widget.guidelines.children] == ["music: songs and bands"]


def test_restart_after_a_resume_starts_over_though_the_fresh_review_matches_the_first_record(data, tmp_path):
    path = tmp_path / "review.journal"
    lab = make(data, autosave=path)
    lab.review(clusters=data[2]).mark_reviewed()
    del lab

    again = make(data, autosave=path)  # resumed: a fresh review saves what the journal's first record holds
    fresh = again.review(clusters=data[2], restart=True)
    assert fresh.reviewed == set() and again.session.state[STATE]["reviewed"] == []
    assert again.review().reviewed == set()  # the fresh review is what resumes now
