"""Learning from the labels: suggestions for every text (one cross-validated model per label
state, shared with doubt), accepting them, the active-learning queue (one text, or small groups
for one decision: :mod:`~corral.learn.groups`) and the background refit.

May import ``core``, ``data``, ``datasets``, ``labels`` and ``regions``; ``review`` and above build on it.
"""
