"""Building the site: every page and data file of a loaded vocabulary, in memory.

:mod:`.vocabulary` reads what the site documents, the layout (:mod:`.layout`) places every page,
the views and page modules (:mod:`.views`, :mod:`.pages`, :mod:`.index_page`) say what each page
shows, the templates render it, and :mod:`.data` slices the data files out of the whole
vocabulary's serializations.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..namespaces import OWL
from .data import DataFiles
from .index_page import index_page
from .layout import Layout, Site, lay_out
from .pages import concept_page, resource_page
from .search import search_index
from .templating import environment
from .views import Views
from .vocabulary import SiteVocabulary

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

    from ..loader import Vocabulary

#: The stylesheet and script, copied from the templates folder into ``assets/``.
_ASSETS = ("site.css", "site.js")


def build_site(vocab: Vocabulary) -> Site:
    """Build the documentation site of a loaded vocabulary (nothing is written)."""
    from ..progress import update

    model = SiteVocabulary(vocab)
    layout = _layout(model)
    views = Views(model, layout)
    update("writing the whole vocabulary in each format")
    data = DataFiles(vocab, model.source_prefixes)
    env = environment(model.lang)
    common = _common(model, views)
    files: dict[str, bytes] = {}
    _concept_pages(views, env, common, data, files)
    _resource_pages(views, env, common, data, files)
    _index(views, env, common, data, files)
    _assets(model, layout, files)
    return layout.site(dict(sorted(files.items())))


def plan_site(vocab: Vocabulary) -> Site:
    """The layout of the site of a loaded vocabulary (``pages``, ``resources``, ``base``), with no files."""
    return _layout(SiteVocabulary(vocab)).site({})


def plan(paths: Iterable[str | os.PathLike[str]] | None = None) -> Site:
    """The layout of the site (``resources``, ``pages``, ``base``) with no files: fast, for redirect rules."""
    from ..loader import load

    return plan_site(load(paths))


def build(paths: Iterable[str | os.PathLike[str]] | None = None) -> Site:
    """Load Turtle files (default: the shipped vocabulary) and build the site.

    Raises VocabError (with file and line) when the input cannot be read or parsed.

    Example::

        site = build()
        site.files["index.html"][:15]   # b'<!DOCTYPE html>'
        site.resources["security"].variants[1]   # ('text/turtle', 'security.ttl')
    """
    from ..loader import load

    return build_site(load(paths))


def _layout(model: SiteVocabulary) -> Layout:
    return lay_out(model.base, model.scheme, model.concepts, model.g.by_iri)


def _common(model: SiteVocabulary, views: Views) -> dict[str, Any]:
    """What every page shows: the site's language and title, the tool's and the vocabulary's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool_version = version("sst-vocab")
    except PackageNotFoundError:  # pragma: no cover
        tool_version = "0"
    return {
        "lang": model.lang,
        "site_title": views.site_title,
        "tool_version": tool_version,
        "scheme_version": model.first_text(model.scheme, OWL + "versionInfo") if model.scheme else None,
    }


def _concept_pages(
    v: Views, env: jinja2.Environment, common: dict[str, Any], data: DataFiles, files: dict[str, bytes]
) -> None:
    """Each concept's page and data files."""
    from ..progress import update

    template = env.get_template("concept.html")
    concepts = v.m.concepts
    for number, c in enumerate(concepts):
        if not number % 50:
            update("building concept pages", number, len(concepts))
        stem = v.layout.stem[c]
        own, jsonld = data.files(stem, [c])
        files.update(own)
        files[stem + ".html"] = template.render(concept_page(v, common, c, own, jsonld)).encode("utf-8")


def _resource_pages(
    v: Views, env: jinja2.Environment, common: dict[str, Any], data: DataFiles, files: dict[str, bytes]
) -> None:
    """The page and data files of each other resource under the base."""
    template = env.get_template("resource.html")
    for doc, subjects in v.layout.docs.items():
        stem = v.layout.stem[doc]
        own, jsonld = data.files(stem, subjects)
        files.update(own)
        files[stem + ".html"] = template.render(resource_page(v, common, doc, subjects, own, jsonld)).encode("utf-8")


def _index(v: Views, env: jinja2.Environment, common: dict[str, Any], data: DataFiles, files: dict[str, bytes]) -> None:
    """The index: the scheme's page and the whole vocabulary's files."""
    from ..export import context_bytes

    for ext, whole in data.whole.items():
        files["index" + ext] = whole
    files["context.jsonld"] = context_bytes()
    files["index.html"] = env.get_template("index.html").render(index_page(v, common, files, data)).encode("utf-8")


def _assets(model: SiteVocabulary, layout: Layout, files: dict[str, bytes]) -> None:
    from importlib.resources import files as package_files

    templates = package_files("sst_vocab").joinpath("templates")
    for name in _ASSETS:
        files["assets/" + name] = templates.joinpath(name).read_bytes()
    files["assets/search-index.js"] = search_index(model, layout.page)
