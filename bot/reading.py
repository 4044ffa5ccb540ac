"""Reading a long message: its sentences, and which of them ask something.

Carers and advocates write stories: who, which section, where the person is now, what the
council said, then one or more questions, sometimes only implied ("...is that right?", "they
want her to pay"). The rest of the understanding works sentence by sentence, so this module
splits a message into sentences and scores how much each one asks. Plain Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? or a line break; runs such as "??" or "?!" stay with their sentence.
# Not after common abbreviations ("s.3", "Mr.", "e.g.") or inside numbers ("£1.50", "5.2").
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n+")
_ABBREVIATION = re.compile(
    r"(?:\b(?:s|ss|sec|sect|mr|mrs|ms|dr|st|no|e\.g|i\.e|etc|approx|vs|para|ch)\.|\b[a-z]\.)$",
    re.I)
# A sentence this short is a fragment of its neighbour ("Hi.", "Thanks.", "Help!").
MIN_WORDS = 2

# Ways people ask without a question mark, or put the question in a statement.
_QUESTION_START = re.compile(
    r"^\s*(?:(?:and|but|so|also|plus|or|then|ok|okay|hi|hello|right|thanks|yes|no)\b[\s,.!]*)?"
    r"(what|whats|what's|wat|wot|wen|who|whose|whom|how|hows|why|when|where|which|"
    r"is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|might|must|"
    r"have|has|any|anyone|"
    # A negative opens a question only before who it asks about: "can't they...?", not
    # "can't believe this" or "didn't even get a letter".
    r"(?:isn't|isnt|aren't|arent|doesn't|doesnt|didn't|didnt|cant|can't|couldn't|wouldn't|"
    r"shouldn't)(?=\s+(?:i|you|he|she|it|we|they|my|his|her|their|the|mum|dad|that|this)\b))"
    r"\b", re.I)
_IMPLIED = re.compile(
    r"\b(is (that|this|it) (right|correct|true|legal|allowed|alowed|allowd|alowd|lawful|fair|ok|"
    r"okay)|"
    r"(is|was) that aloud|are they allowed|can they (do|just)|surely|"
    r"i (just |really |only )?(want|need|would like|wd like|'d like|d like) to know|i('m| am| m)? (wondering|not sure|unsure|confused)|"
    r"wonder(ing)? (if|whether|what|how|who)|not sure (if|whether|what|how|who)|"
    r"please (advise|help|explain|tell)|any (advice|help|ideas|thoughts)|"
    r"advice (please|needed|welcome)|help( me)? please|what (are|is) (my|our|her|his|their) (rights|options)|"
    r"where do (i|we) stand|what (can|should|do) (i|we) do|"
    r"(tell|explain to) me (about|how|what|if|whether)|"
    r"(want|wants|expect|expects|asking|asked|trying to get|tried to get|telling|told) "
    r"(her|him|them|me|us|my \w+) to (pay|contribute|top up|use (her|his|their|my) savings|sell)|"
    r"(they|the council|the home|social services|the nhs|the icb)('re| are| is| have| has|'ve|ve)? "
    r"(saying|say|says|said|sed|sez|told|telling)\b|"
    r"\b(i|we|he|she|they|you) (have|has|had|need|needs) to pay\b)", re.I)


# What someone was told or is about to have done to them, said as a plain statement: "she's
# being told to claim housing benefit", "the ICB has written proposing to end his 117", "they
# want to send me to a placement 50 miles away", "I don't want the support worker any more".
# An unspoken "is that right?" or "can I say no?", but weaker than a real question: a question
# later in the story stays the main one.
_CONCERN = re.compile(
    r"\b((been|being|was|were|am|is|are|get|got|keep getting) told (to\b|[^.!?]{0,40}\b(end|ends|"
    r"ended|ending|stop|stops|stopped|pay|must|has to|have to|need to|needs to|can't|cannot|"
    r"won't|not|no longer|only|isn't|aren't)\b)|"
    r"(they|the council|the icb|the nhs|the home|the hospital|the trust|the team|staff|"
    r"social services|the social worker|the ward|the care home|the la|the local authority)"
    r"('re| are| is| has| have|'ve|ve)?( now| already| also)? (want|wants|wanted|plan|plans|"
    r"planning|propose|proposes|proposing|proposed|intend|intends|threaten|threatens|"
    r"threatening|going|trying|written|writing|decided|decide)( to| proposing to)? (send|move|end|"
    r"stop|close|cut|charge|discharge|withdraw|reduce|put|place|take|make|evict)\b|"
    r"\bi (dont|don't|do not) want (the|my|any|this|that|them|him|her|to (have|go|move|pay))\b|"
    # a wish told plainly: "I'm in a care home on 117 and I want my own flat"
    r"\b(i|he|she|they|we) (really )?(want|wants|would like|'d like|d like) (my|his|her|their|our) "
    r"own (flat|place|home|house|tenancy)\b|"
    # what someone else says they are owed: "my mate reckons I get the 117 stuff"
    r"\b(reckons?|says|said|thinks?|told me) (that )?(i|he|she|we|they) (get|gets|can get|should "
    r"get|am entitled|is entitled|are entitled|qualif\w*|(am|is|are) eligible)\b)",
    re.I)
CONCERN = 0.5


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    asks: float  # 0 (a plain statement) to 1 (a direct question)


def _spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        piece = text[start:match.start() + 1]
        if match.group().startswith(".") and _ABBREVIATION.search(piece.strip()):
            continue  # "s." of "s.3", "Mr." - not the end of a sentence
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# A question after a comma or "and": "my gp looks after me now, do i still have 117".
_CLAUSE_QUESTION = re.compile(
    r"(?:[,;:\u2013-]|\b(?:and|but|so|or|then))\s+(?:what|whats|what's|wat|wot|who|whose|how|why|"
    r"when|wen|where|which(?!\s+(?:is|was|were|are|has|had|we|i|they|he|she|it|means|meant|"
    r"made|makes)\b)|(?:is|are|was|does|do|did|can|could|will|would|should|has|have)\s+"
    r"(?:i|it|he|she|they|we|you|that|this|there|my|his|her|their|mum|dad|s?117|section 117|"
    r"aftercare))\b", re.I)
# Question words that never open a statement ("wen will i", "what now", "who helps her").
_QUESTION_WORDS = re.compile(r"^\s*(wen|wot|wat|whats|what's|hows|how's)\b|\bwhat now\b|"
                             r"\b(what|wat|wot) (happens|happened) (to|with|about) (my|his|her|"
                             r"their|our|the) \w+|"
                             r"\bwho (helps|decides|pays|sorts|do i|can i|should i)\b|"
                             r"\bwhich (council|area|team|one|body|nhs|icb|board)\b", re.I)


# "haven't asked him to pay", "never told us": what did not happen asks nothing.
_NEGATED = re.compile(r"\b(not|never|no one|nobody|haven'?t|hasn'?t|didn'?t|havent|hasnt|"
                      r"didnt|hadn'?t|hadnt|won'?t|wont)\s+(\w+\s+)?$", re.I)


def _implied(text: str) -> bool:
    return any(not _NEGATED.search(text[:m.start()]) for m in _IMPLIED.finditer(text))


def asks_score(sentence: str) -> float:
    """How much a sentence asks: 1 for a question mark, 0.8 for a question's first words, a
    question clause after a comma, or an implied question ("is that right", "they want her to
    pay"), 0.5 for a concern told as a statement ("she's being told to pay rent"), else 0."""
    text = sentence.strip()
    if text.rstrip("\"')]").endswith("?"):
        return 1.0
    if (_QUESTION_START.match(text) or _implied(text) or _CLAUSE_QUESTION.search(text)
            or _QUESTION_WORDS.search(text)):
        return 0.8
    if any(not _NEGATED.search(text[:m.start()]) for m in _CONCERN.finditer(text)):
        return CONCERN
    return 0.0


def sentences(text: str) -> list[Sentence]:
    """The message's sentences in order. Fragments of fewer than MIN_WORDS words are joined to
    the sentence after them ("Hi. My son..."), or to the one before when they come last."""
    spans = _spans(text)
    merged: list[tuple[int, int]] = []
    pending_start: int | None = None
    for start, end in spans:
        if pending_start is not None:
            start, pending_start = pending_start, None
        if len(text[start:end].split()) < MIN_WORDS:
            pending_start = start
            continue
        merged.append((start, end))
    if pending_start is not None:
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((pending_start, spans[-1][1]))
    found = [Sentence(text[s:e], s, e, asks_score(text[s:e])) for s, e in merged]
    if len(found) < 2:
        return found  # one sentence stays one: a short question is read whole
    return [part for sentence in found for part in _clauses(text, sentence)]


# The question clause of a sentence that asks two things: "If he has paid, can he get it back,
# and who would I complain to?"
_SECOND_QUESTION = re.compile(
    r"(?:,\s*(?:and\s+|but\s+|or\s+)?|\s+and\s+)(?=(?:what|who|how|why|when|where|which|"
    r"(?:is|are|does|do|can|could|will|would|should)\s+(?:i|it|he|she|they|we|you|there|my|his|"
    r"her|their|mum|dad)\b))", re.I)
MIN_CLAUSE_WORDS = 3


def _clauses(text: str, sentence: Sentence) -> list[Sentence]:
    """A question sentence split before a second question in it, each part asking as much as
    the whole: in a story, each question gets its own reading. Parts under MIN_CLAUSE_WORDS
    words stay joined."""
    if sentence.asks == 0:
        return [sentence]
    parts: list[tuple[int, int]] = []
    start = sentence.start
    for match in _SECOND_QUESTION.finditer(sentence.text):
        end, next_start = sentence.start + match.start(), sentence.start + match.end()
        if (len(text[start:end].split()) >= MIN_CLAUSE_WORDS
                and len(text[next_start:sentence.end].split()) >= MIN_CLAUSE_WORDS):
            parts.append((start, end))
            start = next_start
    if not parts:
        return [sentence]
    parts.append((start, sentence.end))
    return [Sentence(text[s:e], s, e, sentence.asks) for s, e in parts]


_POINTS_BACK = re.compile(r"\b(it|that|this|one|those|these|them|same|there)\b|"
                          r"^\s*(and|but|so|what if|what about|how about)\b", re.I)
FOLLOW_UP_WORDS = 10


def points_back(text: str) -> bool:
    """A short message that leans on what was said before ("how do I ask for one?", "and
    in Wales?"), so it can only be understood against the conversation."""
    return len(text.split()) <= FOLLOW_UP_WORDS and bool(_POINTS_BACK.search(text))
