"""The crisis safety net: it must catch crisis words, typos included, and not everyday questions."""

import pytest

from bot.crisis import looks_like_crisis

CRISIS = [
    "I want to die", "i wnat to die", "i wanna die", "hurt myself", "I am going to hurt my self",
    "he says he will kill himself", "he says hell kil himself", "she keeps saying she'll kill herself",
    "i want to end my life", "im suicidle", "thinking of sucide", "I feel suicidal tonight",
    "she has taken too many tabletts", "i dont want to be alive anymore",
    "I feel like ending it all", "i want to kill my self", "I've been cutting myself again",
    "i took an overdose", "I'M NOT SAFE RIGHT NOW",
    # described, not named
    "she has locked herself in with a load of pills and says she will take them all",
    "i took all my tablets", "he swallowed a whole packet of paracetamol",
    "thinking about jumping off the bridge", "he has cut himself and there is blood everywhere",
    "i am not safe", "i'm going to hang myself", "i want to go to sleep and never wake up",
    "im gonna end it tonite", "my mum says she is going to end it", "im in a really dark place",
    "my client has just told me she has a ligature",
    # means and method, whatever else the message says
    "whats the most painless way to go", "how high does a bridge have to be",
    "how many of his tablets would it take", "which bridge near here is high enough",
    "what is a lethal dose of paracetamol",
    "my son was on a section 3 and is home now. he asked me how many paracetamol would kill "
    "someone. does he still get his 117?",
    "quickest way to die", "how much insulin would be fatal",
    "what amount of my meds would be enough to be fatal",
    "whats the tallest building round here, how high would it need to be",
    # saying goodbye, the means set out, a plan (2026-12-01: two of these kinds were missed in
    # the blind conversation set)
    "she rang me to say goodbye to everyone and her pills are laid out on the table",
    "he has been stockpiling his meds for weeks", "i cant do this anymore",
    "she says she doesnt feel safe on her own", "ive started cutting again",
    "my wife keeps thinking about ending it", "i dont see the point in living any more",
    "if he swallowed the whole packet at once what would happen",
]

NOT_CRISIS = [
    "what is section 117", "will they stop my aftercare", "can they kill off my aftercare",
    "do i have to pay for my care home", "my mum died last year can we get money back",
    "i want to complain", "can I go on holiday", "what happens to 117 when i move",
    "is it free", "how do i get help with my diet", "i was on a section 3",
    "can they end my 117", "he hurt his leg", "who decides", "what is an advocate",
    # once caught by loose fuzzy matching (a word or phrase inside other words)
    "what is judicial review", "is ordinary housing covered by section 117",
    "can i attend my wifes 117 meeting", "is 117 charged to overseas visitors",
    "i want to edit what i said", "they want to discharge me from 117 can they",
    "could they give me the money so i arrange it myself", "can they end it without me",
    "do i have to take my tablets", "my plan doesnt say who to ring in a crisis",
    "can they cut my aftercare", "is the council going to end it",
    "do i need a signature on my care plan",
    "how high are the fees", "how many tablets do i take each day", "what is the best way to complain",
    "how long does it take to get a care plan", "which building is the council office in",
    "how much of the care home fee do i pay", "the best way to get 117 started",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_words_are_caught(text):
    assert looks_like_crisis(text)


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ordinary_questions_are_not_crisis(text):
    assert not looks_like_crisis(text)


def test_empty_and_symbol_only_text_is_not_crisis():
    assert not looks_like_crisis("")
    assert not looks_like_crisis("?!?")
