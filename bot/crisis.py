"""A safety net that spots crisis words in typed text, typos included.

The NLU model has a `crisis` intent too, but a statistical model can miss an unusual spelling
or be outvoted by another topic in a long message. The web backend asks this module first and,
on a match, sends the crisis intent itself, so a person at risk always gets the crisis numbers.
A false alarm costs one extra message with phone numbers; a miss could cost far more, so the
threshold leans towards matching.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

# A crisis text goes to Rasa as the crisis intent (CRISIS_PAYLOAD), its words beside it as
# message metadata under CRISIS_TEXT_KEY, so that the situation it tells is still noted
# (web/chat.py sends them, actions/situation.py reads them).
CRISIS_PAYLOAD = "/crisis"
CRISIS_TEXT_KEY = "crisis_text"

# Short phrases people use (first and third person), matched as whole words allowing small
# misspellings (see _has_misspelt_phrase).
CRISIS_PHRASES: tuple[str, ...] = (
    "want to die", "wanna die", "going to die tonight", "wish i was dead", "wish i were dead",
    "better off dead", "kill myself", "kill himself", "kill herself", "kill themselves",
    "killing myself", "end my life", "end his life", "end her life", "end it all",
    "take my own life", "take his own life", "take her own life", "ending it all",
    "hurt myself", "hurting myself", "harm myself", "harming myself", "self harm",
    "cut myself", "cutting myself", "overdose", "took too many tablets",
    "taken too many tablets", "dont want to be alive", "do not want to be alive",
    "dont want to live", "no reason to live", "not safe right now", "cant go on anymore",
    "cant go on any more", "cant cope anymore", "cant do this anymore", "cant do this any more",
    "threatening to jump", "going to jump",
    "i am in crisis", "im in crisis", "do something stupid", "want it all to be over",
    "want it all to stop", "everything is too much", "dont want to be here anymore",
    "dont want to be here any more", "giving up on life", "give up on life",
    "standing on the bridge", "need help now", "never see me again",
    "nobody will see her again", "nobody will see him again",
)

# What people describe rather than name: pills taken or about to be, a bridge, a rope, blood,
# "not safe". Exact patterns on the normalised text (no apostrophes, letters only), because a
# fuzzy match of short words such as "rope" or "cut" would fire on ordinary questions.
_PEOPLE = r"(myself|my self|himself|herself|themselves|themself)"
CRISIS_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in (
    r"\b(took|taken|take|taking|swallowed|swallow)\b(\s+\w+){0,3}\s+(all|load|loads|lots|lot|bunch|box|"
    r"boxes|packet|packets|whole|handful|too many)\b(\s+\w+){0,4}\s+(pills|tablets|meds|paracetamol)\b",
    r"\b(pills|tablets|meds)\b(\s+\w+){0,6}\s+(take them all|all at once|in front of me)\b",
    r"\bjump(ing|ed)?\s+(off|from|in front of)\b",
    r"\b(hang|hanging|hanged)\s+" + _PEOPLE + r"\b",
    r"\b(a rope|the rope|noose|ligatures?)\b",  # exact: "ligature" is one letter from "signature"
    r"\b(cut|cutting|cuts|stabbed|stabbing)\s+" + _PEOPLE + r"\b",
    r"\bblood everywhere\b|\bbleeding (badly|a lot|loads)\b",
    r"\b(i am|im|i m|he is|hes|she is|shes|they are|theyre)\s+not safe\b",
    r"\bcant keep (myself|him|her|them) safe\b",
    r"\b(dont|do not|doesnt|does not) feel safe\b|\bnot feeling safe\b",
    r"\b(been|started|keeps|keep) (cutting|self harming|harming) (again|myself|herself|himself)\b",
    r"\b(sleep|go to sleep) and (never|not) wake up\b",
    r"\b(better off without me|no point (in )?(living|going on|being alive))\b",
    r"\b(dont|do not|cant|cannot) see (the|any) point (in |of )?(living|going on|being alive|"
    r"being here|life|carrying on)\b|\bsee no point (in |of )?(living|going on|life)\b",
    # Saying goodbye, the means set out ready, a plan for tonight.
    r"\b(said|saying|say|texted|sent) (goodbye|bye) to (everyone|everybody|us all|all of us|"
    r"his family|her family|the family)\b",
    r"\b(tablets|pills|meds|medication|paracetamol) (all )?(lined up|laid out|counted out|"
    r"saved up|stockpiled|ready)\b|\b(stockpiling|saving up) (his |her |my |their )?(tablets|"
    r"pills|meds)\b",
    r"\b(thinking|thought|think|keep thinking) (about|of) (ending it|ending my life|ending things|"
    r"killing|not being here|dying)\b",
    r"\b(take|took|taking|swallow|swallowed)\b.{0,25}\b(the whole lot|the whole box|the whole "
    r"packet|all of them|the lot) (at once|in one go|together)\b",
    r"\bend (it|things|everything)( all)? (tonight|today|now)\b",
    r"\bfeel(ing)? (really|so) bad tonight\b",
    r"\bin a (really |very )?dark place\b",
    # "end it" alone is also how people ask about aftercare ending ("can they end it"), so only
    # when someone says they or the person they care for will end it.
    r"\b(i|im|i m|i am|she is|shes|he is|hes|she s|he s)\s+(want|wanna|going|gonna|goin)\s+(to\s+|too\s+)?end it\b",
    r"\b(i|she|he)\s+(want|wants)\s+(to|too)\s+end it\b",
    r"\bsays (she|he|shes|hes)( is)? (going|gonna) to end it\b",
    # Means or method: a question about how, whatever else the message says. Nobody asks
    # aftercare questions in these words, and an answer could cost a life.
    r"\b(most |least )?(painless|quickest|quick|easiest|easy|fastest|surest|best|simplest|"
    r"peaceful|gentlest) (way|ways|method|methods) (to|of) (go|die|dying|end it|end my life|"
    r"do it|kill|top|not wake|never wake|overdose|od)\b",
    r"\bhow (high|tall|far|deep) (does|do|would|should|must|is) (a |the )?(bridge|building|"
    r"cliff|drop|fall|car park|multi storey|roof|block)\b",
    r"\b(which|what) (bridge|building|cliff|car park|roof)\b.{0,40}\b(high|tall|enough|jump)\b",
    r"\bhigh enough to (die|kill|jump|end)\b",
    r"\b(highest|tallest|biggest|nearest high) (bridge|building|cliff|car park|multi storey)\b",
    r"\bhow (high|tall|far down|far) (would|does|do|will|should) (it|i|you|he|she|they|the drop)"
    r"\b.{0,20}\b(need|have|has) to be\b",
    r"\bhow (many|much) (of (his|her|my|their|these|those|the) )?(\w+ )?(pills|tablets|meds|"
    r"paracetamol|insulin|lithium|clozapine|olanzapine|quetiapine|sertraline|antidepressants|"
    r"sleeping pills|diazepam|co codamol|codeine|morphine|methadone)\b.{0,40}\b((would|will|does|"
    r"could) it take|would take|kill|killed|die|fatal|lethal|overdose|od|enough to|to go|to end)\b",
    r"\b(lethal|fatal|deadly|killing) (dose|amount|quantity)\b",
    r"\b(what|which|how big an?) (amount|dose|quantity|number)\b.{0,40}\b(fatal|lethal|kill|die|"
    r"end it)\b|\benough to (be fatal|kill (me|him|her|them|someone|you)|die|end it)\b",
    r"\bhow (long|much) (does|would|will) it take to (die|bleed out|drown|suffocate)\b",
    r"\b(what|which) (would|will|could) (kill|finish) (me|him|her|them|someone|a person)\b",
    r"\bhow (do|would|could|can|should) (i|you|someone|he|she|they|a person) "
    r"(kill|hang|drown|poison|suffocate|overdose) (myself|yourself|themselves|himself|herself|"
    r"themself|oneself)\b",
))

# Single words that signal a crisis on their own, matched word by word so typos still count.
CRISIS_WORDS: tuple[str, ...] = ("suicide", "suicidal", "overdose", "overdosed")
# 80, not lower: "judicial", "covered" and "overseas" score 75 against these.
_WORD_THRESHOLD = 80

# Words that look like crisis words to a fuzzy matcher but are not.
_NOT_CRISIS = re.compile(r"\b(diet|dye|died|death certificate)\b")

_THRESHOLD = 88


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z' ]+", " ", text)
    text = text.replace("'", "")
    return re.sub(r"\s+", " ", text).strip()


def _has_misspelt_phrase(words: list[str]) -> bool:
    """A crisis phrase, or a misspelling of it, as whole words: "wnat to die", "kil my self".
    Each phrase is compared with runs of one word fewer to one word more (a split or joined
    word), so a phrase is never matched inside other words ("want to edit", "attend my wife").
    The runs of each length are built once per message, and rapidfuzz scans them in C: this
    runs on every message the web backend receives."""
    runs: dict[int, list[str]] = {}
    for phrase in CRISIS_PHRASES:
        size = len(phrase.split())
        for n in (size - 1, size, size + 1):
            if n < 1:
                continue
            if n not in runs:
                runs[n] = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
            if process.extractOne(phrase, runs[n], scorer=fuzz.ratio, processor=None,
                                  score_cutoff=_THRESHOLD) is not None:
                return True
    return False


def looks_like_crisis(text: str) -> bool:
    """True when the text contains a crisis phrase, allowing for small spelling mistakes."""
    clean = _normalise(text)
    if not clean:
        return False
    words = clean.split()
    for word in words:
        if len(word) >= 6 and any(fuzz.ratio(word, w) >= _WORD_THRESHOLD for w in CRISIS_WORDS):
            return True
    if any(pattern.search(clean) for pattern in CRISIS_PATTERNS):
        return True
    if any(phrase in clean for phrase in CRISIS_PHRASES):
        return True
    # "diet", "died"...: close enough to crisis phrases to fool the fuzzy match below.
    return not _NOT_CRISIS.search(clean) and _has_misspelt_phrase(words)
