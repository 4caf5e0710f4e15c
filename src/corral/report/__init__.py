"""What leaves corral: the standalone HTML report (bokeh, offline) and the exports (CSV, parquet,
JSONL with each text's history).

May import: ``corral.core``, ``corral.labels``, ``corral.review``."""
