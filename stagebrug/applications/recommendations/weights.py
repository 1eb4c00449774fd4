"""The weights and thresholds of the fit score: data (`data/fit/weights.json`), validated
once; every error names the file and the bad key."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from stagebrug.applications.recommendations.facts import COMPONENTS

WEIGHTS_FILE = Path(__file__).resolve().parents[3] / "data" / "fit" / "weights.json"
SETTINGS = {
    # key: (lowest allowed, highest allowed); None = no bound
    "unknown_fraction": (0.0, 1.0),
    "activities_full_at": (1.0, None),
    "distance_full_within_share": (0.0, 1.0),
    "distance_fraction_at_max": (0.0, 1.0),
    "hours_margin": (0.0, None),
    "hours_over_tolerance": (1e-9, None),
    "hours_under_tolerance": (1e-9, None),
    "start_full_within_days": (0.0, None),
    "start_late_after_days": (1e-9, None),
    "start_late_fraction": (0.0, 1.0),
    "graduation_min_year": (1.0, 6.0),
    "graduation_early_fraction": (0.0, 1.0),
    "good_from_fraction": (0.0, 1.0),
}


class FitWeightsError(ValueError):
    """The weights file cannot be used. The message names the file and the bad key."""


@dataclass(frozen=True)
class FitWeights:
    """The weight of each component and the thresholds the components use."""

    components: Mapping[str, float]
    unknown_fraction: float = 0.5
    activities_full_at: float = 3
    distance_full_within_share: float = 0.25
    distance_fraction_at_max: float = 0.25
    hours_margin: float = 4
    hours_over_tolerance: float = 8
    hours_under_tolerance: float = 16
    start_full_within_days: float = 92
    start_late_after_days: float = 365
    start_late_fraction: float = 0.5
    graduation_min_year: float = 3
    graduation_early_fraction: float = 0.5
    good_from_fraction: float = 0.8

    def weight(self, code: str) -> float:
        return self.components.get(code, 0.0)

    @functools.cached_property
    def active(self) -> tuple[tuple[float, str], ...]:
        """(weight, component code) of the components with a weight, in display order."""
        return tuple(
            (self.components[code], code) for code in COMPONENTS if self.components.get(code)
        )

    def replace(self, *, components: Mapping[str, float] | None = None, **values: float):
        """A copy with some weights or settings changed (for experiments and tests)."""
        merged = dict(self.components)
        merged.update(components or {})
        data = {k: getattr(self, k) for k in SETTINGS}
        data.update(values)
        return parse_weights(
            {"components": {k: {"weight": v} for k, v in merged.items()}, "settings": data},
            source="replace()",
        )


def _number(value: Any, key: str, source: str, low: float | None, high: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FitWeightsError(f"{source}: {key} must be a number, not {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            bounds = "more than 0" if low is not None and 0 < low < 1e-6 else f"at least {low:g}"
        else:
            bounds = f"from {low:g} to {high:g}"
        raise FitWeightsError(f"{source}: {key} must be {bounds}, not {value!r}")
    return float(value)


def parse_weights(data: Any, *, source: str = "weights") -> FitWeights:
    """Validate the parsed JSON of a weights file; every error names the key it is about."""
    if not isinstance(data, dict):
        raise FitWeightsError(f"{source}: expected an object with 'components' and 'settings'")
    unknown = sorted(set(data) - {"about", "components", "settings"})
    if unknown:
        raise FitWeightsError(f"{source}: unknown key {unknown[0]!r}")
    components = data.get("components")
    if not isinstance(components, dict):
        raise FitWeightsError(f"{source}: 'components' must be an object")
    weights: dict[str, float] = {}
    for code, spec in components.items():
        if code not in COMPONENTS:
            raise FitWeightsError(
                f"{source}: unknown component 'components.{code}' (known: {', '.join(COMPONENTS)})"
            )
        if not isinstance(spec, dict) or "weight" not in spec:
            raise FitWeightsError(f"{source}: 'components.{code}' needs a 'weight'")
        extra = sorted(set(spec) - {"weight", "why"})
        if extra:
            raise FitWeightsError(f"{source}: unknown key 'components.{code}.{extra[0]}'")
        weights[code] = _number(spec["weight"], f"components.{code}.weight", source, 0.0, None)
    missing = [code for code in COMPONENTS if code not in weights]
    if missing:
        raise FitWeightsError(f"{source}: missing component 'components.{missing[0]}'")
    if not any(weights.values()):
        raise FitWeightsError(f"{source}: at least one component needs a weight above 0")
    values = data.get("settings", {})
    if not isinstance(values, dict):
        raise FitWeightsError(f"{source}: 'settings' must be an object")
    parsed: dict[str, float] = {}
    for key, value in values.items():
        if key not in SETTINGS:
            raise FitWeightsError(f"{source}: unknown setting 'settings.{key}'")
        low, high = SETTINGS[key]
        parsed[key] = _number(value, f"settings.{key}", source, low, high)
    result = FitWeights(components=weights, **parsed)
    if result.start_late_after_days <= result.start_full_within_days:
        raise FitWeightsError(
            f"{source}: settings.start_late_after_days must be more than "
            "settings.start_full_within_days"
        )
    return result


@functools.cache
def load_weights(path: Path | str | None = None) -> FitWeights:
    """The weights of `path` (default: settings.FIT_WEIGHTS_FILE or data/fit/weights.json),
    read and validated once per process."""
    path = Path(path or getattr(settings, "FIT_WEIGHTS_FILE", None) or WEIGHTS_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FitWeightsError(f"{path}: file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FitWeightsError(f"{path.name}: not valid JSON ({exc})") from None
    return parse_weights(data, source=path.name)
