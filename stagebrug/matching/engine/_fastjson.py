"""A compiled fast path for reading and writing instance and result JSON at national scale.

``json.loads`` on a million students builds eleven million small string objects and the id
lookups afterwards miss the cache on every one; together that costs around ten seconds here. This
module parses the instance schema straight from the bytes with a Numba scanner that records
string spans, resolves ids with an open-addressing hash table over those spans, and builds the
CSR arrays directly. It handles the happy path only: anything unusual -- escapes inside strings,
unknown or repeated fields, malformed JSON, unknown or duplicate ids, bad capacities -- makes it
give up, and the caller parses the same bytes with the reference path in
:mod:`~stagebrug.matching.engine.instance`, which produces the error message. So both paths
accept exactly the same instances and build the same arrays.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from stagebrug.matching.engine.instance import (
    MAX_CAPACITY,
    MAX_SEED,
    Instance,
    InstanceError,
    instance_from_arrays,
)

__all__ = ["fast_parse_instance", "id_tokens"]

# Key codes.
_K_ID, _K_PREFS, _K_CAP, _K_SUP, _K_DUO, _K_SEAT = 1, 2, 3, 4, 5, 6
_K_STUDENTS, _K_PLACEMENTS, _K_SUPERVISORS, _K_SEED = 7, 8, 9, 10

_L_ID = np.frombuffer(b"id", dtype=np.uint8)
_L_PREFS = np.frombuffer(b"preferences", dtype=np.uint8)
_L_CAP = np.frombuffer(b"capacity", dtype=np.uint8)
_L_SUP = np.frombuffer(b"supervisor", dtype=np.uint8)
_L_DUO = np.frombuffer(b"duo", dtype=np.uint8)
_L_SEAT = np.frombuffer(b"seat", dtype=np.uint8)
_L_STUDENTS = np.frombuffer(b"students", dtype=np.uint8)
_L_PLACEMENTS = np.frombuffer(b"placements", dtype=np.uint8)
_L_SUPERVISORS = np.frombuffer(b"supervisors", dtype=np.uint8)
_L_SEED = np.frombuffer(b"seed", dtype=np.uint8)
_L_MBO = np.frombuffer(b"mbo", dtype=np.uint8)
_L_HBO = np.frombuffer(b"hbo", dtype=np.uint8)

_FAIL = -1


@njit(cache=True)
def _same(buf: NDArray[np.uint8], s: int, e: int, lit: NDArray[np.uint8]) -> bool:
    if e - s != len(lit):
        return False
    for t in range(len(lit)):  # noqa: SIM110 (a plain loop compiles best in Numba)
        if buf[s + t] != lit[t]:
            return False
    return True


@njit(cache=True)
def _key(buf: NDArray[np.uint8], s: int, e: int) -> int:
    if _same(buf, s, e, _L_ID):
        return _K_ID
    if _same(buf, s, e, _L_PREFS):
        return _K_PREFS
    if _same(buf, s, e, _L_CAP):
        return _K_CAP
    if _same(buf, s, e, _L_SUP):
        return _K_SUP
    if _same(buf, s, e, _L_DUO):
        return _K_DUO
    if _same(buf, s, e, _L_SEAT):
        return _K_SEAT
    if _same(buf, s, e, _L_STUDENTS):
        return _K_STUDENTS
    if _same(buf, s, e, _L_PLACEMENTS):
        return _K_PLACEMENTS
    if _same(buf, s, e, _L_SUPERVISORS):
        return _K_SUPERVISORS
    if _same(buf, s, e, _L_SEED):
        return _K_SEED
    return 0


@njit(cache=True)
def _ws(buf: NDArray[np.uint8], i: int) -> int:
    n = len(buf)
    while i < n:
        c = buf[i]
        if c == 32 or c == 10 or c == 13 or c == 9:
            i += 1
        else:
            break
    return i


@njit(cache=True)
def _string(buf: NDArray[np.uint8], i: int) -> tuple[int, int]:
    """Span start of the string at ``i`` (its end is the returned next position - 1)."""
    n = len(buf)
    if i >= n or buf[i] != 34:
        return _FAIL, i
    j = i + 1
    while j < n:
        c = buf[j]
        if c == 34:
            return i + 1, j + 1
        if c == 92 or c < 32:
            return _FAIL, j
        j += 1
    return _FAIL, j


@njit(cache=True)
def _integer(buf: NDArray[np.uint8], i: int) -> tuple[int, int, bool]:
    """A JSON integer of at most 18 digits; fractions and exponents are not handled here."""
    n = len(buf)
    neg = False
    if i < n and buf[i] == 45:
        neg = True
        i += 1
    if i >= n or buf[i] < 48 or buf[i] > 57:
        return 0, i, False
    value = 0
    digits = 0
    if buf[i] == 48:
        i += 1
        digits = 1
    else:
        while i < n and 48 <= buf[i] <= 57:
            value = value * 10 + (buf[i] - 48)
            digits += 1
            i += 1
            if digits > 18:
                return 0, i, False
    if i < n and (buf[i] == 46 or buf[i] == 101 or buf[i] == 69 or 48 <= buf[i] <= 57):
        return 0, i, False
    return (-value if neg else value), i, True


@njit(cache=True)
def _string_array(
    buf: NDArray[np.uint8],
    i: int,
    str_s: NDArray[np.int64],
    str_l: NDArray[np.int32],
    ns: int,
) -> tuple[int, int]:
    """Parse ``["a", "b"]`` appending spans; returns (next position, new ns) or (-1, ns)."""
    n = len(buf)
    if i >= n or buf[i] != 91:
        return _FAIL, ns
    i = _ws(buf, i + 1)
    if i < n and buf[i] == 93:
        return i + 1, ns
    while True:
        s, j = _string(buf, i)
        if s < 0:
            return _FAIL, ns
        str_s[ns] = s
        str_l[ns] = j - 1 - s
        ns += 1
        i = _ws(buf, j)
        if i >= n:
            return _FAIL, ns
        if buf[i] == 44:
            i = _ws(buf, i + 1)
            continue
        if buf[i] == 93:
            return i + 1, ns
        return _FAIL, ns


@njit(cache=True)
def _parse(buf: NDArray[np.uint8]) -> tuple[Any, ...]:
    """Scan the instance bytes. Returns a status (0 = handled) and the recorded spans.

    Entities refer to strings by their index in ``str_s``/``str_l``; a list is a range of
    consecutive string indices ``[begin, end)`` (-1 when absent).
    """
    n = len(buf)
    n_quotes = 0
    n_objects = 0
    for t in range(n):
        c = buf[t]
        if c == 34:
            n_quotes += 1
        elif c == 123:
            n_objects += 1
    n_str = n_quotes // 2 + 1
    n_obj = n_objects + 1
    str_s = np.empty(n_str, dtype=np.int64)
    str_l = np.empty(n_str, dtype=np.int32)
    ns = 0
    st = np.empty((n_obj, 3), dtype=np.int64)  # id, prefs begin, prefs end
    pl = np.empty((n_obj, 7), dtype=np.int64)  # id, cap, sup, pbegin, pend, duo, seat
    sv = np.empty((n_obj, 4), dtype=np.int64)  # id, cap, pbegin, pend
    n_st = 0
    n_pl = 0
    n_sv = 0
    seed = -1
    seen = np.zeros(11, dtype=np.bool_)

    i = _ws(buf, 0)
    if i >= n or buf[i] != 123:
        return 1, str_s, str_l, st, 0, pl, 0, sv, 0, seed
    i = _ws(buf, i + 1)
    if i < n and buf[i] == 125:
        return 2, str_s, str_l, st, 0, pl, 0, sv, 0, seed
    while True:
        ks, j = _string(buf, i)
        if ks < 0:
            return 3, str_s, str_l, st, 0, pl, 0, sv, 0, seed
        top = _key(buf, ks, j - 1)
        if top < _K_STUDENTS or seen[top]:
            return 4, str_s, str_l, st, 0, pl, 0, sv, 0, seed
        seen[top] = True
        i = _ws(buf, j)
        if i >= n or buf[i] != 58:
            return 5, str_s, str_l, st, 0, pl, 0, sv, 0, seed
        i = _ws(buf, i + 1)
        if top == _K_SEED:
            if (
                i + 4 <= n
                and buf[i] == 110
                and buf[i + 1] == 117
                and buf[i + 2] == 108
                and (buf[i + 3] == 108)
            ):
                i += 4
            else:
                value, i, good = _integer(buf, i)
                if not good or value < 0:
                    return 6, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                seed = value
        else:
            if i >= n or buf[i] != 91:
                return 7, str_s, str_l, st, 0, pl, 0, sv, 0, seed
            i = _ws(buf, i + 1)
            if i < n and buf[i] == 93:
                i += 1
            else:
                while True:
                    if i >= n or buf[i] != 123:
                        return 8, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                    i = _ws(buf, i + 1)
                    f_id = -1
                    f_cap = -1
                    has_cap = False
                    f_sup = -1
                    f_pb = -1
                    f_pe = -1
                    f_duo = -1
                    f_seat = -1
                    if i < n and buf[i] == 125:
                        return 9, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                    while True:
                        ks, j = _string(buf, i)
                        if ks < 0:
                            return 10, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                        key = _key(buf, ks, j - 1)
                        i = _ws(buf, j)
                        if i >= n or buf[i] != 58:
                            return 11, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                        i = _ws(buf, i + 1)
                        if key == _K_ID or key == _K_SUP or key == _K_DUO or key == _K_SEAT:  # noqa: SIM109
                            if top == _K_STUDENTS and key != _K_ID:
                                return 12, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                            if top == _K_SUPERVISORS and key != _K_ID:
                                return 12, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                            s, j = _string(buf, i)
                            if s < 0 or j - 1 == s:
                                return 13, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                            str_s[ns] = s
                            str_l[ns] = j - 1 - s
                            if key == _K_ID:
                                if f_id >= 0:
                                    return 14, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                                f_id = ns
                            elif key == _K_SUP:
                                if f_sup >= 0:
                                    return 14, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                                f_sup = ns
                            elif key == _K_DUO:
                                if f_duo >= 0:
                                    return 14, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                                f_duo = ns
                            else:
                                if f_seat >= 0:
                                    return 14, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                                if _same(buf, s, j - 1, _L_MBO):
                                    f_seat = 1
                                elif _same(buf, s, j - 1, _L_HBO):
                                    f_seat = 2
                                else:
                                    return 15, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                            ns += 1
                            i = j
                        elif key == _K_CAP:
                            if top == _K_STUDENTS or has_cap:
                                return 16, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                            value, i, good = _integer(buf, i)
                            if not good or value < 0 or value > MAX_CAPACITY:
                                return 17, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                            f_cap = value
                            has_cap = True
                        elif key == _K_PREFS:
                            if f_pb >= 0:
                                return 18, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                            f_pb = ns
                            i, ns = _string_array(buf, i, str_s, str_l, ns)
                            if i < 0:
                                return 19, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                            f_pe = ns
                        else:
                            return 20, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                        i = _ws(buf, i)
                        if i >= n:
                            return 21, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                        if buf[i] == 44:
                            i = _ws(buf, i + 1)
                            continue
                        if buf[i] == 125:
                            i += 1
                            break
                        return 22, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                    if f_id < 0:
                        return 23, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                    if top == _K_STUDENTS:
                        if f_pb < 0:
                            return 24, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                        st[n_st, 0] = f_id
                        st[n_st, 1] = f_pb
                        st[n_st, 2] = f_pe
                        n_st += 1
                    elif top == _K_PLACEMENTS:
                        if not has_cap:
                            return 25, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                        pl[n_pl, 0] = f_id
                        pl[n_pl, 1] = f_cap
                        pl[n_pl, 2] = f_sup
                        pl[n_pl, 3] = f_pb
                        pl[n_pl, 4] = f_pe
                        pl[n_pl, 5] = f_duo
                        pl[n_pl, 6] = f_seat
                        n_pl += 1
                    else:
                        if not has_cap:
                            return 25, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                        sv[n_sv, 0] = f_id
                        sv[n_sv, 1] = f_cap
                        sv[n_sv, 2] = f_pb
                        sv[n_sv, 3] = f_pe
                        n_sv += 1
                    i = _ws(buf, i)
                    if i >= n:
                        return 26, str_s, str_l, st, 0, pl, 0, sv, 0, seed
                    if buf[i] == 44:
                        i = _ws(buf, i + 1)
                        continue
                    if buf[i] == 93:
                        i += 1
                        break
                    return 27, str_s, str_l, st, 0, pl, 0, sv, 0, seed
        i = _ws(buf, i)
        if i >= n:
            return 28, str_s, str_l, st, 0, pl, 0, sv, 0, seed
        if buf[i] == 44:
            i = _ws(buf, i + 1)
            continue
        if buf[i] == 125:
            i += 1
            break
        return 29, str_s, str_l, st, 0, pl, 0, sv, 0, seed
    if _ws(buf, i) != n or not seen[_K_STUDENTS] or not seen[_K_PLACEMENTS]:
        return 30, str_s, str_l, st, 0, pl, 0, sv, 0, seed
    return 0, str_s, str_l, st, n_st, pl, n_pl, sv, n_sv, seed


@njit(cache=True, inline="always")
def _digest(data: NDArray[np.uint8], s: int, length: int) -> tuple[np.uint64, np.uint64]:
    """(word, hash) of a byte string. Ids of at most 8 bytes are packed whole into ``word``,
    so comparing two of them is one integer comparison; longer ids use their FNV-1a hash as
    ``word`` and are confirmed against the key store."""
    if length <= 8:
        word = np.uint64(0)
        for t in range(length):
            word |= np.uint64(data[s + t]) << np.uint64(8 * t)
        h = (word ^ np.uint64(length)) * np.uint64(0x9E3779B97F4A7C15)
        return word, h ^ (h >> np.uint64(29))
    h = np.uint64(14695981039346656037)
    for t in range(s, s + length):
        h = (h ^ np.uint64(data[t])) * np.uint64(1099511628211)
    return h, h


@njit(cache=True)
def _table(
    buf: NDArray[np.uint8],
    str_s: NDArray[np.int64],
    str_l: NDArray[np.int32],
    ids: NDArray[np.int64],
    unique: bool,
) -> tuple[Any, ...]:
    """Open-addressing hash table over entity id strings.

    A slot is two words: the id's packed bytes (ids up to 8 bytes) or hash, and
    ``length << 32 | entity + 1`` (0 = empty). A lookup of a short id touches one slot and
    nothing else; longer ids are confirmed against a compact copy of the ids (the key store).
    With ``unique`` a repeated id stops the build (its position is returned); without it repeats
    share a code (``codes``), which interns duo names.
    """
    m = len(ids)
    size = 8
    while size < 2 * m + 2:
        size *= 2
    mask = np.uint64(size - 1)
    slots = np.zeros((size, 2), dtype=np.uint64)
    key_off = np.zeros(m + 1, dtype=np.int64)
    for t in range(m):
        key_off[t + 1] = key_off[t] + str_l[ids[t]]
    keys = np.empty(key_off[m], dtype=np.uint8)
    for t in range(m):
        a = str_s[ids[t]]
        for x in range(str_l[ids[t]]):
            keys[key_off[t] + x] = buf[a + x]
    codes = np.empty(m, dtype=np.int32)
    n_codes = 0
    low = np.uint64(0xFFFFFFFF)
    for t in range(m):
        a0 = key_off[t]
        length = key_off[t + 1] - a0
        word, h = _digest(keys, a0, length)
        at = h & mask
        while True:
            tag = slots[at, 1]
            if tag == 0:
                slots[at, 0] = word
                slots[at, 1] = (np.uint64(length) << np.uint64(32)) | np.uint64(t + 1)
                codes[t] = n_codes
                n_codes += 1
                break
            if slots[at, 0] == word and (tag >> np.uint64(32)) == np.uint64(length):
                other = np.int64(tag & low) - 1
                same = True
                if length > 8:
                    b0 = key_off[other]
                    for x in range(length):
                        if keys[a0 + x] != keys[b0 + x]:
                            same = False
                            break
                if same:
                    if unique:
                        return slots, keys, key_off, codes, t
                    codes[t] = codes[other]
                    break
            at = (at + np.uint64(1)) & mask
    return slots, keys, key_off, codes, (-1 if unique else n_codes)


@njit(cache=True, inline="always")
def _find(
    buf: NDArray[np.uint8],
    s: int,
    length: int,
    slots: NDArray[np.uint64],
    keys: NDArray[np.uint8],
    key_off: NDArray[np.int64],
) -> int:
    mask = np.uint64(len(slots) - 1)
    low = np.uint64(0xFFFFFFFF)
    word, h = _digest(buf, s, length)
    at = h & mask
    while True:
        tag = slots[at, 1]
        if tag == 0:
            return -1
        if slots[at, 0] == word and (tag >> np.uint64(32)) == np.uint64(length):
            t = np.int64(tag & low) - 1
            if length <= 8:
                return t
            b0 = key_off[t]
            same = True
            for x in range(length):
                if buf[s + x] != keys[b0 + x]:
                    same = False
                    break
            if same:
                return t
        at = (at + np.uint64(1)) & mask


@njit(cache=True)
def _resolve_lists(
    buf: NDArray[np.uint8],
    str_s: NDArray[np.int64],
    str_l: NDArray[np.int32],
    slots: NDArray[np.uint64],
    keys: NDArray[np.uint8],
    key_off: NDArray[np.int64],
    begin: NDArray[np.int64],
    end: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int32], bool]:
    """Resolve each row's range of strings against a table; False if any id is unknown."""
    rows = len(begin)
    ptr = np.zeros(rows + 1, dtype=np.int64)
    for r in range(rows):
        cnt = end[r] - begin[r] if begin[r] >= 0 else 0
        ptr[r + 1] = ptr[r] + cnt
    out = np.empty(ptr[-1], dtype=np.int32)
    w = 0
    for r in range(rows):
        if begin[r] < 0:
            continue
        for a in range(begin[r], end[r]):
            t = _find(buf, str_s[a], str_l[a], slots, keys, key_off)
            if t < 0:
                return ptr, out, False
            out[w] = t
            w += 1
    return ptr, out, True


@njit(cache=True)
def _resolve_one(
    buf: NDArray[np.uint8],
    str_s: NDArray[np.int64],
    str_l: NDArray[np.int32],
    slots: NDArray[np.uint64],
    keys: NDArray[np.uint8],
    key_off: NDArray[np.int64],
    refs: NDArray[np.int64],
) -> tuple[NDArray[np.int32], bool]:
    out = np.full(len(refs), -1, dtype=np.int32)
    for r in range(len(refs)):
        a = refs[r]
        if a >= 0:
            t = _find(buf, str_s[a], str_l[a], slots, keys, key_off)
            if t < 0:
                return out, False
            out[r] = t
    return out, True


@njit(cache=True)
def _gather(
    buf: NDArray[np.uint8],
    str_s: NDArray[np.int64],
    str_l: NDArray[np.int32],
    ids: NDArray[np.int64],
) -> NDArray[np.uint8]:
    """The id strings joined by newlines (raw newlines cannot occur inside JSON strings)."""
    size = 0
    for t in range(len(ids)):
        size += str_l[ids[t]] + 1
    out = np.empty(size, dtype=np.uint8)
    w = 0
    for t in range(len(ids)):
        a = ids[t]
        for x in range(str_s[a], str_s[a] + str_l[a]):
            out[w] = buf[x]
            w += 1
        out[w] = 10
        w += 1
    return out


def _decode_ids(
    buf: NDArray[np.uint8],
    str_s: NDArray[np.int64],
    str_l: NDArray[np.int32],
    ids: NDArray[np.int64],
) -> list[str] | None:
    if len(ids) == 0:
        return []
    try:
        text = _gather(buf, str_s, str_l, ids).tobytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text.split("\n")[:-1]


#: Below this size the reference path is about as fast and needs no compiled code.
FAST_PATH_MIN_BYTES = 1 << 16


def fast_parse_instance(raw: bytes, *, force: bool = False) -> Instance | None:
    """Parse instance bytes with the compiled scanner, or return None to use the reference path.

    ``None`` means "not handled here", never "invalid": the caller then parses the same bytes
    with :func:`json.loads` and :func:`~stagebrug.matching.engine.instance.load_instance`.
    """
    if len(raw) < FAST_PATH_MIN_BYTES and not force:
        return None
    buf = np.frombuffer(raw, dtype=np.uint8)
    status, str_s, str_l, st, n_st, pl, n_pl, sv, n_sv, seed = _parse(buf)
    if status != 0:
        return None
    st, pl, sv = st[:n_st], pl[:n_pl], sv[:n_sv]
    s_ids = np.ascontiguousarray(st[:, 0])
    p_ids = np.ascontiguousarray(pl[:, 0])
    v_ids = np.ascontiguousarray(sv[:, 0])
    *s_table, _, dup = _table(buf, str_s, str_l, s_ids, True)
    if dup >= 0:
        return None
    *p_table, _, dup = _table(buf, str_s, str_l, p_ids, True)
    if dup >= 0:
        return None
    *v_table, _, dup = _table(buf, str_s, str_l, v_ids, True)
    if dup >= 0:
        return None
    choice_ptr, choices, good = _resolve_lists(
        buf,
        str_s,
        str_l,
        *p_table,
        np.ascontiguousarray(st[:, 1]),
        np.ascontiguousarray(st[:, 2]),
    )
    if not good:
        return None
    ranking_ptr, ranking, good = _resolve_lists(
        buf,
        str_s,
        str_l,
        *s_table,
        np.ascontiguousarray(pl[:, 3]),
        np.ascontiguousarray(pl[:, 4]),
    )
    if not good:
        return None
    sv_ptr, sv_ranking, good = _resolve_lists(
        buf,
        str_s,
        str_l,
        *s_table,
        np.ascontiguousarray(sv[:, 2]),
        np.ascontiguousarray(sv[:, 3]),
    )
    if not good:
        return None
    supervisor_of, good = _resolve_one(buf, str_s, str_l, *v_table, np.ascontiguousarray(pl[:, 2]))
    if not good:
        return None
    duo_refs = np.ascontiguousarray(pl[:, 5])
    has_duo = duo_refs >= 0
    duo_of = np.full(n_pl, -1, dtype=np.int32)
    duo_ids: list[str] = []
    if has_duo.any():
        members = duo_refs[has_duo]
        *_, codes, n_duos = _table(buf, str_s, str_l, members, False)
        duo_of[has_duo] = codes
        first = np.zeros(n_duos, dtype=np.int64)
        first[codes[::-1]] = members[::-1]
        names = _decode_ids(buf, str_s, str_l, first)
        if names is None:
            return None
        duo_ids = names
    student_ids = _decode_ids(buf, str_s, str_l, s_ids)
    placement_ids = _decode_ids(buf, str_s, str_l, p_ids)
    supervisor_ids = _decode_ids(buf, str_s, str_l, v_ids)
    if student_ids is None or placement_ids is None or supervisor_ids is None:
        return None
    if seed > MAX_SEED:
        return None
    try:
        return instance_from_arrays(
            student_ids=student_ids,
            placement_ids=placement_ids,
            supervisor_ids=supervisor_ids,
            choice_ptr=choice_ptr,
            choices=choices,
            capacity=pl[:, 1].astype(np.int32),
            supervisor_of=supervisor_of,
            placement_ranked=pl[:, 3] >= 0,
            ranking_ptr=ranking_ptr,
            ranking=ranking,
            supervisor_capacity=sv[:, 1].astype(np.int32),
            supervisor_ranked=sv[:, 2] >= 0,
            supervisor_ranking_ptr=sv_ptr,
            supervisor_ranking=sv_ranking,
            duo_ids=duo_ids,
            duo_of=duo_of,
            seat_of=pl[:, 6].clip(0).astype(np.int8),
            seed=None if seed < 0 else int(seed),
        )
    except InstanceError:
        return None


# --------------------------------------------------------------------------------------------
# Writing: ids pre-rendered as JSON string tokens, then assembled by compiled loops.
# --------------------------------------------------------------------------------------------

_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def id_tokens(ids: list[str]) -> tuple[NDArray[np.uint8], NDArray[np.int64]]:
    """Each id as a quoted JSON string token, concatenated, with offsets (``n + 1``)."""
    if not ids:
        return np.zeros(0, dtype=np.uint8), np.zeros(1, dtype=np.int64)
    joined = "".join(ids)
    if joined.isascii() and not _NEEDS_ESCAPE.search(joined):
        blob = ('"' + '""'.join(ids) + '"').encode("ascii")
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids)) + 2
    else:
        encoded = [json.dumps(x, ensure_ascii=False).encode("utf-8") for x in ids]
        blob = b"".join(encoded)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(ids))
    offsets = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return np.frombuffer(blob, dtype=np.uint8), offsets
