"""VocabError: FILE:LINE: message."""

from __future__ import annotations

from sst_vocab.errors import VocabError


def test_file_and_line_lead_the_message():
    assert str(VocabError("bad", "a.ttl", 3)) == "a.ttl:3: bad"
    assert str(VocabError("bad", "a.ttl")) == "a.ttl: bad"
    assert str(VocabError("bad")) == "bad"


def test_the_parameters_that_would_fix_it_travel_with_the_error():
    err = VocabError("give either a graph or the default graph, not both", options=("graph", "default_graph"))
    assert err.options == ("graph", "default_graph")
    assert str(err) == "give either a graph or the default graph, not both"  # the message names no front end's flag
