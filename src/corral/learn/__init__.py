"""Learning from the labels: suggestions for every text (one cross-validated model per label
state, shared with doubt), accepting them, the active-learning queue and the background refit.

May import ``core``, ``data``, ``datasets``, ``labels`` and ``regions``; ``review`` and above build on it.
"""
