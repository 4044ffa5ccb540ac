"""A scripted morning: N conversations with a running assistant, some answering "Did this help?".

For trying the insights page (and its screenshot) with realistic numbers, without real people:

    .venv/bin/python -m scripts.simulate_morning --conversations 200 --url http://127.0.0.1:8000

Each conversation asks one to three questions from the list below (patients, carers and
advocates, some misspelt, one in ten a crisis message), follows a More detail button now and
then, and answers "Did this help?" about two times in three. The random seed is fixed, so two
runs send the same morning. Nothing here is training or evaluation data.
"""

from __future__ import annotations

import argparse
import random
import time

import httpx

QUESTIONS = [
    "Do I have to pay for my care home? I was on a section 3.",
    "my mum is being charged for her supported living, she was sectioned under s3",
    "can i get my medication free",
    "What is section 117?",
    "how long does 117 last",
    "they want to end my sons aftercare, can they?",
    "who pays for my aftercare if I move to another council",
    "Can I have a direct payment for my aftercare?",
    "I was on a section 2. Can I get 117?",
    "what should be in my care plan",
    "can i choose which care home",
    "how do i complain to the council",
    "who do I complain to in Kent",
    "I live in Wales, what is different?",
    "what does nearest relative mean",
    "my client was on a 37/41 and is conditionally discharged, is he eligible?",
    "Can I get a personal health budget?",
    "the council says my brother has to pay rent for his supported flat",
    "i got charged for care i should have got free can i get the money back",
    "what is the weather like",
    "wat is aftercare",
    "I want to die",
    "I don't want to live any more",
]
WRONG = ["not_answered", "hard_to_understand", "wrong_or_out_of_date", "other"]
COMMENTS = ["It did not say what to do next.", "Too many long words.",
            "I wanted to know about my area.", "Helpful but I am still confused about rent."]


def last_answer(messages: list[dict]) -> dict | None:
    """The first message that is an answer with sources (what the widget asks about)."""
    for message in messages:
        custom = message.get("custom") or {}
        if custom.get("response") and custom.get("sources") and custom.get("kind") != "crisis":
            return message
    return None


def post(client: httpx.Client, path: str, body: dict) -> dict:
    """POST, waiting out a rate limit (without S117_TRUSTED_PROXIES every person here is the
    same address)."""
    for _ in range(60):
        response = client.post(path, json=body)
        if response.status_code != 429:
            response.raise_for_status()
            return response.json()
        time.sleep(2)
    raise RuntimeError(f"{path} stayed rate limited")


def conversation(client: httpx.Client, rng: random.Random) -> int:
    session = post(client, "/api/start", {})["session"]
    turns = 0
    for question in rng.sample(QUESTIONS, rng.choice([1, 1, 2, 3])):
        reply = post(client, "/api/chat", {"message": question, "session": session})
        turns += 1
        answer = last_answer(reply.get("messages", []))
        if answer is None:
            continue
        more = next((b for b in answer.get("buttons", []) if b["title"] == "More detail"), None)
        if more and rng.random() < 0.25:
            reply = post(client, "/api/chat", {"message": more["payload"], "session": session})
            turns += 1
            answer = last_answer(reply.get("messages", [])) or answer
        if rng.random() < 0.65:
            helpful = rng.random() < 0.7
            body = {"session": session, "response": answer["custom"]["response"],
                    "helpful": helpful}
            if not helpful:
                body["reasons"] = rng.sample(WRONG, rng.choice([1, 1, 2]))
                if rng.random() < 0.4:
                    body["comment"] = rng.choice(COMMENTS)
            post(client, "/api/feedback", body)
    return turns


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=117)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    turns = 0
    with httpx.Client(base_url=args.url, timeout=30) as client:
        for n in range(args.conversations):
            # Each person from their own address, as behind a proxy that says so.
            client.headers["X-Forwarded-For"] = f"198.51.100.{n % 250 + 1}"
            turns += conversation(client, rng)
    print(f"{args.conversations} conversations, {turns} turns in "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
