"""The reasoner reads a pruned graph: the entailments must be exactly those of the whole."""

import owlrl
import pytest

from kg import reason
from kg.build import Inputs, load
from kg.embedded import corpus_dir, ontology_dir
from kg.iris import Iris
from kg.progress import silent
from kg.sources import from_rdflib, to_rdflib


@pytest.mark.slow
def test_pruning_keeps_every_entailment():
    inputs = Inputs(ontology_dir(), corpus_dir())
    loaded = load(inputs, Iris("https://w3id.org/normgraph/"), silent())
    whole = to_rdflib(loaded.data)
    asserted = set(whole)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(whole)
    expected = set(from_rdflib([t for t in whole if t not in asserted and reason._useful(t)]))
    assert set(reason.entailments(loaded.data)) == expected
    # and the pruned graph is markedly smaller than the whole
    pruned = reason.prune(to_rdflib(loaded.data))
    assert len(pruned) < 0.7 * len(asserted)
