"""The response cache for public GETs (app.core.cache.cached_response), on a view of its own.

The view is called inside a request context of the session's app (no route can be added to an app that has
served requests, and a second app would rebind the shared extensions, Socket.IO among them).
"""

import pytest
from flask import jsonify, request

from app.core import context
from app.core.cache import cached_response, invalidate
from app.extensions import cache


@pytest.fixture
def get(app):
    """get(url, headers) -> (status, JSON) of a view that counts its runs; X-As-User makes it identify a caller."""
    calls = []

    @cached_response("test.counted", timeout=60, invalidated_by=("test.",))
    def view():
        calls.append(request.args.to_dict())
        if request.headers.get("X-As-User"):
            context.set_actor(context.Actor("user", 7, "someone@example.org"))
        status = 404 if request.args.get("missing") else 200
        return jsonify(runs=len(calls)), status

    def _get(url, headers=None, method="GET"):
        with app.test_request_context(url, headers=headers or {}, method=method):
            context.reset()
            context.set_actor(context.ANONYMOUS)
            response = app.make_response(view())
            return response.status_code, response.get_json()

    return _get


def test_stored_answer_per_normalised_query_until_the_namespace_changes(app, get):
    assert get("/test/cached?a=1&b=2") == (200, {"runs": 1})
    assert get("/test/cached?b=2&a=1") == (200, {"runs": 1})  # same args, another order: stored
    assert get("/test/cached?a=2") == (200, {"runs": 2})
    invalidate("test.counted")
    assert get("/test/cached?a=1&b=2") == (200, {"runs": 3})
    assert get("/test/cached?a=1&b=2", method="HEAD") == (200, {"runs": 4})  # only GET is served from the cache


def test_only_public_200_answers_are_stored(get):
    assert get("/test/cached", {"X-As-User": "1"}) == (200, {"runs": 1})
    assert get("/test/cached") == (200, {"runs": 2})  # the identified answer was not kept
    assert get("/test/cached") == (200, {"runs": 2})
    assert get("/test/cached?missing=1") == (404, {"runs": 3})
    assert get("/test/cached?missing=1") == (404, {"runs": 4})  # a 404 is computed each time
    assert get("/test/cached", {"If-None-Match": '"x"'}) == (200, {"runs": 5})


def test_an_answer_kept_in_process_is_dropped_when_the_cache_lost_its_versions(get):
    assert get("/test/cached") == (200, {"runs": 1})
    assert get("/test/cached") == (200, {"runs": 1})
    cache.clear()  # Redis restarted or flushed: the versions are gone, this process still holds the answer
    assert get("/test/cached") == (200, {"runs": 2})
