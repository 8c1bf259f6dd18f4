#!/usr/bin/env python3
"""Train the likelihood model of coded events (issue 11) and write data/events/likelihood.tsv.

    python3 tools/train_likelihood.py [--rasd target/release/rasd] [--rounds r1,r2,...] [--event-floor F] [--check]

Needs scikit-learn (`pip install scikit-learn`); rasd itself only reads the weights it writes.

1. Runs `rasd eval` on each fresh round (tests/data/fresh/rN, blindly annotated) with the model
   switched off (a copy of data/ whose likelihood.tsv has no weights), writing the features of
   every coded event and its verdict: `real` (it matched a gold event), `spurious`, or
   `optional` (left out of training); the dev set (tests/data/devset) counts as one more round.
2. Fits an L2-regularised logistic regression (real = 1) on features seen at least MIN_COUNT
   times, choosing the regularisation by leave-one-round-out (each round scored by a model
   trained on the others; the best area under the ROC curve), and prints the held-out
   calibration (the share of real events per probability bin: the record's confidence) and
   what an article gate would do: with --threshold T, an article whose most likely event is
   under T codes no event (a dropped real event becomes a missed one); and an event floor: with
   --event-floor F, an event under F is dropped unless it is its article's most likely. Those
   pooled figures are the honest estimate.
3. Refits on every round and writes the weights.

--check only prints the leave-one-round-out estimate for the rounds given. Deterministic.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, "..", "shared", "data", "corpus", "saudinewsnet_conflict_subset.jsonl")
MODEL = os.path.join("events", "likelihood.tsv")
MIN_COUNT = 5
C_VALUES = [0.03, 0.1, 0.3, 1.0]
HEADER = """# The likelihood model of coded events (rasd-events, likelihood.rs): a logistic regression over
# the features of coded/features.rs, trained by tools/train_likelihood.py on the blindly annotated
# fresh rounds and the dev set ({rounds}).
# (bias) is the intercept; an event whose probability
# 1/(1+e^-(bias + sum of the weights of its features)) is the record's confidence; an article whose
# most likely event is under (threshold) codes no event; an event under (event floor) is dropped
# unless it is its article's most likely.
# Leave-one-round-out estimate when it was trained: {estimate}
# Generated: edit the training data or the features, not this file.
"""


def rounds_in(fresh):
    names = [d for d in os.listdir(fresh) if d.startswith("r") and d[1:].isdigit()]
    return sorted(names, key=lambda d: int(d[1:]))


def round_dir(r):
    """A round's gold directory: tests/data/fresh/rN, or a path from the repository (the dev set)."""
    return os.path.join(ROOT, r) if os.sep in r else os.path.join(ROOT, "tests", "data", "fresh", r)


def dump(rasd, rounds):
    """Per round: (events [(features, label, item)], gold event count)."""
    data = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = os.path.join(tmp, "data")
        shutil.copytree(os.path.join(ROOT, "data"), data_dir)
        with open(os.path.join(data_dir, MODEL), "w", encoding="utf-8") as f:
            f.write("feature\tweight\n(bias)\t0\n(threshold)\t0\n(event floor)\t0\n")
        for r in rounds:
            out = os.path.join(tmp, "round.jsonl")
            cmd = [rasd, "--data", data_dir, "eval", round_dir(r),
                   "--corpus", CORPUS, "--json", "--features", out]
            report = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            gold = report["events"]["tp"] + report["events"]["fn"]
            events = []
            with open(out, encoding="utf-8") as f:
                for line in f:
                    row = json.loads(line)
                    if row["verdict"] != "optional":
                        events.append((row["features"], 1 if row["verdict"] == "real" else 0, r + "/" + row["item"]))
            data[r] = (events, gold)
    return data


def fit(events, c):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = {}
    for feats, _, _ in events:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    keep = {f for f, n in counts.items() if n >= MIN_COUNT}
    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in feats if f in keep} for feats, _, _ in events])
    y = [label for _, label, _ in events]
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=2000).fit(x, y)
    weights = dict(zip(vec.get_feature_names_out(), model.coef_[0]))
    return float(model.intercept_[0]), weights


def probability(bias, weights, feats):
    import math

    z = bias + sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-z))


def f1(scored, gold_total, threshold, floor=0.0):
    """F1 of the events of the articles whose most likely event reaches `threshold`, leaving
    out each event under `floor` that is not its article's most likely."""
    best = {}
    for p, _, item in scored:
        best[item] = max(best.get(item, 0.0), p)
    kept = [y for p, y, item in scored if best[item] >= threshold and (p >= floor or p >= best[item])]
    tp, fp = sum(kept), len(kept) - sum(kept)
    return 2 * tp / (gold_total + tp + fp) if gold_total + tp + fp else 0.0, tp, fp


def auc(scored):
    """The chance that a real event scores above a spurious one."""
    ranked = sorted(scored, key=lambda s: s[0])
    pos = sum(y for _, y, _ in ranked)
    neg = len(ranked) - pos
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        rank_sum += sum(y for _, y, _ in ranked[i:j]) * (i + j + 1) / 2
        i = j
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg) if pos and neg else 0.5


def held_out(data, c):
    """Every event scored by a model trained on the other rounds."""
    scored = []
    for r in data:
        train = [e for q in data if q != r for e in data[q][0]]
        bias, weights = fit(train, c)
        scored += [(probability(bias, weights, feats), y, item) for feats, y, item in data[r][0]]
    return scored


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rasd", default=os.path.join(ROOT, "target", "release", "rasd"))
    ap.add_argument("--rounds", help="comma-separated rounds (default: every round under tests/data/fresh)")
    ap.add_argument("--also", action="append",
                    help="another gold directory to train on, as one more round (default: tests/data/devset)")
    ap.add_argument("--check", action="store_true", help="print the estimate, write nothing")
    ap.add_argument("--event-floor", type=float, default=0.0,
                    help="an event under it is dropped unless it is its article's most likely (default 0: none)")
    ap.add_argument("--threshold", type=float, default=0.0,
                    help="article gate: an article whose most likely event is under it codes no event (default 0: "
                         "none; the gate trades recall on event reports for precision on general news)")
    args = ap.parse_args()
    fresh = os.path.join(ROOT, "tests", "data", "fresh")
    also = args.also if args.also is not None else [os.path.join("tests", "data", "devset")]
    rounds = (args.rounds.split(",") if args.rounds else rounds_in(fresh)) + also
    data = dump(args.rasd, rounds)
    gold_total = sum(g for _, g in data.values())
    events = [e for evs, _ in data.values() for e in evs]
    base = f1([(1.0, y, item) for _, y, item in events], gold_total, 0.0)
    print(f"{len(rounds)} rounds, {len(events)} events ({sum(y for _, y, _ in events)} real), {gold_total} gold")
    print(f"without the model: F1 {base[0]:.3f} (tp {base[1]}, fp {base[2]})")
    # The regularisation that ranks held-out events best (area under the ROC curve).
    c, scored = max(((c, held_out(data, c)) for c in C_VALUES), key=lambda cs: auc(cs[1]))
    print(f"C {c}: held-out AUC {auc(scored):.3f}")
    print("calibration (held-out): probability bin, events, share real")
    for lo in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]:
        inside = [y for p, y, _ in scored if lo <= p < lo + 0.1]
        if inside:
            print(f"  {lo:.1f}-{lo + 0.1:.1f}  {len(inside):4d}  {sum(inside) / len(inside):.2f}")
    print("article gate (held-out): threshold, F1, tp, fp")
    for t in [0.0, 0.1, 0.15, 0.2, 0.25, 0.3]:
        score, tp, fp = f1(scored, gold_total, t)
        print(f"  {t:.2f}  {score:.3f}  {tp}  {fp}")
    print("event floor (held-out): floor, F1, tp, fp")
    for t in [0.05, 0.08, 0.1, 0.12, 0.15, 0.2]:
        score, tp, fp = f1(scored, gold_total, args.threshold, t)
        print(f"  {t:.2f}  {score:.3f}  {tp}  {fp}")
    gated = f1(scored, gold_total, args.threshold, args.event_floor)
    estimate = (f"AUC {auc(scored):.3f} (C {c}); threshold {args.threshold:.2f}, event floor {args.event_floor:.2f}: "
                f"F1 {base[0]:.3f} -> {gated[0]:.3f} (tp {base[1]} -> {gated[1]}, fp {base[2]} -> {gated[2]})")
    print("leave-one-round-out:", estimate)
    if args.check:
        return
    bias, weights = fit(events, c)
    path = os.path.join(ROOT, "data", MODEL)
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER.format(rounds=", ".join(rounds), estimate=estimate))
        f.write("feature\tweight\n")
        f.write(f"(bias)\t{bias:.3f}\n(threshold)\t{args.threshold:.2f}\n(event floor)\t{args.event_floor:.2f}\n")
        for name in sorted(weights):
            if abs(weights[name]) >= 0.0005:
                f.write(f"{name}\t{weights[name]:.3f}\n")
    print("wrote", path)


if __name__ == "__main__":
    sys.exit(main())
