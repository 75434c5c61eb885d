"""The Jinja2 environment that renders the pages (``sst_vocab/templates``) and its filters."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import jinja2


def environment(lang: str) -> jinja2.Environment:
    """The templates' environment for a site in language ``lang`` (``site_lang``: texts in other
    languages are marked with theirs)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sst_vocab", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["site_lang"] = lang
    env.filters["jsonscript"] = json_script
    env.filters["num"] = _number
    return env


def json_script(value: Any) -> Any:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>``, ``&`` escaped."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _number(value: float) -> str:
    """A coordinate as SVG wants it: ``12``, ``12.5`` (Python's ``g`` format)."""
    return f"{value:g}"
