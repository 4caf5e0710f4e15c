"""Two maps on one label store (two Labelers, as two kernels would have) update each other in a
real browser: a lasso + label click in one map shows in the other's legend, and back."""

from __future__ import annotations

from corral_gestures import clusters, lasso, lasso_around, legend_counts, topic_texts
from corral_harness import flush, mount, wait_until

import corral


def _labeler(store, truth, coords, name):
    labels = [None] * len(truth)
    labels[0:30] = ["rain"] * 30
    labels[30:40] = ["jazz"] * 10
    labels[60:62] = ["pizza"] * 2
    lab = corral.Labeler(topic_texts(truth), coords=coords, labels=labels, embedder=corral.HashingEmbedder(),
                         autosave=store)
    lab.annotator = name
    return lab


def test_two_maps_on_one_store_update_each_other(page_factory, tmp_path):
    coords, truth = clusters()
    store = tmp_path / "labels.db"
    ana = _labeler(store, truth, coords, "ana")
    ben = _labeler(store, truth, coords, "ben")
    ana.session._stop.clear()  # in one process the newer Labeler polls; here both do, as two kernels would
    ana.session.start_polling(0.1)
    page_a, page_b = page_factory(), page_factory()
    mount(page_a, ana.show())
    mount(page_b, ben.show())
    assert legend_counts(page_b) == {"jazz": 10, "pizza": 2, "rain": 30, "unlabeled": 48}

    lasso(page_a, *lasso_around(page_a, truth, 2), vertices=12)
    wait_until(page_a, lambda: ana.selection.tolist() == list(range(60, 90)), what="ana's lasso")
    page_a.click("#mount .corral-label-button[data-name='pizza']")
    wait_until(page_a, lambda: (ana.labels.iloc[60:90] == "pizza").all(), what="ana's label")
    wait_until(page_b, lambda: (ben.labels.iloc[60:90] == "pizza").all(), what="ben's kernel polls ana's label")
    flush(page_b)
    page_b.wait_for_function("document.querySelector('#mount .corral-legend-row[data-code=\"1\"]')"
                             ".dataset.count === '30'")
    assert legend_counts(page_b) == {"jazz": 10, "pizza": 30, "rain": 30, "unlabeled": 20}

    lasso(page_b, *lasso_around(page_b, truth, 1), vertices=12)
    wait_until(page_b, lambda: ben.selection.tolist() == list(range(30, 60)), what="ben's lasso")
    page_b.click("#mount .corral-label-button[data-name='jazz']")
    wait_until(page_a, lambda: (ana.labels.iloc[30:60] == "jazz").all(), what="ana's kernel polls ben's label")
    flush(page_a)
    page_a.wait_for_function("document.querySelector('#mount .corral-legend-row[data-code=\"0\"]')"
                             ".dataset.count === '30'")
    assert legend_counts(page_a) == {"jazz": 30, "pizza": 30, "rain": 30, "unlabeled": 0}
    # each undoes only their own: ben's undo leaves ana's pizza
    ben.undo()
    wait_until(page_a, lambda: (ana.labels.iloc[40:60].isna()).all(), what="ben's undo reaches ana")
    flush(page_a)
    page_a.wait_for_function("document.querySelector('#mount .corral-legend-row[data-code=\"0\"]')"
                             ".dataset.count === '10'")
    assert legend_counts(page_a)["pizza"] == 30
    ana.session.close()
    ben.session.close()
