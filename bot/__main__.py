"""Command line of the assistant's core: `python -m bot COMMAND`.

  build-spacy [--output DIR]      build the rule-based spaCy pipeline Rasa loads
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


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    spacy_cmd = commands.add_parser("build-spacy", help="build the rule-based spaCy pipeline")
    spacy_cmd.add_argument("--output", default="build/spacy_en")
    spacy_cmd.set_defaults(handler=_build_spacy)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
