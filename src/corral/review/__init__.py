"""Label quality: suggested clusters (HDBSCAN, named by their words), the cluster review session,
the queue walk (one group at a time), doubt (which labels look wrong), coverage (what is still
unlabeled), annotator agreement.

Pure logic, no widgets (the review and queue widgets are in ``corral.map``). May import: ``corral.core``,
``corral.data``, ``corral.labels``, ``corral.regions``, ``corral.learn``."""
