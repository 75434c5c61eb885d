"""The profiles' validators, run as the profiles mean them (whether the shipped vocabulary conforms to
them is in test_vocabulary_content.py).

VocPub (AGLDWG's SKOS publishing profile): its SHACL validator, copied unchanged into
tests/data/third-party-shapes/vocpub/ (CC BY 4.0, see the README there), run with pySHACL directly
on an rdflib graph of vocab/*.ttl, as the profile's own tooling runs it (advanced=True for its
SPARQL-based shapes). The shipped vocabulary must conform with no result at any severity: not even
the profile's SHOULD warnings (agents' schema:url, 2.1.12 theming with IRIs, 2.3.04 concept
origins).
"""

from __future__ import annotations

from conftest import VOCPUB, vocpub_results


def test_the_validator_runs_as_the_profile_means_it():
    """The copied validator finds violations in the profile's invalid example and none in its valid one."""
    assert [r for r in vocpub_results([VOCPUB / "examples" / "01-valid.ttl"]) if r[0] == "Violation"] == []
    assert [r for r in vocpub_results([VOCPUB / "examples" / "01-invalid.ttl"]) if r[0] == "Violation"]
