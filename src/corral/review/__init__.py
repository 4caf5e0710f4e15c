"""Label quality: suggested clusters (HDBSCAN, named by their words), the cluster review session,
doubt (which labels look wrong), coverage (what is still unlabeled), annotator agreement.

Pure logic, no widgets (the review widget is in ``corral.map``). May import: ``corral.core``,
``corral.data``, ``corral.labels``, ``corral.regions``."""
