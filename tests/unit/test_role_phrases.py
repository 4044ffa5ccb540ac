"""Who is asking: the role lookup in data/nlu/lookups.yml, run through the same two Rasa
components config.yml uses (RegexEntityExtractor with word boundaries, then EntitySynonymMapper).

A carer rarely says "I'm his carer"; they say "my son was on a 37/41". Answers then speak of
"the person you care for". A patient who mentions family ("my mum is my nearest relative") must
stay the patient.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def roles_of(tmp_path_factory):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.extractors.entity_synonyms import EntitySynonymMapper
    from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.message import Message

    # All of data/nlu: the extractor keeps only lookups named after an entity annotated there.
    data = load_data(str(ROOT / "data" / "nlu"))
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(GraphSchema({}), "test")
    extractor = RegexEntityExtractor.create(
        {**RegexEntityExtractor.get_default_config(), "use_lookup_tables": True,
         "use_regexes": False, "use_word_boundaries": True},
        storage, Resource("regex"), context)
    extractor.train(data)
    mapper = EntitySynonymMapper.create(EntitySynonymMapper.get_default_config(), storage,
                                        Resource("synonyms"), context)
    mapper.train(data)

    def roles(text: str) -> list[str]:
        message = Message.build(text)
        mapper.process(extractor.process([message]))
        return [e["value"] for e in message.get("entities", []) if e["entity"] == "role"]

    return roles


@pytest.mark.parametrize("text", [
    "my son was on a 37/41 and is now conditionally discharged",
    "Can I (his mum) come to my son's 117 meeting? He's 30.",
    "council sent my mum a bill, my mum has 117",
    "my dads aftercare was stopped",
    "my daughter is on a cto now",
    "asking for my son",
    "i'm her carer",
])
def test_a_family_member_asking_is_a_carer(roles_of, text):
    assert roles_of(text) and set(roles_of(text)) == {"carer"}


@pytest.mark.parametrize("text", [
    "my mum is my nearest relative",
    "can my wife come to my meeting",
    "i was on a section 3 do i pay",
    "my 117 was stopped",
])
def test_a_patient_who_mentions_family_is_not_made_a_carer(roles_of, text):
    assert "carer" not in roles_of(text)


@pytest.mark.parametrize("text, role", [
    ("my client was on s37", "advocate"),
    ("i am an advocate", "advocate"),
    ("i'm the patient", "patient"),
])
def test_other_roles(roles_of, text, role):
    assert roles_of(text) == [role]
