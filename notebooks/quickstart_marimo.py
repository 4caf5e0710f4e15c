import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo

    mo.md(
        """
        # corral quickstart (marimo)

        Map 3,000 real voice-assistant queries (SNIPS, CC0) and label them. The first run embeds
        the texts with the offline all-MiniLM-L6-v2 model (about 10 s on 2 CPU cores); the map
        shows a quick PCA layout at once and switches to UMAP when it is ready.
        """
    )
    return (mo,)


@app.cell
def _():
    import corral
    from corral.datasets import load_snips

    df = load_snips().drop(columns="label")  # start unlabeled; the gold intents stay aside
    gold = load_snips()["label"]
    lab = corral.Labeler.from_frame(df, projector=corral.UMAPProjector(random_state=0),
                                    autosave="quickstart_marimo.journal")
    return df, gold, lab


@app.cell
def _(lab):
    from corral.map.hosts import marimo_labels, marimo_widget

    # The map: lasso (shift + drag, or press and hold), label bar and keys, undo, search, draw (d).
    # mo.ui.anywidget makes it reactive: the cells that read `map_view.value` re-run when you
    # select; the cells that call `label_counts()` re-run when a label changes.
    map_view = marimo_widget(lab)
    label_counts = marimo_labels(lab)
    map_view
    return label_counts, map_view


@app.cell
def _(lab, map_view, mo):
    # Re-runs on every selection made on the map (it reads map_view.value).
    _state = map_view.value
    selected = lab.selection
    mo.md(f"**{selected.size} selected**")
    return (selected,)


@app.cell
def _(label_counts):
    # Re-runs after every label change: label bar, keys 1-9, undo, or lab.assign below.
    label_counts()
    return


@app.cell
def _(df, mo, selected):
    mo.ui.table(df.iloc[selected][["text"]].head(20), selection=None, label="the first texts selected")
    return


@app.cell
def _(df, lab):
    # Label from Python too: by mask, positions, index labels, or a region of the map.
    lab.assign(df.text.str.contains("weather|forecast|rain|snow|sunny", case=False), "weather")
    lab.assign(df.text.str.contains(r"\bplay\b", case=False), "music")
    lab.counts
    return


@app.cell
def _(gold, lab):
    # how good were those keyword rules? compare with the gold intents
    import pandas as pd

    pd.crosstab(lab.labels.fillna("(unlabeled)"), gold)
    return


@app.cell
def _(lab):
    out = lab.to_frame()  # text, x, y, label and df's other columns, on df's index
    out.head()
    return


if __name__ == "__main__":
    app.run()
