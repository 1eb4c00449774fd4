"""Distances between places, from the centroids of 4-digit postcode areas (privacy: we never
keep a student's street address).

Two kinds: `haversine_km` is the great-circle distance that pages show and fit scores use; the
bounding box and the squared equirectangular distance are plain arithmetic that the database
can filter on (SQLite has no trigonometry), exact enough within the country (well under 1 % at
200 km). Filters use the box and the squared distance, then `haversine_km` decides.
"""

from __future__ import annotations

import math

from django.db.models import ExpressionWrapper, F, FloatField, Value

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0  # 111.195 km per degree of latitude

Point = tuple[float, float]  # (latitude, longitude) in degrees


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance in km between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def longitude_scale(latitude: float) -> float:
    """How much shorter a degree of longitude is than one of latitude at `latitude`
    (never below 0.01, so the poles do not divide by zero)."""
    return max(math.cos(math.radians(latitude)), 0.01)


def bounding_box(centre: Point, km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) in degrees of the square that holds the circle of `km`
    around `centre`: a filter on indexed latitude and longitude columns."""
    lat0, lon0 = centre
    dlat = km / KM_PER_DEGREE
    dlon = dlat / longitude_scale(lat0)
    return lat0 - dlat, lat0 + dlat, lon0 - dlon, lon0 + dlon


def squared_km(lat_field: str, lon_field: str, centre: Point) -> ExpressionWrapper:
    """The squared equirectangular distance in km² from `centre` to the point in two model
    fields, as an ORM expression: plain arithmetic, so SQLite and PostgreSQL agree."""
    lat0, lon0 = centre
    ky = KM_PER_DEGREE
    kx = KM_PER_DEGREE * longitude_scale(lat0)
    dy = (F(lat_field) - Value(lat0)) * Value(ky)
    dx = (F(lon_field) - Value(lon0)) * Value(kx)
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())
