"""The shared text helpers: one name key and one slug rule for people and projects."""

import pytest

from mwi.lib.text import name_key, unique_slug
from participants.models import Person
from stackmap.models import Project


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Zhipeng (Howard) Huang", "zhipeng howard huang"),
        ("  JOSÉ  García-López ", "jose garcia lopez"),
        ("o'neil", "o neil"),
        ("", ""),
        (None, ""),
    ],
)
def test_name_key_ignores_case_accents_and_punctuation(spelling, key):
    assert name_key(spelling) == key


def test_unique_slug_counts_up_past_the_taken_ones_and_records_its_choice():
    taken = {"milvus", "milvus-2"}
    assert unique_slug("Milvus", taken) == "milvus-3"
    assert "milvus-3" in taken
    assert unique_slug("Milvus", taken) == "milvus-4"


def test_unique_slug_falls_back_to_the_default_and_respects_the_length():
    assert unique_slug("!!!", set(), default="person") == "person"
    assert len(unique_slug("x" * 500, set(), max_length=100)) <= 100


def test_people_with_the_same_name_get_distinct_slugs(db):
    slugs = [Person.objects.create(name="Ann Lee").slug for _ in range(3)]
    assert slugs == ["ann-lee", "ann-lee-2", "ann-lee-3"]


def test_a_person_keeps_their_slug_when_saved_again(db):
    person = Person.objects.create(name="Ann Lee")
    person.save()
    assert Person.objects.get().slug == "ann-lee"


def test_people_and_projects_slug_names_the_same_way(db):
    person = Person.objects.create(name="Ünïcode Näme")
    project = Project.objects.create(name="Ünïcode Näme")
    assert person.slug == project.slug == "unicode-name"
