"""Small compiled helpers shared by the loader and the writers (not by the verifier)."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(cache=True)
def first_repeat_in_rows(ptr: NDArray[np.int64], values: NDArray[np.int32], n_values: int) -> int:
    """Position of the first value that repeats within its CSR row, or -1.

    One marker array of size ``n_values`` remembers the last row that used each value, so the
    whole check is one pass over the data.
    """
    last = np.full(n_values, -1, dtype=np.int64)
    for row in range(len(ptr) - 1):
        for k in range(ptr[row], ptr[row + 1]):
            v = values[k]
            if last[v] == row:
                return k
            last[v] = row
    return -1


@njit(cache=True)
def write_objects(
    head: NDArray[np.uint8],
    head_off: NDArray[np.int64],
    has_list: NDArray[np.bool_],
    ptr: NDArray[np.int64],
    refs: NDArray[np.int32],
    tok: NDArray[np.uint8],
    tok_off: NDArray[np.int64],
    tail: NDArray[np.uint8],
) -> NDArray[np.uint8]:
    """Render rows as ``head[i] + tok[refs...] joined by ',' + tail``, rows joined by ','.

    Rows without a list are rendered as ``head[i]`` alone. The caller pre-renders each row's
    head (its scalar fields) and each referenced id as a quoted JSON token, so the large part of
    the output -- the preference lists -- never passes through Python objects.
    """
    n = len(head_off) - 1
    size = 0
    for i in range(n):
        size += head_off[i + 1] - head_off[i]
        if has_list[i]:
            size += len(tail)
            cnt = ptr[i + 1] - ptr[i]
            if cnt > 0:
                size += cnt - 1
            for k in range(ptr[i], ptr[i + 1]):
                r = refs[k]
                size += tok_off[r + 1] - tok_off[r]
        if i + 1 < n:
            size += 1
    out = np.empty(size, dtype=np.uint8)
    w = 0
    for i in range(n):
        for b in range(head_off[i], head_off[i + 1]):
            out[w] = head[b]
            w += 1
        if has_list[i]:
            for k in range(ptr[i], ptr[i + 1]):
                if k > ptr[i]:
                    out[w] = 44  # ','
                    w += 1
                r = refs[k]
                for b in range(tok_off[r], tok_off[r + 1]):
                    out[w] = tok[b]
                    w += 1
            for b in range(len(tail)):
                out[w] = tail[b]
                w += 1
        if i + 1 < n:
            out[w] = 44
            w += 1
    return out


@njit(cache=True)
def write_pairs(
    left: NDArray[np.int32],
    ltok: NDArray[np.uint8],
    ltok_off: NDArray[np.int64],
    right: NDArray[np.int32],
    rtok: NDArray[np.uint8],
    rtok_off: NDArray[np.int64],
) -> NDArray[np.uint8]:
    """Render ``"left":"right"`` pairs joined by ',' (the body of a JSON object)."""
    n = len(left)
    size = 0
    for i in range(n):
        a, b = left[i], right[i]
        size += ltok_off[a + 1] - ltok_off[a] + rtok_off[b + 1] - rtok_off[b] + 1
    size += max(n - 1, 0)
    out = np.empty(size, dtype=np.uint8)
    w = 0
    for i in range(n):
        if i:
            out[w] = 44
            w += 1
        a = left[i]
        for x in range(ltok_off[a], ltok_off[a + 1]):
            out[w] = ltok[x]
            w += 1
        out[w] = 58  # ':'
        w += 1
        b = right[i]
        for x in range(rtok_off[b], rtok_off[b + 1]):
            out[w] = rtok[x]
            w += 1
    return out


@njit(cache=True)
def write_list(
    items: NDArray[np.int32], tok: NDArray[np.uint8], tok_off: NDArray[np.int64]
) -> NDArray[np.uint8]:
    """Render ``tok[items]`` joined by ',' (the body of a JSON array)."""
    n = len(items)
    size = max(n - 1, 0)
    for i in range(n):
        size += tok_off[items[i] + 1] - tok_off[items[i]]
    out = np.empty(size, dtype=np.uint8)
    w = 0
    for i in range(n):
        if i:
            out[w] = 44
            w += 1
        a = items[i]
        for x in range(tok_off[a], tok_off[a + 1]):
            out[w] = tok[x]
            w += 1
    return out
