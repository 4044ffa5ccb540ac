"""The pretrained sentence encoder (sentence-transformers/all-MiniLM-L6-v2), without PyTorch.

`tokenizers` for the WordPiece tokenizer, then the 6-layer BERT forward pass in float32, then
the sentence-transformers modules of this model (modules.json): Transformer, mean Pooling over
the real tokens, Normalize. The pass runs in onnxruntime from model.onnx; NumpyForward below is
the same pass in plain numpy from the safetensors file (parsed by hand), the reference the graph
is checked against. The folder is made by `python -m bot build-encoder` (bot/encoder_setup.py,
hash-checked; bot/encoder_graph.py). Nothing downloads anything.

    enc = load_cached("build/encoder")
    enc.encode(["do I have to pay for my care home"])       # (1, 384), L2-normalised
    enc.encode_tokens(["care home"])   # [(hidden states (2, 384), [(0, 4), (5, 9)])]
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import mmap
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
from scipy.special import erf

MAX_SEQ_LENGTH = 256  # sentence_bert_config.json (tokenizer.json itself says 128, padded to 128)
LAYER_NORM_EPS = 1e-12
_MASKED = np.float32(-1e9)

GRAPH_FILE = "model.onnx"  # written beside the weights by bot/encoder_graph.py

_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


def read_safetensors(path: str | Path) -> dict[str, np.ndarray]:
    """Every tensor of a .safetensors file as a numpy array (copied, so the file is closed).

    Format: 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape,
    data_offsets: [begin, end]}} (offsets relative to the end of the header), then raw
    little-endian data.
    """
    path = Path(path)
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        size = len(mm)
        if size < 8:
            raise ValueError(f"{path} is not a safetensors file (too short)")
        n = int.from_bytes(mm[:8], "little")
        if n <= 0 or 8 + n > size:
            raise ValueError(f"{path} is not a safetensors file (header length {n})")
        header = json.loads(bytes(mm[8:8 + n]).decode("utf-8"))
        base = 8 + n
        tensors = {}
        for name, meta in header.items():
            if name == "__metadata__":
                continue
            dtype = _DTYPES.get(meta["dtype"])
            if dtype is None:
                raise ValueError(f"{path}: tensor {name} has unsupported dtype {meta['dtype']}")
            begin, end = meta["data_offsets"]
            shape = tuple(int(d) for d in meta["shape"])
            count = math.prod(shape)
            if not (0 <= begin <= end and base + end <= size
                    and end - begin == count * np.dtype(dtype).itemsize):
                raise ValueError(f"{path}: tensor {name} has bad offsets {begin}..{end}")
            arr = np.frombuffer(mm, dtype=dtype, count=count, offset=base + begin)
            tensors[name] = arr.reshape(shape).astype(dtype.replace("<", "="), copy=True)
            del arr  # no view may outlive the mmap
    return tensors


@dataclass(frozen=True)
class _Layer:
    w_qkv: np.ndarray  # (384, 1152): query, key, value side by side, already transposed
    b_qkv: np.ndarray
    w_out: np.ndarray  # (384, 384)
    b_out: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    w_in: np.ndarray   # (384, 1536)
    b_in: np.ndarray
    w_ffo: np.ndarray  # (1536, 384)
    b_ffo: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    x = x - mean
    var = np.mean(np.square(x), axis=-1, keepdims=True)
    x *= 1.0 / np.sqrt(var + np.float32(LAYER_NORM_EPS))
    x *= g
    x += b
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, 0.5 x (1 + erf(x / sqrt 2)), as BERT's "gelu"."""
    return x * (np.float32(0.5) * (np.float32(1.0) + erf(x * np.float32(1.0 / math.sqrt(2.0)))))


class NumpyForward:
    """The 6-layer BERT pass in plain numpy: the readable reference that model.onnx is checked
    against when it is built (bot/encoder_graph.py), and what the tests compare it with."""

    def __init__(self, tensors: dict[str, np.ndarray], config: dict):
        self.hidden = int(config.get("hidden_size", 384))
        self.heads = int(config.get("num_attention_heads", 12))
        self.head_dim = self.hidden // self.heads
        n_layers = int(config.get("num_hidden_layers", 6))
        t = tensors
        f32 = np.float32
        self.word = np.ascontiguousarray(t["embeddings.word_embeddings.weight"], dtype=f32)
        self.position = np.ascontiguousarray(t["embeddings.position_embeddings.weight"], dtype=f32)
        self.token_type = np.ascontiguousarray(t["embeddings.token_type_embeddings.weight"],
                                               dtype=f32)
        self.emb_g = t["embeddings.LayerNorm.weight"].astype(f32)
        self.emb_b = t["embeddings.LayerNorm.bias"].astype(f32)
        scale = f32(1.0 / math.sqrt(self.head_dim))
        self.layers = []
        for i in range(n_layers):
            p = f"encoder.layer.{i}."

            def w(name: str) -> np.ndarray:
                return np.ascontiguousarray(t[p + name + ".weight"].T, dtype=f32)

            def b(name: str) -> np.ndarray:
                return t[p + name + ".bias"].astype(f32)

            # The 1/sqrt(head_dim) of the attention scores is folded into the query weights.
            w_qkv = np.ascontiguousarray(np.concatenate(
                [w("attention.self.query") * scale, w("attention.self.key"),
                 w("attention.self.value")], axis=1))
            b_qkv = np.concatenate([b("attention.self.query") * scale, b("attention.self.key"),
                                    b("attention.self.value")])
            self.layers.append(_Layer(
                w_qkv=w_qkv, b_qkv=b_qkv,
                w_out=w("attention.output.dense"), b_out=b("attention.output.dense"),
                ln1_g=t[p + "attention.output.LayerNorm.weight"].astype(f32),
                ln1_b=t[p + "attention.output.LayerNorm.bias"].astype(f32),
                w_in=w("intermediate.dense"), b_in=b("intermediate.dense"),
                w_ffo=w("output.dense"), b_ffo=b("output.dense"),
                ln2_g=t[p + "output.LayerNorm.weight"].astype(f32),
                ln2_b=t[p + "output.LayerNorm.bias"].astype(f32),
            ))

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Final hidden states (B, L, H) of padded token ids (B, L) with mask (B, L) of 0/1."""
        bsz, length = ids.shape
        h, nh, hd = self.hidden, self.heads, self.head_dim
        x = self.word[ids]
        x += self.position[:length][None, :, :]
        x += self.token_type[0]
        x = _layer_norm(x.reshape(bsz * length, h), self.emb_g, self.emb_b)
        # Additive mask over the keys: padding gets no attention.
        bias = np.where(mask[:, None, None, :] > 0, np.float32(0.0), _MASKED).astype(np.float32)
        for layer in self.layers:
            qkv = x @ layer.w_qkv
            qkv += layer.b_qkv
            qkv = qkv.reshape(bsz, length, 3, nh, hd).transpose(2, 0, 3, 1, 4)  # (3, B, nh, L, hd)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = q @ k.transpose(0, 1, 3, 2)  # (B, nh, L, L), already scaled
            scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(bsz * length, h)
            attn = ctx @ layer.w_out
            attn += layer.b_out
            attn += x
            x = _layer_norm(attn, layer.ln1_g, layer.ln1_b)
            inter = x @ layer.w_in
            inter += layer.b_in
            inter = _gelu(inter)
            out = inter @ layer.w_ffo
            out += layer.b_ffo
            out += x
            x = _layer_norm(out, layer.ln2_g, layer.ln2_b)
        return x.reshape(bsz, length, h)


class OnnxForward:
    """The same pass from model.onnx (bot/encoder_graph.py) in onnxruntime, on one thread: the
    Rasa server answers several conversations at once on 2 cores shared with the other
    processes, where a second thread only waits for a core."""

    def __init__(self, path: Path):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only
        self.session = onnxruntime.InferenceSession(str(path), options,
                                                    providers=["CPUExecutionProvider"])

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.session.run(["hidden"], {"input_ids": ids, "attention_mask": mask})[0]


class SentenceEncoder:
    """all-MiniLM-L6-v2: 384-dim sentence vectors and token hidden states."""

    dim = 384

    def __init__(self, tokenizer, forward, hidden: int = 384, max_length: int = MAX_SEQ_LENGTH):
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.hidden = self.dim = hidden
        self._forward = forward  # (ids (B, L), mask (B, L)) -> hidden states (B, L, H)

    # --- loading -----------------------------------------------------------------------------

    @classmethod
    def load(cls, folder: str | Path, max_length: int = MAX_SEQ_LENGTH,
             reference: bool = False) -> "SentenceEncoder":
        """The encoder in folder, run by onnxruntime from model.onnx; with reference=True, by
        the numpy pass from model.safetensors instead."""
        from tokenizers import Tokenizer

        folder = Path(folder)
        weights = folder / ("model.safetensors" if reference else GRAPH_FILE)
        tok_file = folder / "tokenizer.json"
        for needed in (weights, tok_file):
            if not needed.is_file():
                raise FileNotFoundError(
                    f"{needed} is missing: build the encoder with `make encoder` "
                    f"(python -m bot build-encoder --output {folder})")
        config = read_config(folder)
        if max_length > int(config.get("max_position_embeddings", 512)):
            raise ValueError("max_length is longer than the position embeddings")
        tokenizer = Tokenizer.from_file(str(tok_file))
        tokenizer.no_padding()  # tokenizer.json pads everything to 128: we pad per batch
        tokenizer.enable_truncation(max_length=max_length)
        forward = (NumpyForward(read_safetensors(weights), config) if reference
                   else OnnxForward(weights))
        return cls(tokenizer, forward, int(config.get("hidden_size", 384)), max_length)

    # --- batches and pooling -------------------------------------------------------------------

    def _batches(self, texts: list[str], batch_size: int):
        """Tokenise once, sort by length, and yield (indices, encodings, hidden, mask)."""
        texts = ["" if t is None else str(t) for t in texts]
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=True)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), max(1, int(batch_size))):
            idx = order[start:start + max(1, int(batch_size))]
            length = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), length), dtype=np.int64)
            mask = np.zeros((len(idx), length), dtype=np.float32)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1.0
            yield idx, [encodings[i] for i in idx], self._forward(ids, mask), mask

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Sentence vectors (n, 384), float32, L2-normalised, in the order of texts."""
        if isinstance(texts, str):
            raise TypeError("encode takes a list of texts")
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        for idx, _, hidden, mask in self._batches(list(texts), batch_size):
            summed = np.einsum("bl,blh->bh", mask, hidden)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.maximum(norms, 1e-12)
        return out

    def encode_tokens(self, texts: list[str], batch_size: int = 32
                      ) -> list[tuple[np.ndarray, list[tuple[int, int]]]]:
        """Per text: hidden states (n_wordpieces, 384) of its real wordpieces ([CLS]/[SEP]
        left out) and their (start, end) character offsets in the text."""
        if isinstance(texts, str):
            raise TypeError("encode_tokens takes a list of texts")
        result: list = [None] * len(texts)
        for idx, encs, hidden, _ in self._batches(list(texts), batch_size):
            for row, (i, enc) in enumerate(zip(idx, encs)):
                keep = [j for j, special in enumerate(enc.special_tokens_mask) if not special]
                states = np.ascontiguousarray(hidden[row, keep], dtype=np.float32)
                result[i] = (states.reshape(len(keep), self.hidden),
                             [tuple(enc.offsets[j]) for j in keep])
        return result

    def encode_both(self, texts: list[str], batch_size: int = 32
                    ) -> tuple[np.ndarray, list[tuple[np.ndarray, list[tuple[int, int]]]]]:
        """encode() and encode_tokens() from one forward pass."""
        vectors = np.zeros((len(texts), self.hidden), dtype=np.float32)
        tokens: list = [None] * len(texts)
        for idx, encs, hidden, mask in self._batches(list(texts), batch_size):
            pooled = np.einsum("bl,blh->bh", mask, hidden) / np.maximum(
                mask.sum(axis=1, keepdims=True), 1e-9)
            vectors[idx] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True),
                                               1e-12)
            for row, (i, enc) in enumerate(zip(idx, encs)):
                keep = [j for j, special in enumerate(enc.special_tokens_mask) if not special]
                states = np.ascontiguousarray(hidden[row, keep], dtype=np.float32)
                tokens[i] = (states.reshape(len(keep), self.hidden),
                             [tuple(enc.offsets[j]) for j in keep])
        return vectors, tokens


def read_config(folder: str | Path) -> dict:
    """The model's config.json (sizes of the layers), or {} for the defaults."""
    path = Path(folder) / "config.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def graph_digest(folder: str | Path) -> Optional[str]:
    """SHA-256 of the folder's graph and tokenizer files together, or None if either is
    missing: what the features depend on, for Rasa's training fingerprint."""
    digest = hashlib.sha256()
    for name in (GRAPH_FILE, "tokenizer.json"):
        path = Path(folder) / name
        if not path.is_file():
            return None
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _load_resolved(folder: str) -> SentenceEncoder:
    return SentenceEncoder.load(folder)


def load_cached(folder: str | Path) -> SentenceEncoder:
    """One loaded encoder per folder per process (the featurizer and the classifier share it)."""
    return _load_resolved(str(Path(folder).resolve()))
