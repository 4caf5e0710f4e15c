"""Thin anywidget classes: they carry state to the browser and nothing else."""

from corral.widgets.map import MapWidget

__all__ = ["MapWidget"]
