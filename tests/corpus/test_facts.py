"""Facts pinned against the official record (sources in each corpus file): a
change to any of them must be a deliberate correction, made here as well."""

from __future__ import annotations

import pytest

# instrument id -> (document symbol or None, adoption date, adopting body, entry into force)
INSTRUMENTS = {
    "unmd-1992": ("A/RES/47/135", "1992-12-18", "ga", None),
    "icerd": ("A/RES/2106(XX)", "1965-12-21", "ga", "1969-01-04"),
    "iccpr": ("A/RES/2200(XXI)", "1966-12-16", "ga", "1976-03-23"),
    "ddpa-declaration-2001": ("A/CONF.189/12", "2001-09-08", "wcar-2001", None),
    "ddpa-programme-2001": ("A/CONF.189/12", "2001-09-08", "wcar-2001", None),
    "ga-res-68-237": ("A/RES/68/237", "2013-12-23", "ga", None),
    "ga-res-69-16": ("A/RES/69/16", "2014-11-18", "ga", None),
    "hrc-res-43-1": ("A/HRC/RES/43/1", "2020-06-19", "hrc", None),
    "hrc-res-47-21": ("A/HRC/RES/47/21", "2021-07-13", "hrc", None),
    "a-hrc-47-53": ("A/HRC/47/53", "2021-07-09", "high-commissioner", None),
    "cerd-gr-32": ("CERD/C/GC/32", "2009-09-24", "cerd", None),
    "cerd-gr-34": ("CERD/C/GC/34", "2011-10-03", "cerd", None),
    "cerd-gr-35": ("CERD/C/GC/35", "2013-09-26", "cerd", None),
    "cerd-gr-36": ("CERD/C/GC/36", "2020-12-17", "cerd", None),
    "undrip-2007": ("A/RES/61/295", "2007-09-13", "ga", None),
    "fcnm-1995": ("ETS No. 157", "1995-02-01", "coe-committee-of-ministers", "1998-02-01"),
    "sg-guidance-note-2013": (None, "2013", "sg", None),
    "call-to-action-2020": (None, "2020-02-24", "sg", None),
    "unsdg-lnob-guide-2019": (None, "2019-03-18", "unsdg", None),
    "ga-res-75-314": ("A/RES/75/314", "2021-08-02", "ga", None),
    "hrc-res-6-15": ("A/HRC/RES/6/15", "2007-09-28", "hrc", None),
    "ga-res-60-251": ("A/RES/60/251", "2006-03-15", "ga", None),
    "ga-res-48-141": ("A/RES/48/141", "1993-12-20", "ga", None),
}
BINDING = {"icerd", "iccpr", "fcnm-1995"}

# body id -> (founding instrument, date of establishment)
FOUNDED = {
    "hrc": ("ga-res-60-251", "2006-03-15"),
    "forum-minority-issues": ("hrc-res-6-15", "2007-09-28"),
    "pfpad": ("ga-res-75-314", "2021-08-02"),
    "emler": ("hrc-res-47-21", "2021-07-13"),
    "high-commissioner": ("ga-res-48-141", "1993-12-20"),
    "cerd": ("icerd", None),
    "human-rights-committee": ("iccpr", None),
    "acfc": ("fcnm-1995", None),
}


def _one(corpus, query: str) -> dict:
    rows = corpus.select(query)
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize("slug", sorted(INSTRUMENTS))
def test_instrument_metadata(corpus, slug):
    symbol, adopted, body, in_force = INSTRUMENTS[slug]
    row = _one(
        corpus,
        f"SELECT ?symbol ?adopted ?body ?force ?binding WHERE {{ inst:{slug} "
        "eli:date_document ?adopted ; ng:adoptedBy ?body ; ng:legallyBinding ?binding . "
        f"OPTIONAL {{ inst:{slug} ng:symbol ?symbol }} "
        f"OPTIONAL {{ inst:{slug} eli:first_date_entry_in_force ?force }} }}",
    )
    assert row["symbol"] == symbol
    assert row["adopted"] == adopted
    assert corpus.local(row["body"]) == f"id/body/{body}"
    assert row["force"] == in_force
    assert (row["binding"] == "true") == (slug in BINDING)


@pytest.mark.parametrize("slug", sorted(FOUNDED))
def test_founding_instrument_and_date(corpus, slug):
    instrument, established = FOUNDED[slug]
    row = _one(
        corpus,
        f"SELECT ?i ?date WHERE {{ ?b ng:foundingInstrument ?i . "
        f"FILTER(STRENDS(STR(?b), '/id/body/{slug}')) OPTIONAL {{ ?b dcterms:created ?date }} }}",
    )
    assert corpus.local(row["i"]) == f"id/instrument/{instrument}"
    assert row["date"] == established


def test_establishing_instruments_name_the_bodies_they_found(corpus):
    pairs = corpus.select("SELECT ?i ?b WHERE { ?b ng:foundingInstrument ?i }")
    for pair in pairs:
        assert corpus.ask(f"ASK {{ <{pair['i']}> ng:establishes <{pair['b']}> }}"), pair


def test_the_network(corpus):
    row = _one(
        corpus,
        "SELECT ?created ?coordinator (COUNT(?m) AS ?members) WHERE { ?n a ng:InterAgencyNetwork ; "
        "dcterms:created ?created ; ng:coordinatedBy ?coordinator ; org:hasMember ?m } "
        "GROUP BY ?created ?coordinator",
    )
    assert row["created"] == "2012-03-06"
    assert corpus.local(row["coordinator"]) == "id/entity/ohchr"
    assert int(row["members"]) >= 20


def test_work_plan_commitments_name_the_three_anniversaries(corpus):
    commitments = corpus.select(
        "SELECT ?c (COUNT(DISTINCT ?t) AS ?themes) WHERE { ?c a ng:WorkPlanCommitment ; "
        "ng:committedBy ?n ; ng:addressesTheme ?t } GROUP BY ?c"
    )
    assert len(commitments) >= 7
    anniversaries = {
        corpus.local(r["a"]).rsplit("/", 1)[-1]: corpus.local(r["i"]).rsplit("/", 1)[-1]
        for r in corpus.select("SELECT ?a ?i WHERE { ?c ng:inLightOf ?a . ?a ng:commemorates ?i }")
    }
    assert {"idpad-midterm-review", "wcar-20th-anniversary", "unmd-30th-anniversary"} <= set(
        anniversaries
    )
    assert anniversaries["unmd-30th-anniversary"] == "unmd-1992"


def test_decade_themes_recognition_justice_development(corpus):
    for slug in ("ga-res-68-237", "ga-res-69-16"):
        themes = {
            corpus.local(t).rsplit("/", 1)[-1]
            for t in corpus.values(f"SELECT ?t WHERE {{ inst:{slug} ng:addressesTheme ?t }}")
        }
        assert {"recognition", "justice", "development"} <= themes, slug
