"""The word lists that decide what a Dutch word means, as data files under `data/routing/`
(stop words, synonyms, stem corrections), so a school can maintain them without touching code."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "routing"
STOPWORDS_FILE = DATA_DIR / "stopwords_nl.txt"
SYNONYMS_FILE = DATA_DIR / "synonyms_nl.csv"
STEMS_FILE = DATA_DIR / "stems_nl.csv"

CONCEPT_PREFIX = "="  # a concept term is "=social media"; a stem never starts with "="
LIST_SEPARATOR = ";"  # separates the items of a list inside one CSV cell


class TextDataError(ValueError):
    """A routing data file has a line we cannot use. The message names the file and line."""


def data_lines(path: Path) -> Iterable[str]:
    """Non-empty lines that are not comments (#) of a UTF-8 text file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TextDataError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise TextDataError(f"{path.name}: not UTF-8 text ({exc})") from None
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def data_rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    """(line number, cells) of a CSV file, skipping blank lines and # comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TextDataError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise TextDataError(f"{path.name}: not UTF-8 text ({exc})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = next(csv.reader([line]))
        yield number, [cell.strip() for cell in row]


def data_files() -> tuple[Path, ...]:
    """The data files routing depends on (their change invalidates a cached router)."""
    return (STOPWORDS_FILE, SYNONYMS_FILE, STEMS_FILE)
