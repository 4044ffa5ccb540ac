"""Builds the small rule-based English spaCy pipeline that Rasa's SpacyNLP loads.

No statistical English model can be downloaded on these machines, so the pipeline is
spacy.blank("en") + a lookup lemmatizer (tables from spacy-lookups-data, a registry package)
+ an entity_ruler with the patterns in bot.patterns. It is saved to a build folder, which
config.yml names; it is a build output and stays out of git.
"""

from __future__ import annotations

from pathlib import Path

from bot.patterns import all_patterns

DEFAULT_OUTPUT = Path("build/spacy_en")


def build_pipeline():
    import spacy  # imported here so importing bot.* stays cheap

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    nlp.initialize()  # loads the lemma lookup tables from spacy-lookups-data
    ruler.add_patterns(all_patterns())
    return nlp


def build(output: Path = DEFAULT_OUTPUT) -> Path:
    nlp = build_pipeline()
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output
