"""The Labeler's drawn regions and the classifiers made from them (mixed into :class:`corral.Labeler`)."""

from __future__ import annotations

from corral.regions import Regions, copy_regions, normalize_regions, to_json


class RegionsMixin:
    @property
    def regions(self) -> Regions:
        """Drawn regions as ``{label: [k x 2 polygon, ...]}`` in map coordinates (a copy).

        Set it to replace them all (e.g. loaded from JSON); every change is journaled."""
        return copy_regions(normalize_regions(self._session.state.get("regions")))

    @regions.setter
    def regions(self, regions) -> None:
        checked = normalize_regions(regions)
        self._session.set_state("regions", to_json(checked), count=sum(len(p) for p in checked.values()))
