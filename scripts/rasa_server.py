"""`rasa run ...`, started faster: `python -m scripts.rasa_server run --model ...` (issue 15).

1. skops.io is imported before anything imports TensorFlow. On import it names every public
   scikit-learn type by searching all of sys.modules for it; after TensorFlow and Rasa are
   loaded that search took 3-6 s of the start-up, before them under 1 s.
2. DIET's weights are built by one eager step instead of a traced one
   (rasa_extensions/model_loading.py).
Then it is Rasa's own command line, with the same arguments.
"""

from __future__ import annotations

import skops.io  # noqa: F401  (first: see 1)


def main() -> None:
    from rasa_extensions import model_loading

    model_loading.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
