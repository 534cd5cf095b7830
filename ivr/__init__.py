"""Infoline: a multilingual SMS and voice information line. `create_app` builds the web app.

Importing a part (`ivr.render.segments`, `ivr.content.extract` for Babel, the RQ worker's job)
loads only that part: the app factory is imported when first called.
"""
from __future__ import annotations

from typing import Any


def create_app(*args: Any, **kwargs: Any):  # noqa: ANN201 - returns a Flask app, imported lazily
    from ivr.web.app import create_app as build

    return build(*args, **kwargs)
