"""Ingest fixtures: one release built from the embedded ontology and corpus, whose real
instruments, bodies and entities the tagger must find, copied for each test that writes;
a statement in the project's own words and what it names; documents in every format
(tests/ingest/documents.py), never read from outside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings

from ..conftest import build_into, copy_release
from .documents import Documents

BASE = "https://w3id.org/normgraph/"

# A statement in the style of the UN Network's, in the project's own words: it names
# what the tagger must link (instruments, bodies, themes) in the ways texts name them.
STATEMENT = "\n\n".join(
    [
        "Statement of the Fixture Network, 3 December 2020",
        (
            "The Network on Racial Discrimination and Protection of Minorities met on 4 November."
            " Its members noted multiple discrimination based on gender, disability and age, and "
            "the very serious impacts of COVID-19 on minority communities and "
            "the calls of the Secretary-General, including the Call to Action on Human Rights."
        ),
        (
            "The members recalled the mid-term review of the Decade of people of African Descent,"
            " the 20th anniversary of the World Conference Against Racism and the 30th "
            "anniversary of the 1992 UN Minorities Declaration."
        ),
        (
            "1. Providing practical guidance to UN Country Teams, including on gender dimensions "
            "and intersectional aspects, and on the response to the pandemic."
        ),
        (
            "2. Advancing action against racial discrimination in displacement, security, "
            "peacekeeping and the protection of civilians, and in the context of climate change."
        ),
        (
            "3. Tackling racial discrimination in criminal justice and law enforcement, taking "
            "note of Resolution 43/1 of the Human Rights Council on excessive use of force by law"
            " enforcement officers."
        ),
        (
            "Noting the International Day of Persons with Disabilities, the Network commits to "
            "advancing its work on intersectionality and the rights of women and girls in Brazil "
            "and France."
        ),
        (
            "The Network will deepen its cooperation with the WGEPAD and with OHCHR, in line with"
            " the Durban Declaration."
        ),
    ]
)

# What the statement names, in the corpus's own IRIs, with how often (surface forms noted).
STATEMENT_LINKS = {
    "instrument/unmd-1992": 1,  # "the 1992 UN Minorities Declaration"
    "instrument/ddpa-declaration-2001": 1,  # "the Durban Declaration"
    "instrument/ga-res-68-237": 1,  # "the Decade of people of African Descent"
    "instrument/hrc-res-43-1": 1,  # "Resolution 43/1" (symbol A/HRC/RES/43/1)
    "instrument/call-to-action-2020": 1,  # "the Call to Action on Human Rights"
    "body/wcar-2001": 1,  # "the World Conference Against Racism"
    "body/wgepad": 1,  # "the WGEPAD"
    "body/hrc": 1,  # "the Human Rights Council"
    "body/sg": 1,  # "the Secretary-General"
    "entity/ohchr": 1,  # "OHCHR"
    "theme/covid-19": 2,  # "COVID-19", "the pandemic"
    "theme/law-enforcement": 2,  # "criminal justice and law enforcement", "... officers"
    "theme/climate-change": 1,
    "theme/displacement": 1,
    "theme/peacekeeping": 2,  # "peacekeeping", "the protection of civilians"
    "theme/gender": 2,  # "gender", "gender dimensions"
    "theme/disability": 1,
    "theme/multiple-discrimination": 2,  # "multiple discrimination", "intersectionality"
    "group/persons-with-disabilities": 1,
    "group/women-and-girls": 1,
    "country/bra": 1,
    "country/fra": 1,
}

# The Declaration's structure (articles and their paragraph counts) as the corpus has it;
# the wording is made up for the tests: alignment does not depend on it.
UNMD_PARAGRAPHS = {1: 2, 2: 5, 3: 2, 4: 5, 5: 2, 6: 1, 7: 1, 8: 4, 9: 1}


def declaration_text(skip: set[tuple[int, int]] = frozenset(), extra_article: bool = False) -> str:
    lines = [
        "A/RES/47/135",
        "Declaration on the Rights of Persons Belonging to National or Ethnic, Religious and "
        "Linguistic Minorities",
        "",
        "The General Assembly,",
        "",
        "Reaffirming that the fixture text stands in for the official preamble,",
        "",
        "Proclaims this Declaration:",
        "",
    ]
    for article, count in UNMD_PARAGRAPHS.items():
        lines += [f"Article {article}", ""]
        if count == 1:
            lines += [f"Fixture wording of article {article} on minorities and their rights.", ""]
            continue
        for para in range(1, count + 1):
            if (article, para) not in skip:
                lines += [f"{para}. Fixture wording of article {article}, paragraph {para}.", ""]
    if extra_article:
        lines += ["Article 10", "", "A tenth article that the corpus does not have.", ""]
    return "\n".join(lines)


@pytest.fixture
def documents(tmp_path: Path) -> Documents:
    return Documents(tmp_path / "documents")


@pytest.fixture(scope="session")
def base_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release of the embedded ontology and corpus (no search indexes); copy it before
    writing."""
    root = tmp_path_factory.mktemp("base-release")
    build_into(root)
    return root


@pytest.fixture
def root(base_release: Path, tmp_path: Path) -> Path:
    """A private release root holding a copy of the base release."""
    return copy_release(base_release, tmp_path / "var")


@pytest.fixture
def settings(root: Path) -> Settings:
    return Settings.load(environ={}, release_dir=root)
