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
