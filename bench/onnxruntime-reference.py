"""Raw onnxruntime side of bench/embedding-vs-onnxruntime.ts. Runs ONLY in a throw-away venv outside the
repository (pip install onnxruntime tokenizers numpy); the bench makes one under the system temp folder.

    python onnxruntime-reference.py IN.json

IN: {"texts": [...], "tokenizer": "<model folder>/tokenizer.json", "prefix": "passage: ", "threads": 2,
     "max_length": 512, "onnx": ["<file>", ...]}
Then a small line protocol, so that the bench can alternate with the product batch by batch (load from other
processes then hits both sides alike):
    stdout: {"ready": true, "onnxruntime": v, "tokenizers": v, "lengths": [token count per text]}
    stdin:  {"model": k, "indices": [...], "vectors": bool}  → stdout: {"seconds": s, "cpu_seconds": s, "vectors": [...]?}
Each request embeds texts[indices] as ONE batch, the way the product does one batch: Hugging Face `tokenizers`
on the model folder's own tokenizer.json (truncated at max_length), padded to the batch's longest text, the session
of onnx[k] (`threads` intra-op threads), mean pooling over the mask, L2 normalisation. Timed: all of it.
"""
import json
import sys
import time

import numpy as np
import onnxruntime as ort
import tokenizers
from tokenizers import Tokenizer


def main(inp):
    cfg = json.load(open(inp, encoding="utf-8"))
    tok = Tokenizer.from_file(cfg["tokenizer"])
    tok.enable_truncation(cfg.get("max_length", 512))
    pad_id = tok.token_to_id("<pad>")
    pad_id = 1 if pad_id is None else pad_id
    texts = [cfg.get("prefix", "passage: ") + t for t in cfg["texts"]]
    sessions = []
    for path in cfg["onnx"]:
        so = ort.SessionOptions()
        so.intra_op_num_threads = cfg.get("threads", 2)
        s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        sessions.append((s, [i.name for i in s.get_inputs()]))
    lengths = [len(e.ids) for e in tok.encode_batch(texts)]
    print(json.dumps({"ready": True, "onnxruntime": ort.__version__, "tokenizers": tokenizers.__version__, "lengths": lengths}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        session, names = sessions[req["model"]]
        t0, c0 = time.perf_counter(), time.process_time()
        encodings = [e.ids for e in tok.encode_batch([texts[i] for i in req["indices"]])]
        width = max(len(e) for e in encodings)
        ids = np.full((len(encodings), width), pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e)] = e
            mask[row, : len(e)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(["last_hidden_state"], feeds)[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / m.sum(axis=1)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        reply = {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0}
        if req.get("vectors"):
            reply["vectors"] = pooled.tolist()
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
