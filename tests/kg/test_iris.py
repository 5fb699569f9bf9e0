import pytest

from kg.iris import Iris, check_slug, number_slug

BASE = "https://w3id.org/normgraph/"


def test_iri_table_follows_design():
    iris = Iris(BASE)
    assert iris.term("Instrument").value == BASE + "def/Instrument"
    assert iris.instrument("unmd-1992").value == BASE + "id/instrument/unmd-1992"
    assert (
        iris.provision("unmd-1992", ("art", 4), ("para", 3)).value
        == BASE + "id/instrument/unmd-1992/art/4/para/3"
    )
    assert iris.provision("res-43-1", ("para", 12)).value == BASE + "id/instrument/res-43-1/para/12"
    assert iris.theme("law-enforcement").value == BASE + "id/theme/law-enforcement"
    assert iris.group("roma").value == BASE + "id/group/roma"
    assert iris.body("cerd").value == BASE + "id/body/cerd"
    assert iris.entity("ohchr").value == BASE + "id/entity/ohchr"
    assert iris.practice("x").value == BASE + "id/practice/x"
    assert iris.passage("a-res-47-135", 7).value == BASE + "id/document/a-res-47-135/p/7"


def test_other_base_iri():
    assert Iris("http://localhost:8000/").body("cerd").value == "http://localhost:8000/id/body/cerd"


@pytest.mark.parametrize(
    "bad", ["", "Upper", "two--hyphens", "-lead", "trail-", "sp ace", "a/b", 7]
)
def test_bad_slugs_are_refused(bad):
    with pytest.raises(ValueError):
        check_slug(bad)


def test_number_slugs():
    assert number_slug(4) == "4"
    assert number_slug("1 bis") == "1-bis"
    assert number_slug("IV") == "iv"
    for bad in ("", "4/3", True, "a  b"):
        with pytest.raises(ValueError):
            number_slug(bad)


def test_local_strips_base_only():
    iris = Iris(BASE)
    assert iris.local(BASE + "id/body/ga") == "id/body/ga"
    assert iris.local("http://purl.org/dc/terms/title") == "http://purl.org/dc/terms/title"


def test_iris_added_with_the_corpus():
    iris = Iris(BASE)
    assert iris.section("icerd", "I", "part").value == BASE + "id/instrument/icerd/part/i"
    assert (
        iris.section("ddpa-programme-2001", "II-roma").value
        == BASE + "id/instrument/ddpa-programme-2001/section/ii-roma"
    )
    assert iris.network("un-network").value == BASE + "id/network/un-network"
    assert iris.commitment("c").value == BASE + "id/commitment/c"
    assert iris.anniversary("a").value == BASE + "id/anniversary/a"
    assert iris.sdg_goal(10).value == BASE + "id/sdg/goal/10"
    assert iris.sdg_target("16.b").value == BASE + "id/sdg/target/16-b"
    assert iris.sdg_target("16.10").value == BASE + "id/sdg/target/16-10"
    for bad in ("18.1", "10", "10.3.1", 10.3, True):
        with pytest.raises(ValueError):
            iris.sdg_target(bad)
    with pytest.raises(ValueError):
        iris.section("icerd", "I", "chapter")
