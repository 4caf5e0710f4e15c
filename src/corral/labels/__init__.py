"""Labels and their history: the :class:`~corral.labels.session.LabelSession` (the one source of
truth: codes, operations, undo/redo, journaled state), the autosave journal, save files, and the
per-text change history the exports and agreement read.

May import: ``corral.core``, ``corral.data``."""
