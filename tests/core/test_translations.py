"""Every text of the interface has a Dutch translation (Dutch first, W-agnostic)."""

from pathlib import Path

from django.conf import settings


def test_every_message_has_a_dutch_translation():
    po = Path(settings.BASE_DIR, "stagebrug/locale/nl/LC_MESSAGES/django.po").read_text(
        encoding="utf-8"
    )
    entries = po.split("\n\n")[1:]  # skip the header
    untranslated = []
    for entry in entries:
        if entry.lstrip().startswith("#~"):
            continue
        if "#, fuzzy" in entry:
            untranslated.append(entry)
            continue
        lines = entry.strip().splitlines()
        msgstr_lines = [i for i, line in enumerate(lines) if line.startswith("msgstr")]
        for i in msgstr_lines:
            value = lines[i].split(" ", 1)[1]
            continuation = [line for line in lines[i + 1 :] if line.startswith('"')]
            if value == '""' and not any(c != '""' for c in continuation[:1]):
                untranslated.append(entry)
    assert not untranslated, f"{len(untranslated)} untranslated, first: {untranslated[0]}"


def test_dutch_is_the_default_language(client, db):
    html = client.get("/").content.decode()
    assert '<html lang="nl"' in html


def test_every_text_of_the_code_and_templates_is_in_the_dutch_catalogue(tmp_path):
    """A new string in code or a template must reach the Dutch catalogue (makemessages run and
    the entry translated), or the page shows it in English to Dutch readers."""
    import shutil
    import subprocess
    import sys

    tree = tmp_path / "stagebrug"
    shutil.copytree(
        Path(settings.BASE_DIR, "stagebrug"),
        tree,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "*.mo"),
    )
    subprocess.run(
        [
            sys.executable,
            str(Path(settings.BASE_DIR, "manage.py")),
            "makemessages",
            "-l",
            "nl",
            "--no-obsolete",
            "-v0",
        ],
        cwd=tree,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = _msgids(tree / "locale/nl/LC_MESSAGES/django.po")
    committed = _msgids(Path(settings.BASE_DIR, "stagebrug/locale/nl/LC_MESSAGES/django.po"))
    missing = sorted(fresh - committed)
    assert not missing, f"{len(missing)} texts are not in the Dutch catalogue, first: {missing[:5]}"


def _msgids(path: Path) -> set[str]:
    """The msgids of a .po file (joined continuation lines), without the header."""
    ids, current, reading = set(), [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current, reading = [line[6:]], True
        elif reading and line.startswith('"'):
            current.append(line)
        else:
            if reading:
                ids.add("".join(part.strip('"') for part in current))
            reading = False
    ids.discard("")
    return ids
