"""VocabError: FILE:LINE: message, with the library's parameters named for whoever reads the message."""

from __future__ import annotations

from sst_vocab.errors import VocabError, option


def test_file_and_line_lead_the_message():
    assert str(VocabError("bad", "a.ttl", 3)) == "a.ttl:3: bad"
    assert str(VocabError("bad", "a.ttl")) == "a.ttl: bad"
    assert str(VocabError("bad")) == "bad"


def test_a_parameter_reads_as_a_keyword_from_python_and_as_a_flag_from_the_cli():
    err = VocabError(f"give either {option('graph')} IRI or {option('default_graph')}, not both", "x.ttl", 1)
    assert str(err) == "x.ttl:1: give either graph= IRI or default_graph=, not both"
    flags = {"graph": "--graph", "default_graph": "--default-graph"}
    assert err.render(flags.__getitem__) == "x.ttl:1: give either --graph IRI or --default-graph, not both"
    assert err.message.count("\x1e") == 2  # the placeholders stay in the message for other renderers
