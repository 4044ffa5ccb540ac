"""What the person told us about their situation, read from any message, short or long.

"I'm his sister, he was on a section 3 and is in a care home now" says who is asking (a carer),
the section (3) and where the person is now (a care home). These facts are kept for the whole
conversation (as slots) so the checker never asks again, answers speak to the right person, and
complaints use the right country. A later message that says otherwise corrects them.

Plain Python. Places come from the contacts file (bot.contacts), never from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bot.sections import NOT_DETENTIONS, canonical_orders, canonical_sections

PATIENT, CARER, ADVOCATE = "patient", "carer", "advocate"
PLACES = ("hospital", "leave", "home", "care_home", "supported_living", "prison")
EVENTS = ("charged", "top_up", "gp_discharge", "ended", "refused")


@dataclass(frozen=True)
class Situation:
    role: str | None = None
    sections: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    place: str | None = None
    area: str | None = None      # an area id from the contacts file, "wales" or "england"
    country: str | None = None   # "England" or "Wales"
    events: tuple[str, ...] = field(default=())

    def is_empty(self) -> bool:
        return self == Situation()

    def facts(self) -> dict[str, object]:
        """The known facts as plain values (for slots and for scoring)."""
        return {k: v for k, v in {
            "role": self.role, "sections": list(self.sections), "orders": list(self.orders),
            "place": self.place, "area": self.area, "country": self.country,
            "events": list(self.events)}.items() if v}


# ------------------------------------------------------------------------------------ who asks
_FAMILY = (r"(mum|mam|mom|mother|mummy|dad|father|daddy|son|daughter|brother|sister|bro|sis|"
           r"husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|hubby|nan|nana|nanna|gran|"
           r"granny|grandma|grandmother|grandad|grandpa|grandfather|grandson|granddaughter|aunt|"
           r"auntie|uncle|nephew|niece|cousin|friend|step ?son|step ?daughter|step ?mum|"
           r"step ?dad|child|kid|lad|boy|girl|twin|sibling|parent|in law|mother in law|"
           r"father in law|son in law|daughter in law)")
_PROFESSION = (r"(advocate|imha|imca|amhp|social worker|care coordinator|care co ordinator|"
               r"cpn|community psychiatric nurse|nurse|ward manager|solicitor|lawyer|barrister|"
               r"support worker|key worker|keyworker|occupational therapist|psychiatrist|"
               r"psychologist|doctor|gp|consultant|case manager|case worker|caseworker|"
               r"paralegal|practitioner|professional|discharge coordinator|"
               r"ward social worker|team manager|commissioner|probation officer|"
               r"forensic social worker|citizens advice adviser|adviser|advisor|sw|ot|"
               r"housing officer|support officer|housing support officer|officer|"
               r"support worker|carers support worker|rmn|psychiatric nurse|ward nurse)")
_ADVOCATE_CUES = [
    r"\bmy (client|clients|service user|patient|patients)\b",
    r"\bour (client|clients|service user|service users|patient|patients)\b",
    r"\b(a|the) (client|service user) (of mine|i (support|work with))\b",
    rf"\b(i am|i'm|im|i m|i work as|working as|as) (an? |the )?(\w+ )?{_PROFESSION}\b",
    r"\bi work (for|in|at) (an? |the )?(advocacy|cmht|community mental health|ward|hospital|trust|council|charity)",
    r"\b(on behalf of|representing) (my|our|a) (client|service user|patient)\b",
    rf"(^|[.!?]\s+){_PROFESSION} (here|query|question|asking)\b",
    # "Social worker in Denbighshire.", "Ward nurse here.", "Carers' support worker here."
    rf"^\s*(?!(my|our|his|her|their|the|a|an|your)\b)(\w+'?\s+){{0,2}}{_PROFESSION}\b"
    r"(?=\s*[,.:;-]|\s+(here|query|question|in|at|for|from|with|asking|based|working|on)\b)",
    r"\b(i am|i'm|im|i m) acting for\b",
    r"^\s*(sw|amhp|cpn|imha|imca|rmn|ot|advocate|solicitor|care coordinator)\b\s*[.,:-]",
    r"\bi (act for|represent|supervise|support a|am supporting|m supporting|work with a)\b",
    r"\b(pt|su)\b (was |is )?(detained|on|discharged|dc'?d)\b",
    r"\bi('m| am| m)? (an? )?(imha|amhp|cpn|imca)\b",
]
_CARER_CUES = [
    rf"\b(i am|i'm|im|i m) (his|her|their|the) ((older|younger|big|little|eldest|youngest|"
    rf"only|twin|step|main|unpaid|elderly) )?({_FAMILY}|carer|main carer|unpaid carer|"
    r"nearest relative|next of kin|nr)\b",
    r"\bi (care for|look after|support) (my|him|her|them)\b",
    r"\b(i am|i'm|im|i m) (a |an |the )?(family )?carer\b",
    r"\b(i am|i'm|im|i m) (a |an |the |his |her |their )?(close |old |family )?(friend|neighbour|"
    r"neighbor)\b",
    r"\basking (for|on behalf of|about) (my|someone|a family|a friend|him|her)\b",
    rf"\b(my|our) {_FAMILY}( [a-z]+)?('s)? (was|is|has|had|got|went|came|has been|have been|were|been|"
    r"currently|who|just|recently|now|is being|was being|sectioned|detained|ended up|lives|"
    r"moved|came out)\b",
    rf"\b(for|about|if|whether|with) my {_FAMILY}\b",
    r"\b(for|about|if|whether) (mum|dad|mam|nan|gran|grandad)\b",
    r"\b(mum|dad|mam|nan|gran|grandad)'?s (care|aftercare|117|section|placement|support|flat|"
    r"home|care home|case|plan|money|savings|pension)\b",
    rf"\bmy (late|elderly|adult|younger|older|little|big|eldest|youngest|only) {_FAMILY}\b",
    r"(^|[.!?]\s+)(mum|mam|mom|dad|nan|nana|gran|grandad|hubby)('s)? \w+",
    rf"\b(my|our) {_FAMILY}'?s (care|aftercare|after care|117|s117|section|placement|support|"
    r"social worker|care coordinator|flat|home|case|discharge|meeting|plan)\b",
    rf"\bmy {_FAMILY} (left|lost|moved|needs|wants|gets|does|did|can|cannot|can't|hasn't|"
    r"isn't|wasn't|kept|became|started|stopped|uses|went back|lacks|struggles|refuses)\b",
    r"\b(i am|i'm|im|i m) (my|his|her|their) (\w+ )?(\w+ )?carer\b",
    rf"\bmy (adult |grown up |\d+ ?(year|yr) old )?{_FAMILY}\b.{{0,60}}\b(he|she|they|him|her|them)\b",
]
_PATIENT_CUES = [
    r"\bi (was|am|have been|ve been|'ve been|got|get|been|were|was put) (sectioned|detained|"
    r"on (an? )?(section|s|sec|cto)|under (a |an )?(section|s|sec)|discharged|released|in hospital|"
    r"let out|put on)\b",
    r"\b(i'm|im|i m|i am) (on|under) (an? |my )?(section|s|sec|cto|community treatment)",
    r"\bi (was|am|got|have been|ve been|'ve been) (on|under|put on) (an? )?\d",
    r"\b(discharged|released|sectioned|detained|transferred|moved|sent) me\b",
    r"^\s*(got|was) (out|sectioned|discharged|detained|released|put on)\b",
    r"\b(im|i'm|i m|i am) (getting released|being discharged|still on|still in|back home|home now)\b",
    r"\b(i'm|im|i m|i am) on (117|s117|aftercare|after care)\b",
    r"\b(i'm|im|i m|i am) (in|living in|staying in) (a |an |the |my )?(supported|care home|"
    r"nursing home|hostel|hospital|placement|flat|ward|unit|prison)",
    r"\bmy (section|aftercare|after care|aftacare|117|s117|cto|care plan|care coordinator|"
    r"social worker|psychiatrist|cpn|own flat|flat|ward|discharge)\b",
    r"\b(i|me) (left|came out of|got out of|leave|leaving|come out of) (the )?(hospital|ward|unit)\b",
    r"\b(they|the council|the home|staff) (want|wants|asked|told|are asking|are telling|say|said) me\b",
    r"\bcan i (get|have|still get|keep)\b",
    r"\b(it's|its|it is|it was) (me|myself) (who|that)\b",
    r"\b(do|will|would|should|must) i (have to |need to )?(pay|get|lose|still)\b",
    r"\bi (can't|cant|cannot) afford\b",
]
_FIRST_PERSON_PATIENT = re.compile("|".join(_PATIENT_CUES))
_ADVOCATE = re.compile("|".join(_ADVOCATE_CUES))
_CARER = re.compile("|".join(_CARER_CUES))


def role_in(text: str) -> str | None:
    """Who is writing: an advocate or professional, a carer or family member, or the patient.

    A professional often mentions the family ("her mum wants..."), and a patient often mentions
    theirs ("my mum is my nearest relative"), so professional cues win, then carers' cues that
    put the family member at the centre, then the patient's own first person."""
    norm = _normalise(text)
    if _ADVOCATE.search(norm):
        return ADVOCATE
    carer = _CARER.search(norm)
    patient = _FIRST_PERSON_PATIENT.search(norm)
    if carer and patient:
        # "my mum is my nearest relative and I was sectioned": the first clear cue decides,
        # unless the carer says who they are ("I'm his sister").
        if re.search(r"\b(i am|i'm|im|i m) (his|her|their)\b|\bi (care for|look after)\b", norm):
            return CARER
        return CARER if carer.start() < patient.start() else PATIENT
    if carer:
        return CARER
    if patient:
        return PATIENT
    return None


# ------------------------------------------------------------------------------ sections
# A number is a section only next to a word that says so ("section 3", "s.37", "on a 3",
# "a 37/41", "sectioned under 2"): "she is 37" or "£48 a week" are not sections.
_SECTION_MENTION = re.compile(
    r"\b(?:sections?|secs?|sect|ss?|s\s*\.|"
    # the misspellings people type: "secton 3", "sectoin 37", "sction 2"
    r"(?:secton|sectoin|sectin|sction|seciton|secion|setion|sectiom)s?)\s*\.?\s*(\d{1,3}\s*a?\b(?:\s*(?:\(\s*[24]\s*\)|/\s*\d{2}))?)"
    r"|\b(?:on|under|put on|given|got|had|off)\s+(?:an?\s+|the\s+)(\d{1,3}\s*a?(?:\s*/\s*\d{2})?)\b"
    r"|\b(?:with|was|is|of|from|a|an|the|after|then)\s+(?:an?\s+|the\s+)?"
    r"(\d{1,3}\s*a?(?:\s*/\s*\d{2})?)(?=\s+(?:and|then|which|that|in|at|for|last|since|before|after|"
    r"but|so|order|hospital order|section|sec|,|\.)|\s*[,.;!?)]|\s*$)"
    r"|\b(\d{2}\s*/\s*\d{2})\b"
    r"|\b(45\s*a)\b"
    r"|\b(?:section|sec|s)\s+(two|three|thirty seven|thirty-seven|forty seven|forty eight|"
    r"thirty five|thirty six|one three six|forty five a)\b"
    r"|\bsection(?:ed)?\s+(?:under|on)\s+(?:an?\s+)?(?:section\s+)?(\d{1,3}a?)\b",
    re.I)
_NEGATED = re.compile(r"\b(not|wasn'?t|isn'?t|never|rather than|instead of)\s+(an?\s+|on\s+an?\s+)?\S?$",
                      re.I)
_NOT_SECTION_AFTER = re.compile(r"^\s*(years?|yrs?|yo|y/o|weeks?|days?|months?|hours?|mins?|"
                                r"minutes?|pounds?|quid|k\b|%|am\b|pm\b|times?|nights?|miles?)",
                                re.I)
_SECTION_CONTEXT = re.compile(r"\b(section|sectioned|sec|s\.?\s?\d|detained|mental health act|"
                              r"mha|hospital order|transfer|on a \d|hospital|prison|ward|unit|"
                              # "they changed it to a 3 last week"
                              r"(changed|switched|converted|upgraded|turned|moved) (it |him |her |"
                              r"me |them )?(in)?to an? \d)",
                              re.I)


def sections_in(text: str) -> list[str]:
    """Detention sections named in `text`, in order, as bot.sections spells them."""
    found: list[str] = []
    for match in _SECTION_MENTION.finditer(text):
        snippet = next(g for g in match.groups() if g)
        if _NOT_SECTION_AFTER.match(text[match.end():]):
            continue
        if _NEGATED.search(text[max(0, match.start() - 14):match.start() + 1]):
            continue  # "it was a section 2 not a 3": the 3 was a mistake
        bare = match.group(3) is not None
        if bare and not _SECTION_CONTEXT.search(text):
            continue  # "she was 37 when..." in a message that never speaks of sections
        for value in canonical_sections(snippet):
            if value not in NOT_DETENTIONS and value not in ("unknown", "none") and value not in found:
                found.append(value)
    return _combined(found)


# Never detained: the checker's answer "Not sectioned" (its value "none"), so "I went in
# voluntary, never sectioned. Can I get 117?" gets its verdict at once.
NOT_SECTIONED = "none"
_NEVER_DETAINED = re.compile(
    r"\bnever (been |ever been )?(sectioned|detained|on a section)\b|"
    r"\b(wasn'?t|was not|weren'?t|were not|hasn'?t been|has not been|haven'?t been|"
    r"have not been) (ever )?(sectioned|detained|on a section)\b(?! (now|any ?more|at the moment|"
    r"this time|again))|\bnot sectioned at all\b", re.I)
# "went in voluntary", "an informal patient": only in a message that speaks of no section at
# all, since "his section was lifted and he's an informal patient now" was detained before.
_VOLUNTARY = re.compile(
    r"\b(went|go|gone|going|came|was admitted|admitted|signed (myself|himself|herself|"
    r"themselves) in(to \w+( \w+){0,3})?|in)\b[^.!?]{0,25}\b(voluntar(il)?y|informal(ly)?)\b|"
    r"\ban? (voluntary|informal) (patient|admission|basis)\b", re.I)
_SPEAKS_OF_SECTIONS = re.compile(r"\b(section|sectioned|detained|s\.? ?\d|sec \d|cto|"
                                 r"mental health act)", re.I)


def never_detained(text: str) -> bool:
    """The message says the person was never detained ("never sectioned", "went in as a
    voluntary patient" in a message that names no section)."""
    if _NEVER_DETAINED.search(text):
        return True
    return bool(_VOLUNTARY.search(text)) and not _SPEAKS_OF_SECTIONS.search(text)


def sections_told(text: str) -> tuple[str, ...]:
    """The sections named, else the checker's "Not sectioned" when the message says so."""
    return tuple(sections_in(text)) or ((NOT_SECTIONED,) if never_detained(text) else ())


def _combined(found: list[str]) -> list[str]:
    """"37" and "37/41" named in one message are one section."""
    return [s for s in found if not any(o != s and o.startswith(s + "/") for o in found)]


_ORDERS = re.compile(r"\b(c\.?t\.?o|community treatment order|conditional(ly)? discharge[d]?|"
                     r"guardianship)\b", re.I)


def orders_in(text: str) -> list[str]:
    return [o for o in canonical_orders([m.group(0) for m in _ORDERS.finditer(text)])
            if o in ("cto", "conditional_discharge", "guardianship")]


# --------------------------------------------------------------------------------- where now
_PLACE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (place, re.compile(pattern, re.I)) for place, pattern in (
        ("prison", r"\b(in|back to|back in|returned to|sent back to|from) (prison|jail|gaol|hmp)\b|"
                   r"\bhmp \w+|\bin custody\b"),
        ("leave", r"\b(section|s\.?|sec) ?17 leave\b|\bon (\w+ )?(escorted |unescorted |overnight |"
                  r"long |trial )?leave\b|\bunescorted leave\b"),
        ("care_home", r"\b(care|nursing|residential) homes?\b|\bresidential care\b|"
                      r"\bnursing care home\b|\bthe (home|care home) (i'm|im|i am|she's|he's|she is|"
                      r"he is|they are) in\b"),
        ("supported_living", r"\bsupported (living|accommodation|accomodation|acommodation|"
                             r"housing|flats?|tenancy|house|home)\b|"
                             r"\b(a |the )?hostel\b|\bstep ?down\b|\bresidential placement\b|"
                             r"\b24 ?(hour|hr)s? support\b|\b(rehab|rehabilitation) (unit|placement)\b"),
        ("hospital", r"\b(gone|went|going|is|been|was taken|taken) back (into|in|to) (hospital|"
                     r"the ward|the unit)\b|\b(readmitted|re-admitted|admitted again)\b|"
                     r"\b(at|in|on) (an?|the) (adolescent|secure|psychiatric|mental health|"
                     r"forensic|acute|psych) (unit|ward|hospital)\b|"
                     r"\b(is|s|am|m|are|and|currently|still|now|client|patient|man|woman|son|"
                     r"daughter|brother|sister|husband|wife|partner) (on|under) (a |an |his |her |"
                     r"my )?(section|s\.?|sec) ?(2|3|37|37/41|45a|47|48)\b(?! ?(cto|leave))|"
                     r"\b(due for discharge|planned discharge|due home|ready for discharge|"
                     r"awaiting discharge|coming to the end of (his|her|their|my) section|"
                     r"is detained|are detained|am detained|at the moment in hospital|"
                     r"(client|patient|man|woman|person|someone|who is|who's) (being )?detained (under|on)|"
                     r"(on|in) (a|the) (\w+ )?(ward|psychiatric unit|mental health unit)(?= (in|at|since|for now|now)\b)|"
                     r"in hospital at the moment)\b|"
                     r"\b(ready to leave|waiting to leave|due to leave|about to leave|not yet left|"
                     r"still in|is in|currently in) (the |a )?(secure unit|medium secure|low secure|"
                     r"unit|ward|hospital|psychiatric unit)\b|"
                     r"\bstill (in hospital|on the ward|in the unit|detained|sectioned|an inpatient|"
                     r"in (a |the )?(psych|mental health) (ward|unit|hospital))|\b(is|are|am|currently|"
                     r"now|remains|remain) (in hospital|on the ward|an inpatient|detained|sectioned)\b|"
                     r"\b(currently|still) (on|under) (a |an |the )?(section|s|sec) ?\d|"
                     # "he's been sectioned": detained now, unless said of the past
                     r"\b('s|s|has|have|'ve|ve) (just |recently |now |only just )?been (sectioned|"
                     r"detained)\b(?! (before|twice|three times|in the past|several|many|a few|"
                     r"last|in \d{4}|\w+ (years?|months?|weeks?) ago|for \w+ (years?|months?))\b)"),
        ("home", r"\b(back|lives|living|live|moved|went|gone|returned|discharged|now|is|am|are|"
                 r"im|i'm|i m|shes|she's|hes|he's) "
                 r"(at |back )?home\b|\bhome care\b|\bcare at home\b|"
                 r"\b(lives|living|moved in|staying|stays|live) with (me|us|my|her|his|their|family)\b|\b(own|a council|his own|her own|my own) (flat|house|home|place)\b|"
                 r"\bin the community\b|\b(came|come|coming|went|gone|got|sent|go|going) home\b|"
                 r"\b(back at|back in|at) (his|her|their|my|our) (bungalow|flat|house|home|place)\b"),
    ))
_NOT_NOW = re.compile(r"\b(due to|going to|will|plan(s|ning)? to|about to|hoping to|wants?|wanted|"
                      r"want (him|her|them|me) to|offered|offering|looking at|before|"
                      r"(?<!has )(?<!have )lived|was living|used to|stayed|went straight|"
                      r"had been|was in|were in|instead of|rather than|due for|planned|"
                      r"going on to|move into|move to|moving to|moving into|discharge to|"
                      r"arranging|arrange|find (him|her|them|me)|looking for|nearer|"
                      r"(a|the) particular|talking about|talk of|thinking about|discuss(ing)?|"
                      r"could|would|might|manage in|cope in)\b[^.!?]{0,30}$", re.I)
_NOW = re.compile(r"\b(now|currently|at the moment|atm|these days|at present|still|since|today)\b",
                  re.I)


def place_in(text: str) -> str | None:
    """Where the person is now: the place in the sentence that says "now", else the last named."""
    mentions: list[tuple[int, bool, str]] = []
    for place, pattern in _PLACE_PATTERNS:
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 45):match.start()]
            if _NOT_NOW.search(before):
                continue  # "due to move to a placement", "lived in a hostel for ages"
            window = text[max(0, match.start() - 60):match.end() + 40]
            mentions.append((match.start(), bool(_NOW.search(window)), place))
    if not mentions:
        return None
    now = [m for m in mentions if m[1]] or mentions
    if any(m[2] == "leave" for m in now):
        return "leave"  # on leave is the more exact "still detained"
    return max(now)[2]


# ---------------------------------------------------------------------------- what happened
_EVENT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (event, re.compile(pattern, re.I)) for event, pattern in (
        ("top_up", r"\btop[ -]?ups?\b|\bthird party (payment|contribution)s?\b"),
        ("charged", r"\b(bill|bills|billed|billing|invoice|invoiced|charged|charging|charge|fees?|"
                    r"financial assessment|means[ -]test(ed)?|contribut(e|ion)|pay(ing)? for|"
                    r"(must|should|will|would|has to|have to|had to|to|asked to) pay|pay towards|"
                    r"arrears|debt)\b|\bpay(ing)? £"),
        ("gp_discharge", r"\b(discharged|signed off|handed back|transferred|referred back) "
                         r"(from|by) (the )?(cmht|community (mental health )?team|mental health team|"
                         r"psychiatrist|services)|\b(back|over|handed|discharged) to (the |his |her |my |"
                         r"their )?gp\b|\bclosed (his|her|my|their|the) case\b"),
        ("ended", r"\b(117|aftercare|after care|aftacare|it|s117)('s| has| had| is| was| will)? "
                  r"(been )?(ended|ending|end|ends|stopped|stopping|stops|finished|withdrawn|discharged|"
                  r"removed|taken away|over)\b|\bno longer (entitled|eligible|gets?|on 117|"
                  r"has 117|have 117)\b|\b(end|ended|ending|stop|stopped) (his|her|my|their) "
                  r"(117|s117|aftercare|after care)\b"),
        ("refused", r"\b(refused|refusing|won't provide|will not provide|wont provide|turned down|"
                    r"declined|denied|withdrawn|cut)\b"),
    ))


# "can they end my 117?", "will they charge me?": asked about, not something that happened.
_ASKED_IF = re.compile(r"\b(can|could|will|would|might|may|if|when|do|does)\s+(they|the council|"
                       r"the icb|the nhs|the home|social services|he|she|i|we|you)\s+(\w+\s+)?$",
                       re.I)


def events_in(text: str) -> list[str]:
    return [event for event, pattern in _EVENT_PATTERNS
            if any(not _ASKED_IF.search(text[max(0, m.start() - 30):m.start()])
                   for m in pattern.finditer(text))]


# ------------------------------------------------------------------------------------- place
def area_in(text: str, directory) -> tuple[str | None, str | None]:
    """(area value, country) named in `text`: an area id and its country, or a country alone."""
    from bot.contacts import area_value_from_text  # the contacts file names every place

    value = area_value_from_text(text, directory)
    if value is None:
        return None, None
    area = directory.area(value)
    if area is not None:
        return value, area.country
    return value, value.capitalize() if value in ("wales", "england") else None


# ------------------------------------------------------------------------------------ reading
def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    return re.sub(r"\s+", " ", text)


def read(text: str, directory=None) -> Situation:
    """Every fact stated in one message."""
    area, country = area_in(text, directory) if directory is not None else (None, None)
    return Situation(role=role_in(text), sections=sections_told(text),
                     orders=tuple(orders_in(text)), place=place_in(text), area=area,
                     country=country, events=tuple(events_in(text)))


_SAYS_WHO = re.compile(r"\b(i am|i'm|im|i m|i work)\b|\bmy client\b|"
                       r"\b(it's|its|it is|it was) (me|myself)\b")
# "they changed it to a 3": a new section after the old, not a correction of it.
_CHANGED_SECTION = re.compile(r"\b(changed|switched|converted|upgraded|turned|moved|put) "
                              r"(it |him |her |me |them )?(in)?to an? (section |s\.? ?)?\d|"
                              r"\b(regraded|changed|converted) (to|into)\b", re.I)


def updated(known: Situation, told: Situation, text: str = "") -> Situation:
    """What we know after a message: what it says replaces what we had (a correction:
    "sorry, it was a section 2 not a 3"), what it does not say is kept. Events add up.
    Who is writing changes only when they say so ("I'm her advocate"): a carer asking
    "can I get a carer's assessment" stays a carer."""
    role = known.role or told.role
    if told.role and told.role != known.role and _SAYS_WHO.search(_normalise(text)):
        role = told.role
    return replace(
        known,
        role=role,
        sections=(tuple(dict.fromkeys(known.sections + told.sections))
                  if told.sections and _CHANGED_SECTION.search(text) else
                  # "he's an informal patient now" does not undo the section he was on
                  known.sections if told.sections == (NOT_SECTIONED,) and known.sections else
                  told.sections or known.sections),
        orders=told.orders or known.orders,
        place=told.place or known.place,
        area=told.area or known.area,
        country=told.country or known.country,
        events=tuple(dict.fromkeys(known.events + told.events)),
    )
