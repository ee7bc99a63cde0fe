"""ExactStateCache: no query for absent state, latest documents, no stale read after a write."""

from __future__ import annotations

from storage.state_cache import ExactStateCache


def test_absent_keys_need_no_query_and_known_ones_are_read_once():
    cache = ExactStateCache(["known"])
    assert cache.lookup(["new", "known"]) == ({}, ["known"])
    cache.loaded("known", "e1", "{}", version=cache.version("known"))
    assert cache.lookup(["new", "known"]) == ({"known": ("e1", "{}")}, [])


def test_a_read_that_finished_after_a_write_is_not_cached():
    cache = ExactStateCache(["k"])
    version = cache.version("k")  # a read starts …
    cache.stored("k", "e2", '{"v":2}')  # … a write commits meanwhile …
    cache.loaded("k", "e1", '{"v":1}', version=version)  # … and the older row arrives
    assert cache.lookup(["k"]) == ({"k": ("e2", '{"v":2}')}, [])


def test_removed_and_forgotten_keys():
    cache = ExactStateCache()
    cache.stored("k", "e1", "{}")
    cache.removed("k")
    assert cache.lookup(["k"]) == ({}, [])  # gone: no query
    cache.forget("k")  # a failed write: the table decides
    assert cache.lookup(["k"]) == ({}, ["k"])


def test_documents_are_bounded_but_keys_stay_known():
    cache = ExactStateCache(max_documents=2)
    for n in range(3):
        cache.stored(f"k{n}", "e", "{}")
    found, unread = cache.lookup(["k0", "k1", "k2"])
    assert set(found) == {"k1", "k2"} and unread == ["k0"]
