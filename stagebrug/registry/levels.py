"""The level scale placements, programmes and students share: MBO 1–4, and HBO as 5.

One scale, so a placement's levels, a programme's level and a student's level compare with
`in` and `<` (W3: SBB recognises a business per qualification and level; W13 and W14 single out
MBO 1–2).
"""

from __future__ import annotations

HBO_LEVEL = 5
LEVEL_CHOICES = [(1, "MBO 1"), (2, "MBO 2"), (3, "MBO 3"), (4, "MBO 4"), (HBO_LEVEL, "HBO")]


def level_label(level: int) -> str:
    """The label of a level: "MBO 2", or "HBO" from `HBO_LEVEL` up."""
    return "HBO" if level >= HBO_LEVEL else f"MBO {level}"
