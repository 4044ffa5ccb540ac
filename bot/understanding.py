"""Choosing what to answer: the main question first, other questions after, in context.

The NLU gives two readings of a message: a ranking of intents for the whole message (DIET and
a regression, combined), and a ranking for each of its sentences (a regression on the sentence
encoder's embeddings, which carries over to phrasings nobody wrote down). This module puts them
together with what the conversation already knows (the last topic answered, the situation) and
decides:

- ANSWER: the topics to answer, main question first (at most MAX_TOPICS), and, when we are
  not sure, other likely topics offered as "Not what you asked?" buttons after the answer;
- SITUATION: the person told us their situation and asked nothing: say what we understood;
- CLARIFY: "Did you mean...?" with the likeliest topics, when no reading is plausible and the
  message is not a follow-up (after an answer, the likeliest topic is answered instead);
- NOT_SURE: nothing matches at all.

Plain Python: inputs and outputs are names and numbers, the action does the talking.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bot.reading import CONCERN, asks_score

ANSWER, SITUATION, CLARIFY, NOT_SURE = "answer", "situation", "clarify", "not_sure"
FALLBACK = "nlu_fallback"
MAX_TOPICS = 3

# Intents that are about the conversation, not a topic: in a long message they are noise
# ("Hi there", "thanks in advance"), so a topic in it always wins over them.
CONVERSATION = {"greet", "help", "thanks", "goodbye", "bot_challenge", "out_of_scope",
                "tell_role", "start_again", "stop", "change_answer", "more_detail",
                "inform", "inform_area", "define_term", "ask_eligibility_detail"}
CRISIS = "crisis"
ELIGIBILITY_INTENTS = ("ask_eligibility", "check_eligibility")
LAST_TOPIC = "<the last topic>"  # a follow-up that asks for more of the same answer
# "how do I ask for one?": the thing to ask for, which may be a topic the last answer listed
# under "You also asked" (after paying, and "could we have the money instead?": a direct payment)
ASKED_FOR = "<the thing asked for>"
STATEMENTS = {"tell_role", "inform", "inform_area"}  # intents that say, not ask

# How sure the reading must be. Chosen on the 632 held-out topic questions of the files that
# are not blind, as `make conversation-gate` prints them (2026-12-01):
#   plausible  right  wrong  asked         The wrong answers are mostly sure ones, so raising
#   0.2        96.2%  3.2%   0.6%          the bar past 0.4 asks far more people "Did you
#   0.3        96.0%  2.8%   1.1%          mean" for few wrong answers saved; 0.35 answers
#   0.4        95.7%  2.4%   1.9%          96% and asks under 2%. POSSIBLE (0.08-0.2) made
#   0.5        93.5%  1.4%   5.1%          no difference on these questions.
#   0.6        90.5%  0.8%   8.7%
SURE = 0.80       # at or above: answer, nothing more
PLAUSIBLE = 0.35  # at or above: answer, then "Not what you asked?" with the next two topics
POSSIBLE = 0.12   # at or above: "Did you mean...?"; below: "I am not sure"
# A second question's own sentence must be at least this sure to be offered after the answer
# (a button costs little: on the long messages not blind, 0.30 -> 0.20 addressed every
# question of 75.7% -> 78.6% of those that ask several; on 2026-12-07 evening, with the model
# retrained, 0.20: 75.7%, 0.16: 77.1%, 0.12: 78.6%, 0.08: 77.1%, its extra topics crowding out
# the "Not what you asked?" ones);
OTHER_QUESTION = 0.12
# and a sentence at least this sure to be answered when the whole story is unclear.
CLEAR_SENTENCE = 0.30
# A statement of where someone has been, asking nothing, is answered only when a topic is at
# least this sure; below, it is noted.
TOLD_ONLY = 0.5

# Topics people go on to ask about after an answer ("and the NHS bit?" after direct payments).
RELATED: dict[str, tuple[str, ...]] = {
    "ask_direct_payments": ("ask_phb", "ask_choice", "ask_charging"),
    "ask_phb": ("ask_direct_payments", "ask_chc", "ask_choice"),
    "ask_charging": ("ask_refund", "ask_physical_needs", "ask_housing", "ask_top_up", "complain"),
    "ask_refund": ("complain", "ask_charging", "ask_legal_challenge"),
    "ask_top_up": ("ask_choice", "ask_charging", "ask_housing"),
    "ask_housing": ("ask_top_up", "ask_move_on", "ask_charging"),
    "ask_ending": ("ask_restart", "complain", "ask_reviews", "ask_end_gp_discharge"),
    "ask_end_gp_discharge": ("ask_ending", "complain", "ask_restart"),
    "ask_end_time_passed": ("ask_ending", "complain", "ask_how_long"),
    "ask_how_long": ("ask_ending", "ask_end_time_passed", "ask_reviews"),
    "ask_eligibility": ("ask_services", "ask_when_starts", "ask_charging"),
    "ask_who_pays": ("ask_dispute", "ask_moving_house", "ask_worcestershire"),
    "ask_dispute": ("complain", "ask_who_pays"),
    "ask_moving_house": ("ask_who_pays", "ask_worcestershire"),
    "ask_care_plan": ("ask_meeting", "ask_reviews", "ask_care_coordinator"),
    "ask_meeting": ("ask_carer", "ask_care_plan", "ask_advocacy"),
    "ask_reviews": ("ask_care_plan", "ask_ending"),
    "ask_carer": ("ask_meeting", "ask_nearest_relative"),
    "ask_nearest_relative": ("ask_carer", "ask_meeting"),
    "ask_advocacy": ("ask_imca", "complain"),
    "complain": ("ask_legal_challenge", "ask_advocacy"),
    "ask_readmission": ("ask_worcestershire", "ask_who_pays", "ask_restart", "ask_ending"),
    "ask_refuse_services": ("ask_restart", "ask_ending", "ask_choice"),
}
# A special case of a general topic: a follow-up about the general one ("does that end her
# 117?" after the answer about DoLS) is about the special case in hand.
GENERAL_OF: dict[str, str] = {
    "ask_end_dols": "ask_ending", "ask_end_cto_ended": "ask_ending",
    "ask_end_gp_discharge": "ask_ending", "ask_end_time_passed": "ask_ending",
    "ask_readmission": "ask_ending", "ask_refuse_services": "ask_ending",
    "ask_top_up": "ask_choice", "ask_worcestershire": "ask_who_pays",
    "ask_moving_house": "ask_who_pays", "ask_refund": "ask_charging",
}

# Short follow-ups whose meaning is the same whatever words the classifier sees in them.
_FOLLOW_UPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), intent) for p, intent in (
        (r"\b(same|different|work|apply|true|how|what about|and|also)\b.*\bwales\b|^\s*(and |what about |in )?wales\b", "ask_wales"),
        (r"\b(claim|get|have|want)\b.{0,25}\b(back|refund(ed)?|repaid|returned)\b|\brefund\b|"
         r"\bmoney back\b|\balready paid\b|\b(i|we|he|she|they)('ve| have| has|ve) paid\b", "ask_refund"),
        (r"\bis (that|this|it) (allowed|aloud|alowed|allowd|legal|lawful|right|fair|ok|okay)\b", LAST_TOPIC),
        (r"\b(what|wot|wat) (if|happens if|happens when|then if|do (i|we) do if) (they|the council|the nhs|he|she|the icb|it|the home)\b.{0,20}\b(say no|says no|refuse|refuses|won'?t|disagree|don'?t agree|turn (me|us|him|her) down|ignore)|"
         r"\b(they|the council|the nhs) (said|say|says) no\b|"
         # Pushing back after being told their rights: "what if they still say he has to pay",
         # "and if they go ahead anyway?", "but what if they do it anyway".
         r"\b(what|wot|wat|and|but)( what)? (if|happens if|then if|do (i|we) do if|can (i|we) do if) (they|the council|the nhs|the icb|the home|the health board)\b.{0,30}\b(still|anyway|go ahead|carry on|insist)\b", "complain"),
        (r"\bhow (do|would|can|could|should|does) (i|we|you|he|she|they|one)\b.{0,20}\b(ask|apply|get|request|go about)\b.{0,20}\b(one|it|that|them|this|those)\b|"
         r"^\s*(so |ok |and )?(can|could|may|should|do) (i|we|he|she|they) (ask|apply) for (one|it|that|them|this|those)\b", ASKED_FOR),
        (r"\bwho (do|can|should) (i|we) complain to\b|\bhow (do|can) (i|we) complain\b|"
         r"\bwho (do|can|should) (i|we) write to\s*[?.!]*\s*$|"
         r"\b(can|could|should|do) (i|we|he|she|they) (make a )?complain\b", "complain"),
        # "wat do i say to her then" after an answer: how to answer them, from that answer
        (r"^\W*(so |and |ok |okay )?(what|wot|wat|wht) (do|should|shud|can|cn) (i|we|u|you) "
         r"(say|tell|write|put)( back)?( to)? (her|him|them|the council|the nhs|the icb|"
         r"social services|(my|the|his|her) social worker)( then| now)?\W*$", LAST_TOPIC),
        (r"\b(the )?(nhs|health|icb|health board) (bit|part|side|one|budget)\b", "ask_phb"),
        (r"\b(the )?(council|social care|social services) (bit|part|side|one)\b", "ask_direct_payments"),
    ))
_ANAPHORA = re.compile(r"\b(it|that|this|one|those|these|them|they|same|there|so|too|also|"
                       r"and|what about|what if|mine|yours|his|hers|theirs|ours|then)\b", re.I)
# "can he get it?", "does she still have aftercare?", "does he qualify": asking for the verdict.
# Not "could 117 get me a flat", "does the health board have a duty", "do we get a say".
_ELIGIBILITY_FOLLOW_UP = re.compile(
    r"\b(can|could|would|will|does|do|is|are|am)\b.{0,30}\b(get|have|keep)\s+(it|117|s117|"
    r"section 117|s\.117|aftercare|after care|after-care|that|this|the help|any help|free "
    r"aftercare|free help|the aftercare|the 117|117 aftercare|the free aftercare)\b|"
    r"\b(can|could|would|will|does|do)\b.{0,30}\b(get|have)\s*[?!.]*\s*$|"
    r"\b(entitled|eligible|qualify|qualifies|covered)\b|"
    r"\b(does|do|would|will) (a |an |my |his |her |the )?(section|s|sec)\.? ?\d+\w*(/\d+)? count\b",
    re.I)
# Words without which a message does not ask whether someone gets 117 (see decide).
_SPEAKS_OF_GETTING_117 = re.compile(
    r"\b(s?117|s\.117|after[ -]?c\w*|afta ?c\w*|elig\w*|entit\w*|qualif\w*|count|counts|"
    r"cover|covered|covers|apply|applies|free|check|right to|(get|have|keep|lose|losing|had|got|"
    r"getting|having|receive|receiving) (it|this|that|the (help|support|free \w+)|help|any help|"
    r"support|any support))\b", re.I)
SHORT_WORDS = 12
# A message up to this long, after an answer, is a follow-up that is answered rather than met
# with "Did you mean" ("we didn't even choose it, it was the only one they offered us").
FOLLOW_UP_WORDS = 20
# "what can I use it for?": a question about the thing the last answer was about.
_POINTS_AT_ANSWER = re.compile(r"\b(it|that|this|one|them|those)\b", re.I)
_CORRECTION = re.compile(r"^\s*(sorry|actually|oops|no,|wait|i mean|my mistake|correction)\b|"
                         r"\bnot (a|an|on a) (section )?\d", re.I)
_HAS_117 = re.compile(r"\b(is|s|am|are|been|was|were|has|have|had|gets|getting|receiving|"
                      r"receives) (on |under |got |had )?(117|s117|s\.117|section 117|117 aftercare)\b",
                      re.I)
# Asking to be taken through the checker ("can you check if I can get it").
_ASKS_TO_CHECK = re.compile(r"\b(can|could|would|will|pls|please)\b.{0,15}\b(you|u)\b.{0,10}"
                            r"\b(check|work out|find out|tell me) (if|whether)\b|"
                            r"^\s*(please )?check (if|whether)\b", re.I)
# Words a topic cannot be asked about without. A bill questioned ("is that right?") is about
# paying, not a refund, until someone speaks of getting money back.
# ... and what such a message is about instead.
NEEDS_WORDS_ELSE = {"ask_refund": "ask_charging"}
NEEDS_WORDS: dict[str, re.Pattern[str]] = {
    "ask_refund": re.compile(r"\b(back|refund\w*|repa(y|id|yment)\w*|reclaim\w*|reimburs\w*|"
                             r"return(ed)?|compensat\w*|owed|already paid|have paid|has paid|"
                             r"had paid|paid for (years|months)|overpaid|recover\w*|wrongly|"
                             r"by mistake|mistaken(ly)?|should (have been|be) free|"
                             r"should ?n[o']?t have (paid|been (charged|paying)))\b", re.I),
}


@dataclass(frozen=True)
class SentenceReading:
    text: str
    asks: float
    ranking: dict[str, float]


@dataclass(frozen=True)
class Reading:
    """What the NLU made of one message."""
    text: str
    ranking: dict[str, float]            # whole message (DIET and the regression), no fallback
    sentences: tuple[SentenceReading, ...] = ()
    embedding: dict[str, float] = field(default_factory=dict)  # whole message, encoder only


# How much the encoder's own reading of the whole message counts beside DIET's and the
# regression's (a weighted geometric mean). On the 632 held-out topic questions of the files
# that are not blind, at the thresholds below: 0 -> 95.1% right, 3.0% wrong; 0.33 -> 95.3%,
# 2.5%; 0.5 -> 96.4%, 2.5%; 0.7 -> 95.9%, 2.8%; 0.85 -> 94.5%, 3.6% (2026-12-01).
EMBEDDING_WEIGHT = 0.5
# In a long message, how much the whole text counts against its question sentences.
WHOLE_WEIGHT = 0.4
# Each question sentence after the first counts this much of the one before it: people put
# their main question first ("Can they charge him? If he has paid, can he get it back?").
LATER_QUESTION = 0.8
_FLOOR = 1e-9
# How much the message before counts for a follow-up that points back when no topic was
# answered last (on the conversations not blind: 0.3 for every follow-up lost 4 points of
# conversations right, so only after a noted situation).
PREVIOUS_WEIGHT = 0.3


@dataclass(frozen=True)
class Context:
    last_topic: str | None = None        # the intent of the last topic answered
    knows_sections: bool = False         # the situation names a section or an order
    told_facts: bool = False             # this message stated situation facts
    told_only_role: bool = False         # ... and the only one was who is asking
    told_history: bool = False           # ... among them sections, orders or where they are
    told_area: bool = False              # ... among them the area or country
    had_verdict: bool = False            # an eligibility verdict was given earlier
    told_event: bool = False             # this message told what happened (charged, ended...)
    offered: tuple[str, ...] = ()        # topics offered as buttons in the last answer
    previous: dict[str, float] = field(default_factory=dict, compare=False)  # the last message's
    country: str | None = None           # England or Wales, when known
    also_asked: tuple[str, ...] = ()     # topics the last answer listed under "You also asked"


@dataclass(frozen=True)
class Decision:
    kind: str
    topics: tuple[str, ...] = ()         # to answer, main first
    offers: tuple[str, ...] = ()         # buttons: "Not what you asked?" or "Did you mean"
    confidence: float = 0.0
    scores: dict[str, float] = field(default_factory=dict, compare=False)


def _normalised(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    return {k: v / total for k, v in scores.items()} if total > 0 else dict(scores)


def _pooled(scores: dict[str, float], family: tuple[str, ...]) -> dict[str, float]:
    """Intents that ask one thing in two ways ("does he get 117?", "can you check if he gets
    117?") count as one: the likelier of them takes the family's whole score, so that a message
    split between them (0.51 and 0.31) is not outranked by a topic at 0.4."""
    present = [k for k in family if k in scores]
    if len(present) < 2:
        return scores
    lead = max(present, key=lambda k: scores[k])
    pooled = {k: v for k, v in scores.items() if k not in present}
    pooled[lead] = sum(scores[k] for k in present)
    return pooled


def _topical(scores: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in scores.items() if k not in CONVERSATION and k != FALLBACK}


def _best(scores: dict[str, float], n: int = 1, leave_out: tuple[str, ...] = ()) -> list[str]:
    ranked = sorted((k for k in scores if k not in leave_out), key=lambda k: (-scores[k], k))
    return ranked[:n]


# A question with no topic of its own: the story before it says what it is about ("... the
# council has stopped her day centre. What can we do?").
_GENERIC_QUESTION = re.compile(
    r"^\W*(so |and |but |ok |okay )?(what (can|should|could|do|would) (i|we|they|he|she|you) "
    r"(do|suggest|advise)( now| next| about (it|this|that|any of this|all this))?|"
    r"any (advice|help|ideas|thoughts|suggestions)( (please|at all|welcome|appreciated))?|"
    r"where do (i|we|they) stand|what (are|is) (my|our|his|her|their) (rights|options)|"
    r"(what is|what's|whats) the (legal )?position( here| now| on this)?|"
    r"(please |pls )?(help|advise)( me| us)?( please| pls)?|what now|what next|"
    r"what (do|should) (i|we) do now)\W*$", re.I)


def _question_sentences(reading: Reading) -> list[SentenceReading]:
    """The sentences that ask. A concern told as a statement ("they want to move him to a
    placement there") asks only when nothing in the message is asked outright, and a question
    with no topic of its own ("what can we do now?") never: the story says what it is about."""
    asking = [s for s in reading.sentences if s.asks > 0 and s.ranking
              and not (len(reading.sentences) > 1 and _GENERIC_QUESTION.search(s.text))]
    if any(s.asks > CONCERN for s in asking):
        return [s for s in asking if s.asks > CONCERN]
    return asking


def whole_message_scores(reading: Reading) -> dict[str, float]:
    """The classifiers' ranking and the encoder's, combined by a weighted geometric mean."""
    if not reading.embedding:
        return dict(reading.ranking)
    w = EMBEDDING_WEIGHT
    names = set(reading.ranking) | set(reading.embedding)
    return _normalised({k: math.exp((1 - w) * math.log(max(reading.ranking.get(k, 0.0), _FLOOR))
                                    + w * math.log(max(reading.embedding.get(k, 0.0), _FLOOR)))
                        for k in names})


def message_scores(reading: Reading) -> dict[str, float]:
    """One score per intent for the whole message: the whole-message ranking, joined for long
    messages by what its question sentences ask (the question counts for more than the story)."""
    whole = whole_message_scores(reading)
    questions = _question_sentences(reading)
    if len(reading.sentences) <= 1 or not questions:
        if len(reading.sentences) > 1:  # a story with no question: its sentences still vote
            votes: dict[str, float] = {}
            for s in reading.sentences:
                for k, v in s.ranking.items():
                    votes[k] = max(votes.get(k, 0.0), v)
            return _normalised({k: 0.5 * whole.get(k, 0.0) + 0.5 * votes.get(k, 0.0)
                                for k in set(whole) | set(votes)})
        return _normalised(whole)
    asked: dict[str, float] = {}
    for place, s in enumerate(questions):
        lead = LATER_QUESTION ** place  # people ask their main question first
        for k, v in s.ranking.items():
            asked[k] = max(asked.get(k, 0.0), lead * s.asks * v)
    return _normalised({k: WHOLE_WEIGHT * whole.get(k, 0.0) + (1 - WHOLE_WEIGHT) * asked.get(k, 0.0)
                        for k in set(whole) | set(asked)})


# "the NHS bit" is a personal health budget after direct payments (and the council bit the
# reverse); after any other answer it is the NHS side of that same answer.
_PAIRED = {"ask_phb": {"ask_direct_payments", "ask_phb", "ask_charging", "ask_services"},
           "ask_direct_payments": {"ask_phb", "ask_direct_payments"}}
# "can I get it back?" is money after a bill, the help itself after it stopped.
_STOPPED = {"ask_refuse_services", "ask_ending", "ask_end_gp_discharge", "ask_end_time_passed",
            "ask_end_cto_ended", "ask_end_dols", "ask_readmission", "ask_restart", "ask_how_long"}
_REFUSED = re.compile(r"\b(say|says|said) no\b|\brefuse|\bwon'?t\b|\bdisagree|\bdon'?t agree|"
                      r"\bturn(s|ed)? (me|us|him|her|it) down|\bignore|\bstill\b|\banyway\b|"
                      r"\bgo ahead\b|\bcarry on\b|\binsist", re.I)
_TO_COURT = re.compile(r"\b(court|judicial review|challenge|solicitor|lawyer|legal action|sue)\b",
                       re.I)
_MONEY = re.compile(r"\b(money|fees?|paid|pay|charges?|bills?|£|cash|refund\w*)\b", re.I)


def follow_up_intent(text: str, last_topic: str | None = None) -> str | None:
    """The fixed meaning of a short follow-up ("what if they say no?"), if it has one."""
    if len(text.split()) > SHORT_WORDS:
        return None
    for pattern, intent in _FOLLOW_UPS:
        if pattern.search(text):
            if intent == "ask_refund" and last_topic in _STOPPED and not _MONEY.search(text):
                return "ask_restart"
            if intent in _PAIRED and last_topic not in _PAIRED[intent]:
                return LAST_TOPIC  # "and the NHS bit?" after complaints: complaints again
            if intent == "complain" and (_TO_COURT.search(text) or (
                    last_topic == "complain" and _REFUSED.search(text))):
                # "and if they say no?" after the complaint steps; "... can we challenge it
                # in court?" whatever came before
                return "ask_legal_challenge"
            return intent
    return None


def in_context(scores: dict[str, float], text: str, context: Context) -> dict[str, float]:
    """Re-rank a short follow-up against the last topic: the last topic and the topics people
    ask next are more likely, more so when the message points back ("it", "that", "one")."""
    if (context.last_topic is None and not context.offered) or len(text.split()) > SHORT_WORDS:
        return scores
    points_back = bool(_ANAPHORA.search(text))
    if context.last_topic is None and _told_topic(context):
        # After "I have noted this" there is no topic in hand, only what they told us: "does
        # his aftercare come with him?" after "he wants to move to Harrogate" is read with it.
        previous = _normalised(_topical(context.previous))
        scores = {k: (1 - PREVIOUS_WEIGHT) * scores.get(k, 0.0) + PREVIOUS_WEIGHT * previous.get(k, 0.0)
                  for k in set(scores) | set(previous)}
    general = GENERAL_OF.get(context.last_topic)
    # "does that end her 117?" after DoLS, but not "can they end my 117 while I'm on conditions?"
    # after refusing services: "they" is the council, not the answer
    if _POINTS_AT_ANSWER.search(text) and general is not None and _best(_topical(scores)) == [general]:
        scores = {**scores, context.last_topic: scores[general] + scores.get(context.last_topic, 0.0)}
    boost = 1.0 + (1.5 if points_back else 0.5)
    related = _next_topics(context)
    return _normalised({k: v * (boost if k in related else 1.0) for k, v in scores.items()})


@dataclass(frozen=True)
class Thresholds:
    sure: float = SURE
    plausible: float = PLAUSIBLE
    possible: float = POSSIBLE


def decide(reading: Reading, context: Context = Context(),
           thresholds: Thresholds = Thresholds()) -> Decision:
    t = thresholds
    scores = _pooled(message_scores(reading), ELIGIBILITY_INTENTS)
    fixed = follow_up_intent(reading.text, context.last_topic) if context.last_topic else None
    # A follow-up of fixed meaning ("wat do i say to her then") is never a crisis unless the
    # classifiers are at least plausibly sure (crisis words are caught before the NLU anyway)
    if _best(scores) == [CRISIS] and scores[CRISIS] >= (t.possible if fixed is None
                                                        else t.plausible):
        return Decision(ANSWER, (CRISIS,), confidence=scores[CRISIS], scores=scores)
    short = len(reading.sentences) <= 1 and len(reading.text.split()) <= SHORT_WORDS
    if fixed is not None:
        topic = {LAST_TOPIC: context.last_topic,
                 ASKED_FOR: _of_the_last_answer(scores, context, asked_for=True),
                 }.get(fixed, fixed)
        return Decision(ANSWER, (topic,), confidence=1.0, scores=scores)
    if context.last_topic == "complain" and context.told_area and short:
        return Decision(ANSWER, ("complain",), confidence=1.0, scores=scores)  # its contacts
    corrects = context.had_verdict and _CORRECTION.search(reading.text)
    tells = all(s.asks == 0 for s in reading.sentences)
    if (((context.last_topic in ELIGIBILITY_INTENTS and tells) or corrects)
            and context.told_history and not _topical_beyond(scores, *ELIGIBILITY_INTENTS)):
        # "sorry, it was a section 2 not a 3", "he left last month": the verdict again; not
        # "will it be the same team when she comes out?", which asks something else
        return Decision(ANSWER, ("ask_eligibility",), confidence=1.0, scores=scores)
    if (_CORRECTION.search(reading.text) and context.told_facts and tells
            and context.last_topic is not None and context.last_topic not in CONVERSATION
            and not _topical_beyond(scores, context.last_topic)):
        # "sorry, it's a section 3 this time, not a 2" after the answer about going back into
        # hospital: that answer again, for the situation as corrected
        return Decision(ANSWER, (context.last_topic,), confidence=1.0, scores=scores)
    if ((short or (context.told_history and len(reading.sentences) <= 1))
            and context.knows_sections and _ELIGIBILITY_FOLLOW_UP.search(reading.text)
            and not _topical_beyond(scores, *ELIGIBILITY_INTENTS)):
        # "can he get it?" once a section is known; "they moved me ... on a section 48, do I
        # get it?" names the section and asks in one sentence
        return Decision(ANSWER, ("ask_eligibility",), confidence=1.0, scores=scores)
    scores = in_context(scores, reading.text, context)
    long = len(reading.sentences) > 1
    topical = _topical(scores)
    best_any = _best(scores)
    best_topic = max(topical.values(), default=0.0)
    stating = best_any and best_any[0] in STATEMENTS and context.told_facts
    asks_nothing = all(s.asks == 0 for s in reading.sentences)
    if best_any == ["change_answer"] and not context.had_verdict and context.told_facts:
        # "actually, it's me who was on the section 3, not her": no checker answer to change,
        # so the corrected situation is what they told us
        return Decision(SITUATION, offers=tuple(_best(topical, 3)), confidence=1.0,
                        scores=scores)
    if (short and best_any and best_any[0] in ("help", "out_of_scope")
            and scores[best_any[0]] >= t.plausible and best_topic < t.plausible
            and context.last_topic not in (None, "ask_eligibility", *CONVERSATION)
            and _POINTS_AT_ANSWER.search(reading.text)):
        # "what can I use it for?" after the personal health budget answer: about that answer,
        # not about what the assistant can do
        return Decision(ANSWER, (context.last_topic,),
                        _offers(topical, (context.last_topic,), context),
                        scores[best_any[0]], scores)
    if (not long and best_any and best_any[0] in CONVERSATION and not stating
            and scores[best_any[0]] >= t.plausible and best_topic < t.plausible):
        return Decision(ANSWER, (best_any[0],), confidence=scores[best_any[0]], scores=scores)
    if stating and best_topic < t.sure and asks_nothing:
        kind_topics = (ANSWER, ("tell_role",)) if context.told_only_role else (SITUATION, ())
        return Decision(kind_topics[0], kind_topics[1], tuple(_best(topical, 3)),
                        scores[best_any[0]], scores)
    if not topical:
        return Decision(NOT_SURE, scores=scores)
    main = _best(topical)[0]
    if main in ELIGIBILITY_INTENTS and long and _HAS_117.search(reading.text):
        runner_up = _best(topical, 2)[1:]  # "...when he is on 117": who gets it is not asked
        if runner_up:
            main = runner_up[0]
    if (main in ELIGIBILITY_INTENTS and topical[main] < t.sure
            and not _SPEAKS_OF_GETTING_117.search(reading.text)):
        # "will it be the same team when she comes out?", "who decides if it's finished?": a
        # verdict says whether someone gets 117, and a message that never speaks of 117,
        # aftercare or getting it asks something else (stories that name a section lean the
        # classifiers towards eligibility)
        others = _best(topical, leave_out=ELIGIBILITY_INTENTS)
        if others:
            main = others[0]
    if (main == "ask_eligibility" and not context.knows_sections
            and _ASKS_TO_CHECK.search(reading.text)):
        # "can you check if my dad could get 117? I don't know what section he was on": the
        # checker's questions, not the general rule
        main = "check_eligibility"
        topical = {**topical, main: max(topical.get(main, 0.0), topical["ask_eligibility"])}
        scores = {**scores, main: topical[main]}
    # A topic's confidence is its share of all the scores: conversation intents that took the
    # probability ("hi", "thanks") make a message less sure of its topic.
    sure = scores[main]
    if main in NEEDS_WORDS and not NEEDS_WORDS[main].search(reading.text):
        # "we were billed for 117 care": about paying, as surely as it was about a refund
        main, sure = NEEDS_WORDS_ELSE[main], max(sure, scores.get(NEEDS_WORDS_ELSE[main], 0.0))
    # A statement is noted, not answered: a story that asks nothing, or one sentence the
    # classifiers read as telling ("I'm his sister, he was on a section 3") or as no topic.
    # "they ended my aftercare and never asked me" asks without a question mark: answered.
    # So is one sentence that tells only where they have been ("my brother was moved from
    # prison to hospital on a section 47 and now he's back in prison"): no event, nothing asked.
    states = (long or (best_any and best_any[0] in STATEMENTS) or sure < t.plausible
              or (context.told_history and sure < TOLD_ONLY))
    # What happened to them ("they've been billing her since her section 3 ended. she never
    # had a bill before") is an unspoken "is that right?": answered when a topic is plausible.
    # One sentence read as a statement is still noted (above).
    reports_event = context.told_event and sure >= t.plausible
    # "I live in Swansea, was on a section 3 and I'm home now" asks nothing: the Wales topic
    # comes from the town they named, so it is offered with the rest of what fits, not answered.
    place_only = main == "ask_wales" and context.told_area and context.told_history
    if asks_nothing and context.told_facts and (
            place_only or (sure < t.sure and states and not reports_event)):
        if context.told_only_role:
            return Decision(ANSWER, ("tell_role",), confidence=sure, scores=scores)
        return Decision(SITUATION, offers=tuple(_best(topical, 3)), confidence=sure,
                        scores=scores)
    if long and sure < t.possible:
        # Never "I am not sure" for a story in which one sentence has a clear topic.
        clear = _clearest_sentence_topic(reading)
        if clear is not None:
            main, sure = clear
    if (_comments_on_answer(reading, context) and sure < t.sure
            and main != context.last_topic):
        # "he's not always great at managing money himself" after the answer about direct
        # payments: a remark about that answer, which a topic it merely resembles (arguments
        # about money: disputes) would answer wrongly; the likeliest topic is offered after it
        about = _of_the_last_answer(topical, context)
        return Decision(ANSWER, (about,), _offers(topical, (about,), context), sure, scores)
    if sure >= t.plausible or (long and sure >= t.possible):
        topics = [main] + _other_questions(reading, main)
        offers = () if sure >= t.sure else _offers(topical, tuple(topics[:MAX_TOPICS]), context)
        return Decision(ANSWER, tuple(topics[:MAX_TOPICS]), offers, sure, scores)
    if sure >= t.possible:
        follow_up = _in_context_topic(topical, reading.text, context, t)
        if follow_up is not None:
            # "does that end her 117?" after the DoLS answer: the topic in hand, not a question
            offers = _offers(topical, (follow_up,), context)
            return Decision(ANSWER, (follow_up,), offers, topical[follow_up], scores)
        if (len(reading.text.split()) <= FOLLOW_UP_WORDS
                and (context.last_topic is not None or context.offered)):
            # "who settles it in the end?" after an answer: the conversation is under way and
            # the person knows what they asked, so the likeliest topic is answered and the next
            # two offered, rather than "Did you mean" (on the conversations not blind, asking
            # lost more turns than answering got wrong)
            return Decision(ANSWER, (main,), _offers(topical, (main,), context), sure, scores)
        return Decision(CLARIFY, offers=tuple(_best(topical, 2)), confidence=sure, scores=scores)
    if context.told_facts:
        return Decision(SITUATION, offers=tuple(_best(topical, 3)), confidence=sure,
                        scores=scores)
    return Decision(NOT_SURE, scores=scores)


# Topics that name something a person can ask for ("how do I ask for one?": a direct payment,
# a review, an advocate...), unlike, say, the rule that 117 help is free.
REQUESTABLE = {"ask_direct_payments", "ask_phb", "ask_reviews", "ask_care_plan", "ask_advocacy",
               "ask_imca", "ask_meeting", "ask_refund", "ask_carer", "ask_choice", "ask_top_up",
               "ask_move_on", "ask_restart", "ask_care_coordinator", "ask_social_services"}


def _of_the_last_answer(scores: dict[str, float], context: Context,
                        asked_for: bool = False) -> str:
    """Which topic of the last answer a follow-up is about: the one it answered, or the first
    it listed under "You also asked", the person's other question, still waiting (after "do we
    have to pay?" and "could we have the money instead?", "he's not always great at managing
    money" and "how do I ask for one?" are about the money instead). The topic answered when the
    follow-up's own words make it plausible, or when something to ask for is meant and nothing
    listed is one."""
    last = context.last_topic
    waiting = [k for k in context.also_asked if k != last
               and (not asked_for or k in REQUESTABLE)]
    if not waiting:
        return last
    if scores.get(last, 0.0) >= PLAUSIBLE and scores.get(last, 0.0) >= scores.get(waiting[0], 0.0):
        return last
    return waiting[0]


def _comments_on_answer(reading: Reading, context: Context) -> bool:
    """A short remark right after a topic's answer that asks nothing and tells no new facts."""
    return (context.last_topic is not None and context.last_topic not in CONVERSATION
            and context.last_topic not in ELIGIBILITY_INTENTS and not context.told_facts
            and len(reading.sentences) <= 1 and len(reading.text.split()) <= SHORT_WORDS
            and asks_score(reading.text) == 0)


def _told_topic(context: Context) -> bool:
    """The message before was about a topic (a story we noted), not "hi"."""
    return max(_topical(context.previous).values(), default=0.0) >= PLAUSIBLE


def _next_topics(context: Context) -> tuple[str, ...]:
    """What a short follow-up is likely about: the last topic, the topics people ask after it,
    and the topics the last answer offered as buttons (after "I have noted this", those are
    all there is to go on)."""
    last = (context.last_topic, *RELATED.get(context.last_topic, ())) if context.last_topic else ()
    # a verdict is asked for again in words of its own ("does a 37 count?"), never by "it"
    last = tuple(k for k in last if k != "ask_eligibility")
    told = tuple(_best(_topical(context.previous), 2)) if (
        context.last_topic is None and _told_topic(context)) else ()
    return tuple(dict.fromkeys(last + tuple(context.offered) + told))


def _offers(topical: dict[str, float], answered: tuple[str, ...],
            context: Context) -> tuple[str, ...]:
    """The next two topics for "Not what you asked?". A button costs little, so even unlikely
    ones are offered (on the tuned long messages a floor of 0.05 lost 3 points of "every
    question addressed"), but not Wales to someone we know is in England."""
    leave_out = answered + (("ask_wales",) if context.country == "England" else ())
    return tuple(_best(topical, 2, leave_out=leave_out))


def _in_context_topic(topical: dict[str, float], text: str, context: Context,
                      t: Thresholds) -> str | None:
    """The last topic, or one people ask next, for a short message that points back and
    would otherwise get "Did you mean": the likeliest of them, if it is possible at all."""
    after_noted = context.last_topic is None and _told_topic(context)
    # "he's not always great at managing money himself" after direct payments: a comment on
    # the answer, so about its topic
    comments = context.last_topic is not None and asks_score(text) == 0
    # the verdict is not repeated for "who decides if it's finished?" after it
    candidates = tuple(c for c in _next_topics(context)
                       if c not in ELIGIBILITY_INTENTS)
    if (not candidates or len(text.split()) > SHORT_WORDS
            or not (_ANAPHORA.search(text) or after_noted or comments)):
        return None
    near = [k for k in candidates if k in topical]
    best = max(near, key=lambda k: topical[k], default=None)
    return best if best is not None and topical[best] >= t.possible else None


def _clearest_sentence_topic(reading: Reading) -> tuple[str, float] | None:
    best: tuple[str, float] | None = None
    for s in reading.sentences:
        topical = _topical(s.ranking)
        if topical:
            name = _best(topical)[0]
            if topical[name] >= CLEAR_SENTENCE and (best is None or topical[name] > best[1]):
                best = (name, topical[name])
    return best


def _topical_beyond(scores: dict[str, float], *topics: str) -> bool:
    """A message clearly about a topic other than `topics` ("can she get direct payments"
    beside eligibility)."""
    topical = _topical(scores)
    best = _best(topical)
    return bool(best) and best[0] not in topics and topical[best[0]] >= SURE


def _other_questions(reading: Reading, main: str) -> list[str]:
    """Topics that the other question sentences of a long message ask about, each sure enough
    on its own. The sentence that asks the main question is left out."""
    questions = _question_sentences(reading)
    if len(reading.sentences) < 2 or len(questions) < 2:
        return []
    asker = max(questions, key=lambda s: s.ranking.get(main, 0.0))
    others: list[str] = []
    for s in questions:
        if s is asker:
            continue
        topical = _topical(s.ranking)
        if not topical:
            continue
        best = _best(topical)[0]
        if best != main and best not in others and topical[best] >= OTHER_QUESTION:
            others.append(best)
    return others
