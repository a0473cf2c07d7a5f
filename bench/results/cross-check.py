"""Cross-checks `npm run eval` metrics against pytrec_eval (trec_eval) and ranx on the same run and qrels files.

Not part of the product: run it in a throw-away venv outside the repo, e.g.
    venv=$(mktemp -d) out=$(mktemp -d)
    python3 -m venv "$venv" && "$venv/bin/pip" install pytrec-eval-terrier ranx
    npm run eval -- --data ../shared/data/scifact --split dev --per-query --out "$out"
    "$venv/bin/python" bench/results/cross-check.py "$out/scifact_dev_lexical"
It compares the means and every query's figures (the JSON report needs --per-query) and prints the largest
difference per metric. MRR@10 with trec_eval means recip_rank on the run cut at 10 (trec_eval's has no cutoff).
"""
import json
import sys
from importlib.metadata import version

import pytrec_eval
from ranx import Qrels, Run, evaluate

OURS = {"ndcg": "nDCG@10", "recall1": "R@1", "recall10": "R@10", "recall100": "R@100", "mrr": "MRR@10"}
RANX = {"ndcg": "ndcg@10", "recall1": "recall@1", "recall10": "recall@10", "recall100": "recall@100", "mrr": "mrr@10"}


def read_run(path, depth=None):
    run = {}
    for line in open(path, encoding="utf-8"):
        qid, _, doc, rank, score, _ = line.split()
        if depth is None or int(rank) <= depth:
            run.setdefault(qid, {})[doc] = float(score)
    return run


def read_qrels(path):
    qrels = {}
    for line in open(path, encoding="utf-8"):
        qid, _, doc, rel = line.split()
        qrels.setdefault(qid, {})[doc] = int(rel)
    return qrels


def main(base):
    report = json.load(open(base + ".json", encoding="utf-8"))
    qrels = read_qrels(base + ".qrels")
    run = read_run(base + ".trec")

    trec = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "recall.1,10,100"}).evaluate(run)
    rr10 = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(read_run(base + ".trec", 10))
    zero = {"ndcg_cut_10": 0.0, "recall_1": 0.0, "recall_10": 0.0, "recall_100": 0.0}
    trec_q = {}
    for q in qrels:  # trec_eval leaves out queries without hits; they count 0
        m = trec.get(q, zero)
        trec_q[q] = {"ndcg": m["ndcg_cut_10"], "recall1": m["recall_1"], "recall10": m["recall_10"], "recall100": m["recall_100"], "mrr": rr10.get(q, {}).get("recip_rank", 0.0)}
    ranx_qrels = Qrels(qrels)
    ranx_q = evaluate(ranx_qrels, Run(run), list(RANX.values()), return_mean=False, make_comparable=True)
    ranx_by_q = {q: {k: float(ranx_q[v][i]) for k, v in RANX.items()} for i, q in enumerate(ranx_qrels.keys())}
    qids = sorted(qrels)

    print(f"{base}: {len(qids)} queries; pytrec_eval {version('pytrec-eval-terrier')}, ranx {version('ranx')}")
    print(f"{'metric':8} {'ours':>10} {'trec_eval':>10} {'ranx':>10} {'max |Δ| per query (trec, ranx)':>34}")
    worst = 0.0
    for key, label in OURS.items():
        ours = report["overall"][key]
        t = sum(trec_q[q][key] for q in qids) / len(qids)
        r = sum(ranx_by_q[q][key] for q in qids) / len(qids)
        per = report.get("perQuery")
        dt = max(abs(per[q][key] - trec_q[q][key]) for q in qids) if per else float("nan")
        dr = max(abs(per[q][key] - ranx_by_q[q][key]) for q in qids) if per else float("nan")
        worst = max(worst, abs(ours - t), abs(ours - r), dt if per else 0, dr if per else 0)
        print(f"{label:8} {ours:10.6f} {t:10.6f} {r:10.6f} {dt:16.2e} {dr:16.2e}")
    print(f"largest difference: {worst:.2e}")


if __name__ == "__main__":
    for base in sys.argv[1:]:
        main(base.removesuffix(".json"))
