"""Stemming is safe when a web server answers requests in several threads."""

import sys
import threading

from stagebrug.core import text


def test_stemming_in_parallel_threads_gives_the_same_stems_as_one_thread():
    words = [f"marketingcampagnes{i}" for i in range(8000)] + [
        "klanten",
        "adviseren",
        "gerechten",
    ] * 500
    expected = [text.snowball_stem(w) for w in words]
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible

    def work(n: int) -> None:
        try:
            results[n] = [text.snowball_stem(w) for w in words]
        except BaseException as exc:
            errors.append(exc)

    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors
    assert all(results[n] == expected for n in range(4))
