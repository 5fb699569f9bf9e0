"""The array shortcuts of a search at 100k units give what the plain ways gave: the
best page as a full sort orders it, a facet's tags as scipy's row indexing reads
them, snippets escaped and marked as word-by-word escaping did."""

import random

import numpy as np

from search_api.search.columns import Columns
from search_api.search.fuse import Scored, top
from search_api.search.snippets import Snippets
from search_api.search.units import Unit


def test_the_best_page_is_ordered_as_a_full_sort_orders_it_ties_included():
    rng = random.Random(5)
    # scores from a few values, so that many tie at the cut and the IRI decides
    scored = [Scored(row, fused=rng.choice([0.1, 0.25, 0.5, 0.75])) for row in range(500)]
    for c in scored[::7]:
        c.concept = 0.25
    scored[42].pinned = True
    name = {c.row: f"https://example.org/u/{rng.random()}" for c in scored}
    every = sorted(scored, key=lambda c: (-c.score, name[c.row]))
    for n in (1, 10, 20, 137, 499, 500, 900):
        assert top(list(scored), n, lambda c: name[c.row]) == every[:n]
    assert top([], 10, lambda c: "") == []


def test_a_facets_tags_gathered_for_rows_are_scipys_rows():
    rng = random.Random(3)
    units = [
        Unit(f"u{i}", "passage", "l", "t", themes=[f"t{rng.randint(0, 20)}" for _ in range(i % 5)])
        for i in range(2000)
    ]
    columns = Columns(units)
    for size in (0, 1, 300, 2000):
        rows = np.array(rng.sample(range(2000), size), dtype=np.int64)
        sub = columns.matrix["theme"][rows]
        owner, codes = columns.tags_of("theme", rows)
        assert owner.tolist() == np.repeat(np.arange(size), np.diff(sub.indptr)).tolist()
        assert codes.tolist() == sub.indices.tolist()


def test_a_snippet_escapes_what_html_needs_and_marks_whole_words():
    snippet = Snippets()('rights of "minorities"', 'Minorities & <others> have "rights".')
    assert snippet == "<b>Minorities</b> &amp; &lt;others&gt; have &quot;<b>rights</b>&quot;."
