"""Section 117 eligibility checker: a pure function from a person's history to a result.

The rules are in ../shared/facts.md (1.2 eligibility, 1.3 start and end, 1.10 ending, and the
contradictions in section 2). The result carries codes, never user text: the dialogue shows
`utter_elig_verdict_<verdict>`, `utter_elig_reason_<code>` for each reason and
`utter_elig_next_<next_step>`; More detail shows `utter_elig_detail_<code>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from bot.sections import (NONE, NOT_DETENTIONS, QUALIFYING, UNKNOWN, canonical_leave,
                          canonical_orders, canonical_readmit, canonical_sections,
                          canonical_status)

HOLDING = {"4", "5", "5(2)", "5(4)", "135", "136"}  # emergency, holding powers, police
COURT_SHORT = {"35", "36", "38"}  # court remand and interim orders
PRISON_TRANSFERS = {"47", "47/49", "48", "48/49"}


class Verdict(str, Enum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NOT_YET = "not_yet"  # still detained: planning should already have started
    DEPENDS = "depends"
    UNKNOWN = "unknown"


# Reason code -> legal basis (shown in full by utter_elig_detail_<code>).
BASIS: dict[str, str] = {
    "sec_3": "MHA 1983 s117(1) (s3)",
    "sec_37": "MHA 1983 s117(1) (s37)",
    "sec_37_41": "MHA 1983 s117(1) (s37 with a s41 restriction order)",
    "sec_45a": "MHA 1983 s117(1) (s45A)",
    "sec_47_48": "MHA 1983 s117(1) (s47, s48)",
    "s2_then_s3": "MHA 1983 s117(1); facts.md 1.2 (s2 then s3)",
    "starts_on_leaving": "MHA 1983 s117(1); Code of Practice para 33.10",
    "stayed_informal": ("MHA 1983 s117(1) 'whether or not immediately after so ceasing'; "
                        "Mind (Miriam)"),
    "cto": "MHA 1983 s117(2); s17A",
    "conditional_discharge": "Mind (restricted patient on a conditional discharge); facts.md F10.7",
    "prison": "MHA 1983 s117(1); Mind (Steve)",
    "guardianship_after": "MHA 1983 s117(1); facts.md 1.2 and contradiction 5",
    "s37_guardianship": ("MHA 1983 s117(1) (a s37 hospital order is listed; a s37 guardianship "
                         "order is not a detention); facts.md 1.2 and contradiction 5"),
    "readmit_informal": "Code of Practice ch. 33; facts.md F10.3",
    "readmit_s2": "Code of Practice ch. 33; facts.md F10.3",
    "readmit_qualifying": "R (Worcestershire CC) v SSHSC [2023] UKSC 31; facts.md F10.6",
    "readmit_other": "facts.md F10.6",
    "still_detained": "MHA 1983 s117(1); Code of Practice para 33.10",
    "still_informal": "MHA 1983 s117(1); Code of Practice para 33.10; Mind (Miriam)",
    "leave_short": "R (CXF) v Central Bedfordshire [2017] EWHC 2311 (Admin), [2018] EWCA Civ 2852",
    "leave_long": "R v Richmond ex p Watson; Mind (Clarence); CXF [2018] EWCA Civ 2852",
    "only_s2": "MHA 1983 s117(1) (s2 is not listed); Mind (Darren)",
    "only_holding": "MHA 1983 s117(1) (ss4, 5, 135, 136 are not listed)",
    "only_court": "MHA 1983 s117(1) (ss35, 36, 38 are not listed)",
    "voluntary_only": "MHA 1983 s117(1); Mind (Hannah); facts.md contradiction 4",
    "guardianship_only": "MHA 1983 s117(1); facts.md contradiction 5",
    "unknown_section": "MHA 1983 s117(1); facts.md 1.2",
}

NEXT_STEPS = ("ask_plan", "plan_now", "ask_rc", "care_act", "find_section")


@dataclass(frozen=True)
class History:
    """What we know about the person. None means "not said"."""

    sections: tuple[str, ...] = ()  # canonical, in order; may hold "unknown" or "none"
    still_detained: bool | None = None
    informal: bool = False  # in hospital by choice: after a section, or instead of one
    left_hospital: bool | None = None
    leave: str | None = None  # section 17 leave: "short", "long" or "unknown"
    cto: bool = False
    guardianship: bool = False
    conditionally_discharged: bool = False
    returned_to_prison: bool = False
    readmitted: str | None = None  # "no", "informal", "section_2", "qualifying", "other"


@dataclass(frozen=True)
class Reason:
    code: str
    basis: str


@dataclass(frozen=True)
class Result:
    verdict: Verdict
    reasons: tuple[Reason, ...]
    next_step: str

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    @property
    def response_names(self) -> list[str]:
        """The domain responses that show this result: verdict, reasons, next step."""
        return ([f"utter_elig_verdict_{self.verdict.value}"]
                + [f"utter_elig_reason_{code}" for code in self.codes]
                + [f"utter_elig_next_{self.next_step}"])


@dataclass
class _Draft:
    codes: list[str] = field(default_factory=list)

    def add(self, *codes: str) -> None:
        for code in codes:
            if code not in self.codes:
                self.codes.append(code)

    def result(self, verdict: Verdict, next_step: str) -> Result:
        return Result(verdict, tuple(Reason(c, BASIS[c]) for c in self.codes), next_step)


def _section_codes(qualifying: list[str]) -> list[str]:
    codes = []
    for section in qualifying:
        code = {"3": "sec_3", "37": "sec_37", "37/41": "sec_37_41", "45A": "sec_45a"}.get(
            section, "sec_47_48")
        if code not in codes:
            codes.append(code)
    return codes[:2]


def check(history: History) -> Result:
    """The verdict, its reasons (each with a legal basis) and the next step."""
    h = history
    sections = [s for s in h.sections if s not in NOT_DETENTIONS]
    qualifying = [s for s in sections if s in QUALIFYING]
    draft = _Draft()

    if not qualifying:
        return _without_qualifying_section(h, sections, draft)

    draft.add(*_section_codes(qualifying))
    first = sections.index(qualifying[0])
    if "2" in sections[:first]:
        draft.add("s2_then_s3")
    readmitted = h.readmitted
    if readmitted in (None, "no", UNKNOWN) and "2" in sections[first + 1:]:
        readmitted = "section_2"  # a section 2 after a treatment section is a new admission

    if readmitted == "qualifying":
        draft.add("readmit_qualifying")
        if h.still_detained:
            return draft.result(Verdict.NOT_YET, "plan_now")
        return draft.result(Verdict.ELIGIBLE, "ask_plan")
    if h.cto:
        draft.add("cto")
    elif h.conditionally_discharged:
        draft.add("conditional_discharge")
    elif h.returned_to_prison and any(s in PRISON_TRANSFERS for s in qualifying):
        draft.add("prison")
    elif h.leave in ("short", "long", UNKNOWN):
        # leave_long also says that short or escorted leave is not enough (CXF)
        draft.add("leave_short" if h.leave == "short" else "leave_long")
        if h.leave == "short":
            return draft.result(Verdict.NOT_YET, "plan_now")
        return draft.result(Verdict.DEPENDS, "ask_rc")
    elif h.still_detained:
        draft.add("still_detained")
        return draft.result(Verdict.NOT_YET, "plan_now")
    elif h.informal and h.left_hospital is False:
        draft.add("still_informal")
        return draft.result(Verdict.NOT_YET, "plan_now")
    elif h.informal:
        draft.add("stayed_informal")
    elif h.guardianship and set(qualifying) == {"37"}:
        # "Section 37" and "guardianship": a s37 guardianship order does not count on its own,
        # a s37 hospital order followed by guardianship does (facts.md 1.2, section 2 item 5).
        return _Draft(["s37_guardianship"]).result(Verdict.DEPENDS, "find_section")
    elif h.guardianship:
        draft.add("guardianship_after")
    elif not h.left_hospital and not h.returned_to_prison and readmitted in (None, "no", UNKNOWN):
        draft.add("starts_on_leaving")

    readmit_code = {"informal": "readmit_informal", "section_2": "readmit_s2",
                    "other": "readmit_other"}.get(readmitted or "")
    if readmit_code:
        draft.add(readmit_code)
    return draft.result(Verdict.ELIGIBLE, "ask_plan")


def _without_qualifying_section(h: History, sections: list[str], draft: _Draft) -> Result:
    if h.cto:  # facts.md 1.2: a person on a CTO is entitled, whatever they remember
        draft.add("cto")
        return draft.result(Verdict.ELIGIBLE, "ask_plan")
    if h.conditionally_discharged:  # of a restricted patient, such as 37/41 (Mind)
        draft.add("conditional_discharge")
        return draft.result(Verdict.ELIGIBLE, "ask_plan")
    known_short = [s for s in sections if s not in (UNKNOWN, NONE)]
    voluntary = NONE in sections or (h.informal and not sections)
    if UNKNOWN in sections or not (known_short or voluntary or h.guardianship):
        draft.add("unknown_section")
        if h.guardianship:
            draft.add("guardianship_only")
        if h.leave is not None:  # leave from a section that counts: what would decide it
            draft.add("leave_long")  # it says short or escorted leave is not enough
        return draft.result(Verdict.UNKNOWN, "find_section")
    if "2" in known_short:
        draft.add("only_s2")
    if any(s in HOLDING for s in known_short):
        draft.add("only_holding")
    if any(s in COURT_SHORT for s in known_short):
        draft.add("only_court")
    if voluntary:
        draft.add("voluntary_only")
    if h.guardianship:
        draft.add("guardianship_only")
    return draft.result(Verdict.NOT_ELIGIBLE, "care_act")


# ------------------------------------------------------------------ from answers to a history

def history_from_answers(sections: list[str] | None = None, orders: list[str] | None = None,
                         status: str | None = None, leave: str | None = None,
                         readmit: str | None = None) -> History:
    """Builds a History from canonical answers (bot.sections) given in a message or a form.

    orders: cto, conditional_discharge, guardianship, prison, section_17_leave, informal.
    status (where the person is now): detained, informal, leave, left, cto,
    conditional_discharge, prison, guardianship, unknown.
    """
    orders = list(orders or [])
    on_leave = status == "leave" or "section_17_leave" in orders
    return History(
        sections=tuple(sections or ()),
        still_detained=True if status == "detained" else (False if status == "left" else None),
        informal="informal" in orders or status == "informal",
        left_hospital={"left": True, "informal": False, "detained": False}.get(status or ""),
        leave=(leave or UNKNOWN) if on_leave else None,
        cto="cto" in orders or status == "cto",
        guardianship="guardianship" in orders or status == "guardianship",
        conditionally_discharged="conditional_discharge" in orders
        or status == "conditional_discharge",
        returned_to_prison="prison" in orders or status == "prison",
        readmitted=readmit,
    )


STATUS_FROM_ORDER = {"cto": "cto", "conditional_discharge": "conditional_discharge",
                     "prison": "prison", "guardianship": "guardianship",
                     "section_17_leave": "leave"}
FORM_SLOTS = ("elig_sections", "elig_status", "elig_leave", "elig_readmit")


def status_from_orders(orders: list[str] | None) -> str | None:
    for order in orders or []:
        if order in STATUS_FROM_ORDER:
            return STATUS_FROM_ORDER[order]
    return None


def relevant_questions(sections: list[str] | None, orders: list[str] | None,
                       status: str | None, leave: str | None, readmit: str | None) -> list[str]:
    """The form slots that matter for this person, answered or not, in the order to ask them.

    A question is left out when its answer cannot change the verdict. elig_status stays in when
    an order already said gives it ("on a CTO"): the form fills it from the order, never asks.
    """
    known_status = status or status_from_orders(orders)
    sections = list(sections or [])
    qualifying = any(s in QUALIFYING for s in sections)
    relevant = []
    if sections or known_status not in ("cto", "conditional_discharge"):
        relevant.append("elig_sections")
    if known_status is not None or not sections or qualifying or UNKNOWN in sections:
        relevant.append("elig_status")  # filled from the order when one was said (a CTO...)
    if known_status == "leave" and qualifying:
        relevant.append("elig_leave")
    if known_status == "left" and qualifying:
        relevant.append("elig_readmit")
    return relevant


def questions_needed(sections: list[str] | None, orders: list[str] | None,
                     status: str | None, leave: str | None, readmit: str | None) -> list[str]:
    """The form slots still to ask, in order. Nothing already said is asked again."""
    answers = {"elig_sections": sections or None,
               "elig_status": status or status_from_orders(orders), "elig_leave": leave,
               "elig_readmit": readmit}
    return [slot for slot in relevant_questions(sections, orders, status, leave, readmit)
            if answers[slot] is None]


def canonical_answers(sections=None, orders=None, status=None, leave=None, readmit=None,
                      section_texts_for_leave=None) -> dict:
    """Slot values or entity texts (raw or already canonical) -> canonical keyword arguments."""
    orders_out = canonical_orders(orders)
    if "section_17_leave" in canonical_orders(section_texts_for_leave or sections):
        orders_out.append("section_17_leave")  # "s17" was tagged as a section
    return {"sections": canonical_sections(sections), "orders": list(dict.fromkeys(orders_out)),
            "status": canonical_status(status), "leave": canonical_leave(leave),
            "readmit": canonical_readmit(readmit)}
