"""The sentence encoder's forward pass written as an ONNX graph, for onnxruntime to run.

`python -m bot build-encoder` writes build/encoder/model.onnx with this, from the hash-checked
model.safetensors, and refuses the graph unless it gives the same hidden states as the plain
numpy pass in bot/encoder.py (NumpyForward, the readable reference) on a few test sentences.

Why: the same arithmetic, run by onnxruntime's kernels, takes 2.0 ms for a short question on
one thread against 5.2 ms in numpy (2026-12-07), and the encoder was the largest single part of
a turn's time in the Rasa server (issue 15). The numbers are the same to 1e-5, so the trained
model does not change. Nothing here is downloaded: the graph is made from the local weights.
"""

from __future__ import annotations

import math

import numpy as np

OPSET = 17  # the first with LayerNormalization
CHECK_SENTENCES = ("what is section 117",
                   "the care home wants her to pay out of her pension",
                   "My son was on a section 3. The council has sent him a bill. Is that right?")
CHECK_TOLERANCE = 1e-4  # largest difference allowed in any hidden state, against numpy


class _Graph:
    """Nodes and constants, each given a unique name (onnxruntime's optimisers need them)."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.constants: list = []

    def const(self, name: str, value) -> str:
        from onnx import numpy_helper

        self.constants.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], outputs: int = 1, **attributes):
        from onnx import helper

        n = len(self.nodes)
        names = [f"{kind.lower()}{n}_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(kind, inputs, names, name=f"{kind}{n}", **attributes))
        return names[0] if outputs == 1 else names


def build_model(tensors: dict[str, np.ndarray], config: dict):
    """An onnx.ModelProto: input_ids (B, L) int64 and attention_mask (B, L) float32 of 0/1 in,
    the final hidden states (B, L, H) out; the same steps as bot.encoder.NumpyForward."""
    from onnx import TensorProto, helper

    f32, i64 = np.float32, np.int64
    hidden = int(config.get("hidden_size", 384))
    heads = int(config.get("num_attention_heads", 12))
    head_dim = hidden // heads
    n_layers = int(config.get("num_hidden_layers", 6))
    g = _Graph()

    def weight(name: str) -> np.ndarray:  # stored (out, in); x @ W wants (in, out)
        return np.ascontiguousarray(tensors[name + ".weight"].T, dtype=f32)

    def vector(name: str) -> np.ndarray:
        return np.asarray(tensors[name], dtype=f32)

    def layer_norm(x: str, prefix: str, name: str) -> str:
        return g.op("LayerNormalization", [x, g.const(name + "_g", vector(prefix + ".weight")),
                                           g.const(name + "_b", vector(prefix + ".bias"))],
                    axis=-1, epsilon=1e-12)

    # Embeddings: word + position (0..L-1) + token type 0, then LayerNorm.
    length = g.op("Gather", [g.op("Shape", ["input_ids"]), g.const("one", np.array(1, i64))],
                  axis=0)
    positions = g.op("Range", [g.const("zero", np.array(0, i64)), length,
                               g.const("step", np.array(1, i64))])
    x = g.op("Gather", [g.const("word", vector("embeddings.word_embeddings.weight")),
                        "input_ids"])
    x = g.op("Add", [x, g.op("Gather", [g.const("position", vector(
        "embeddings.position_embeddings.weight")), positions])])
    x = g.op("Add", [x, g.const("token_type", vector(
        "embeddings.token_type_embeddings.weight")[0])])
    x = layer_norm(x, "embeddings.LayerNorm", "embeddings")
    # Additive mask over the keys, (B, 1, 1, L): padding gets no attention.
    masked = g.op("Mul", [g.op("Sub", [g.const("one_f", np.array(1.0, f32)), "attention_mask"]),
                          g.const("masked", np.array(-1e9, f32))])
    bias = g.op("Unsqueeze", [masked, g.const("axes_1_2", np.array([1, 2], i64))])
    scale = f32(1.0 / math.sqrt(head_dim))
    for i in range(n_layers):
        p = f"encoder.layer.{i}."
        # Query, key and value in one product; 1/sqrt(head_dim) folded into the query weights.
        w_qkv = np.concatenate([weight(p + "attention.self.query") * scale,
                                weight(p + "attention.self.key"),
                                weight(p + "attention.self.value")], axis=1)
        b_qkv = np.concatenate([vector(p + "attention.self.query.bias") * scale,
                                vector(p + "attention.self.key.bias"),
                                vector(p + "attention.self.value.bias")])
        qkv = g.op("Add", [g.op("MatMul", [x, g.const(f"w_qkv{i}", w_qkv)]),
                           g.const(f"b_qkv{i}", b_qkv)])
        qkv = g.op("Reshape", [qkv, g.const(f"qkv_shape{i}",
                                            np.array([0, 0, 3, heads, head_dim], i64))])
        qkv = g.op("Transpose", [qkv], perm=[2, 0, 3, 1, 4])  # (3, B, heads, L, head_dim)
        parts = g.op("Split", [qkv, g.const(f"thirds{i}", np.array([1, 1, 1], i64))],
                     outputs=3, axis=0)
        first = g.const(f"axis0_{i}", np.array([0], i64))
        q, k, v = (g.op("Squeeze", [part, first]) for part in parts)
        scores = g.op("Add", [g.op("MatMul", [q, g.op("Transpose", [k], perm=[0, 1, 3, 2])]),
                              bias])
        attention = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
        context = g.op("Reshape", [g.op("Transpose", [attention], perm=[0, 2, 1, 3]),
                                   g.const(f"context_shape{i}", np.array([0, 0, hidden], i64))])
        out = g.op("Add", [g.op("MatMul", [context, g.const(
            f"w_out{i}", weight(p + "attention.output.dense"))]),
            g.const(f"b_out{i}", vector(p + "attention.output.dense.bias"))])
        x = layer_norm(g.op("Add", [out, x]), p + "attention.output.LayerNorm", f"ln1_{i}")
        inner = g.op("Add", [g.op("MatMul", [x, g.const(
            f"w_in{i}", weight(p + "intermediate.dense"))]),
            g.const(f"b_in{i}", vector(p + "intermediate.dense.bias"))])
        # Exact GELU, 0.5 x (1 + erf(x / sqrt 2)) (onnxruntime fuses it into one kernel).
        erf = g.op("Erf", [g.op("Mul", [inner, g.const(f"root_half{i}",
                                                       np.array(1 / math.sqrt(2), f32))])])
        gelu = g.op("Mul", [g.op("Mul", [inner, g.const(f"half{i}", np.array(0.5, f32))]),
                            g.op("Add", [erf, g.const(f"one{i}", np.array(1.0, f32))])])
        out = g.op("Add", [g.op("MatMul", [gelu, g.const(f"w_ffo{i}",
                                                          weight(p + "output.dense"))]),
                           g.const(f"b_ffo{i}", vector(p + "output.dense.bias"))])
        x = layer_norm(g.op("Add", [out, x]), p + "output.LayerNorm", f"ln2_{i}")
    g.nodes.append(helper.make_node("Identity", [x], ["hidden"], name="output"))
    graph = helper.make_graph(
        g.nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "length"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT,
                                       ["batch", "length", hidden])],
        g.constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="s117 bot/encoder_graph.py")
    model.ir_version = 8  # what onnxruntime 1.20 reads for opset 17
    return model


def largest_difference(folder) -> float:
    """The largest difference between the graph in folder and the numpy pass, on
    CHECK_SENTENCES one at a time and together (padded)."""
    from bot.encoder import SentenceEncoder

    onnx_encoder = SentenceEncoder.load(folder)
    reference = SentenceEncoder.load(folder, reference=True)
    worst = 0.0
    for texts in [[t] for t in CHECK_SENTENCES] + [list(CHECK_SENTENCES)]:
        a, _ = onnx_encoder.encode_both(texts)
        b, _ = reference.encode_both(texts)
        worst = max(worst, float(np.abs(a - b).max()))
        for (x, _), (y, _) in zip(onnx_encoder.encode_tokens(texts),
                                  reference.encode_tokens(texts)):
            worst = max(worst, float(np.abs(x - y).max()))
    return worst
