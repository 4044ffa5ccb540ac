"""Truth table for the section 117 eligibility checker (facts.md 1.2, 1.3, 1.10, section 2)."""

from __future__ import annotations

import pytest

from bot.eligibility import (BASIS, NEXT_STEPS, History, Verdict, check, history_from_answers,
                             questions_needed)

E, N, Y, D, U = (Verdict.ELIGIBLE, Verdict.NOT_ELIGIBLE, Verdict.NOT_YET, Verdict.DEPENDS,
                 Verdict.UNKNOWN)

# (case, history, verdict, reason codes that must be present, next step)
CASES = [
    ("section 3 then left hospital", History(("3",), left_hospital=True), E, ["sec_3"], "ask_plan"),
    ("section 37 then left", History(("37",), left_hospital=True), E, ["sec_37"], "ask_plan"),
    ("section 37/41 then left", History(("37/41",), left_hospital=True), E, ["sec_37_41"],
     "ask_plan"),
    ("section 45A then left", History(("45A",), left_hospital=True), E, ["sec_45a"], "ask_plan"),
    ("section 47 then left", History(("47",), left_hospital=True), E, ["sec_47_48"], "ask_plan"),
    ("section 48 then left", History(("48",), left_hospital=True), E, ["sec_47_48"], "ask_plan"),
    ("section 47/49 then left", History(("47/49",), left_hospital=True), E, ["sec_47_48"],
     "ask_plan"),
    ("section 3, status not said", History(("3",)), E, ["sec_3", "starts_on_leaving"],
     "ask_plan"),
    ("Miriam: s3, stayed on informally, then left",
     History(("3",), informal=True, left_hospital=True), E, ["sec_3", "stayed_informal"],
     "ask_plan"),
    ("s3, still in hospital informally", History(("3",), informal=True, left_hospital=False), Y,
     ["still_informal"], "plan_now"),
    ("on a CTO after section 3", History(("3",), cto=True), E, ["sec_3", "cto"], "ask_plan"),
    ("on a CTO, section not said", History(cto=True), E, ["cto"], "ask_plan"),
    ("37/41 conditionally discharged", History(("37/41",), conditionally_discharged=True), E,
     ["sec_37_41", "conditional_discharge"], "ask_plan"),
    ("conditionally discharged, section not said", History(conditionally_discharged=True), E,
     ["conditional_discharge"], "ask_plan"),
    ("Steve: s47 returned to prison", History(("47",), returned_to_prison=True), E,
     ["sec_47_48", "prison"], "ask_plan"),
    ("s48 returned to prison", History(("48",), returned_to_prison=True), E, ["prison"],
     "ask_plan"),
    ("section 2 then section 3", History(("2", "3"), left_hospital=True), E,
     ["sec_3", "s2_then_s3"], "ask_plan"),
    ("Darren: section 2 only", History(("2",), left_hospital=True), N, ["only_s2"], "care_act"),
    ("section 4 only", History(("4",)), N, ["only_holding"], "care_act"),
    ("section 5(2) only", History(("5(2)",)), N, ["only_holding"], "care_act"),
    ("section 5(4) only", History(("5(4)",)), N, ["only_holding"], "care_act"),
    ("section 135 only", History(("135",)), N, ["only_holding"], "care_act"),
    ("section 136 only", History(("136",)), N, ["only_holding"], "care_act"),
    ("section 35 only", History(("35",)), N, ["only_court"], "care_act"),
    ("section 36 only", History(("36",)), N, ["only_court"], "care_act"),
    ("section 38 only", History(("38",)), N, ["only_court"], "care_act"),
    ("section 2 and 136", History(("136", "2")), N, ["only_s2", "only_holding"], "care_act"),
    ("Hannah: voluntary only", History(("none",), left_hospital=True), N, ["voluntary_only"],
     "care_act"),
    ("informal with no section", History(informal=True), N, ["voluntary_only"], "care_act"),
    ("guardianship without a section", History(guardianship=True), N, ["guardianship_only"],
     "care_act"),
    ("guardianship after a section 2 only", History(("2",), guardianship=True), N,
     ["only_s2", "guardianship_only"], "care_act"),
    ("guardianship after section 3", History(("3",), guardianship=True), E,
     ["sec_3", "guardianship_after"], "ask_plan"),
    # "Section 37" and guardianship: a s37 hospital order then guardianship counts, a s37
    # guardianship order on its own does not (facts.md 1.2, section 2 item 5). Say both.
    ("section 37 and guardianship: hospital or guardianship order?",
     History(("37",), guardianship=True), D, ["s37_guardianship"], "find_section"),
    ("section 37 and guardianship, left hospital: still which order?",
     History(("37",), guardianship=True, left_hospital=True), D, ["s37_guardianship"],
     "find_section"),
    ("37/41 (a hospital order) then guardianship", History(("37/41",), guardianship=True), E,
     ["sec_37_41", "guardianship_after"], "ask_plan"),
    ("section 3, then 37, then guardianship", History(("3", "37"), guardianship=True), E,
     ["sec_3", "guardianship_after"], "ask_plan"),
    ("section 45A then guardianship", History(("45A",), guardianship=True), E,
     ["sec_45a", "guardianship_after"], "ask_plan"),
    ("section 47 then guardianship", History(("47",), guardianship=True), E,
     ["sec_47_48", "guardianship_after"], "ask_plan"),
    ("s3 short escorted s17 leave", History(("3",), leave="short"), Y, ["leave_short"],
     "plan_now"),
    ("Clarence: s3 long unescorted leave", History(("3",), leave="long"), D, ["leave_long"],
     "ask_rc"),
    ("s3 leave of unknown kind", History(("3",), leave="unknown"), D, ["leave_long"],
     "ask_rc"),
    ("s3 still detained", History(("3",), still_detained=True), Y, ["still_detained"],
     "plan_now"),
    ("s37 still detained", History(("37",), still_detained=True), Y, ["still_detained"],
     "plan_now"),
    ("left then back in informally", History(("3",), left_hospital=True, readmitted="informal"),
     E, ["readmit_informal"], "ask_plan"),
    ("left then back on a section 2", History(("3",), left_hospital=True, readmitted="section_2"),
     E, ["readmit_s2"], "ask_plan"),
    ("s3 then a later s2 (order shows readmission)", History(("3", "2")), E, ["readmit_s2"],
     "ask_plan"),
    ("re-detained on s3, still there",
     History(("3",), readmitted="qualifying", still_detained=True), Y, ["readmit_qualifying"],
     "plan_now"),
    ("re-detained on s3, left again",
     History(("3",), readmitted="qualifying", left_hospital=True), E, ["readmit_qualifying"],
     "ask_plan"),
    ("readmitted on a short section", History(("3",), left_hospital=True, readmitted="other"), E,
     ["readmit_other"], "ask_plan"),
    ("don't know the section", History(("unknown",)), U, ["unknown_section"], "find_section"),
    ("nothing said", History(), U, ["unknown_section"], "find_section"),
    ("don't know, under guardianship", History(("unknown",), guardianship=True), U,
     ["unknown_section", "guardianship_only"], "find_section"),
    ("don't know, on a CTO", History(("unknown",), cto=True), E, ["cto"], "ask_plan"),
    ("don't know but one was a section 3", History(("unknown", "3")), E, ["sec_3"], "ask_plan"),
    ("on s17 leave, section not said", History(leave="unknown"), U,
     ["unknown_section", "leave_long"], "find_section"),
    ("section 117 and 17 alone are not detentions", History(("117", "17")), U,
     ["unknown_section"], "find_section"),
    ("Jorge: section 3, discharged", History(("3",), still_detained=False, left_hospital=True), E,
     ["sec_3"], "ask_plan"),
]


@pytest.mark.parametrize("case,history,verdict,codes,next_step", CASES,
                         ids=[c[0] for c in CASES])
def test_truth_table(case, history, verdict, codes, next_step):
    result = check(history)
    assert result.verdict is verdict
    assert set(codes) <= set(result.codes), result.codes
    assert result.next_step == next_step


def test_there_are_at_least_30_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("history", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_every_reason_has_a_legal_basis_and_a_known_next_step(history):
    result = check(history)
    assert result.reasons
    for reason in result.reasons:
        assert reason.basis == BASIS[reason.code] and reason.basis
    assert result.next_step in NEXT_STEPS


def test_not_eligible_answers_point_to_free_nhs_care_and_a_care_act_assessment():
    # The care_act next step says NHS treatment is free and how to ask for an assessment.
    for case, history, verdict, *_ in CASES:
        if verdict is N:
            assert check(history).next_step == "care_act", case


def test_a_cto_reason_is_given_whenever_the_person_is_on_a_cto():
    assert "cto" in check(History(("37",), cto=True, readmitted="informal")).codes


def test_section_37_with_guardianship_never_says_the_hospital_order_counts():
    # "Section 37 counts. It is a hospital order" would answer the question it leaves open.
    result = check(History(("37",), guardianship=True))
    assert result.codes == ["s37_guardianship"]


def test_the_checker_is_pure():
    history = History(("2", "3"), left_hospital=True)
    assert check(history) == check(history)


# ------------------------------------------------------------------ answers -> history

@pytest.mark.parametrize("kwargs,verdict", [
    ({"sections": ["3"], "status": "left"}, E),
    ({"sections": ["3"], "status": "detained"}, Y),
    ({"sections": ["3"], "status": "informal"}, Y),
    ({"sections": ["3"], "orders": ["informal"], "status": "left"}, E),
    ({"sections": ["3"], "status": "leave", "leave": "short"}, Y),
    ({"sections": ["3"], "status": "leave", "leave": "long"}, D),
    ({"sections": ["3"], "orders": ["section_17_leave"]}, D),
    ({"sections": ["37/41"], "orders": ["conditional_discharge"]}, E),
    ({"sections": ["47"], "status": "prison"}, E),
    ({"orders": ["cto"]}, E),
    ({"sections": ["2"]}, N),
    ({"sections": ["none"]}, N),
    ({"orders": ["informal"]}, N),
    ({"orders": ["guardianship"]}, N),
    ({"sections": ["37"], "orders": ["guardianship"]}, D),
    ({"sections": ["37"], "status": "guardianship"}, D),
    ({"sections": ["37/41"], "status": "guardianship"}, E),
    ({"sections": ["unknown"], "status": "left"}, U),
    ({"sections": ["3"], "status": "left", "readmit": "qualifying"}, E),
])
def test_history_from_answers(kwargs, verdict):
    assert check(history_from_answers(**kwargs)).verdict is verdict


@pytest.mark.parametrize("answers,expected", [
    ((None, None, None, None, None), ["elig_sections", "elig_status"]),
    ((["3"], None, None, None, None), ["elig_status"]),
    ((["2"], None, None, None, None), []),
    ((["none"], None, None, None, None), []),
    ((["unknown"], None, None, None, None), ["elig_status"]),
    ((["3"], None, "leave", None, None), ["elig_leave"]),
    ((["3"], None, "left", None, None), ["elig_readmit"]),
    ((["3"], None, "left", None, "no"), []),
    ((["3"], None, "detained", None, None), []),
    ((None, ["cto"], None, None, None), []),
    ((None, ["conditional_discharge"], None, None, None), []),
    ((["3"], ["section_17_leave"], None, None, None), ["elig_leave"]),
    ((None, ["guardianship"], None, None, None), ["elig_sections"]),
])
def test_questions_needed_never_asks_for_what_was_said(answers, expected):
    assert questions_needed(*answers) == expected
