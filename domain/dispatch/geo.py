"""Distances on the estate's map: great-circle kilometres between (latitude, longitude) pairs."""
from __future__ import annotations

import math
from typing import Sequence

Coordinates = tuple[float, float]  # latitude, longitude in degrees, as config.yml's buildings give them
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)


def haversine_km(a: Coordinates, b: Coordinates) -> float:
    """The great-circle distance in km; a few metres off at most on an estate's scale, which is plenty."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def mean_distance_km(to: Coordinates, sites: Sequence[Coordinates]) -> float:
    """How far `to` is, on average, from the estate's sites: the distance of someone who could be anywhere."""
    if not sites:
        return 0.0
    return sum(haversine_km(site, to) for site in sites) / len(sites)
