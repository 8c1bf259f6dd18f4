#!/usr/bin/env python3
"""Inter-annotator agreement: score one blind gold reading of a round against another.

Usage:
  python3 tools/agreement.py GOLD_A GOLD_B [--json]

GOLD_A and GOLD_B are directories of ID.gold.json files (directly or under items/) written by
two annotators who read the same articles blind. B's events are scored as if they were rasd's
predictions against A, with `rasd eval`'s rules (crates/cli/src/eval.rs): one-to-one greedy
matching on event type, overlapping dates and distance within A's tolerance; B events that
match one of A's optional events are set aside. The figures are the ceiling that a strict,
event-level F1 can reach on news when two careful readers disagree; the script prints them in
both directions (A as gold, then B as gold). Standard library only.
"""
import argparse
import json
import math
import os
import sys
from collections import defaultdict


def haversine(lat1, lon1, lat2, lon2):
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def read_golds(path):
    items = os.path.join(path, "items")
    if os.path.isdir(items):
        path = items
    golds = {}
    for name in sorted(os.listdir(path)):
        if name.endswith(".gold.json"):
            with open(os.path.join(path, name), encoding="utf-8") as f:
                try:
                    gold = json.load(f)
                except json.JSONDecodeError as e:
                    sys.exit(f"{os.path.join(path, name)}: not JSON: {e}")
            golds[name[: -len(".gold.json")]] = gold
    return golds


def compatible(gold, pred):
    """(sub-type mismatch, distance) when pred may match gold, else None."""
    if gold.get("event_type") != pred.get("event_type"):
        return None
    if pred["date_start"] > gold["date_end"] or pred["date_end"] < gold["date_start"]:
        return None
    g, p = gold["location"], pred["location"]
    if None in (g.get("lat"), g.get("lon"), p.get("lat"), p.get("lon")):
        return None
    distance = haversine(g["lat"], g["lon"], p["lat"], p["lon"])
    if distance > float(g.get("tolerance_km") or 0):
        return None
    return (int(gold.get("sub_event_type") != pred.get("sub_event_type")), distance)


def greedy_match(golds, preds):
    pairs = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            k = compatible(g, p)
            if k is not None:
                pairs.append((k, i, j))
    pairs.sort()
    used_g, used_p, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


def prf(t):
    p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
    r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), **t}


def agreement(gold_set, pred_set):
    ids = sorted(set(gold_set) & set(pred_set))
    tallies = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    same = defaultdict(lambda: [0, 0])
    for id_ in ids:
        gold, pred = gold_set[id_], pred_set[id_]
        lang = gold.get("language", "?")
        events, preds = gold.get("events", []), pred.get("events", [])
        matched = greedy_match(events, preds)
        rest = [p for j, p in enumerate(preds) if j not in {m[1] for m in matched}]
        optional = greedy_match(gold.get("optional_events", []), rest)
        fp = len(rest) - len(optional)
        for key in ("all", lang):
            tallies[key]["tp"] += len(matched)
            tallies[key]["fp"] += fp
            tallies[key]["fn"] += len(events) - len(matched)
        for i, j in matched:
            g, p = events[i], preds[j]
            for field, ok in (
                ("sub_event_type", g.get("sub_event_type") == p.get("sub_event_type")),
                ("admin1", g["location"].get("admin1") == p["location"].get("admin1")),
                ("fatalities", g.get("fatalities") == p.get("fatalities")),
                ("status", g.get("status") == p.get("status")),
            ):
                same[field][0] += int(ok)
                same[field][1] += 1
        same["article_kind"][0] += int(gold.get("article_kind") == pred.get("article_kind"))
        same["article_kind"][1] += 1
        quiet_a, quiet_b = not events, not preds
        same["has_event"][0] += int(quiet_a == quiet_b)
        same["has_event"][1] += 1
    return {
        "articles": len(ids),
        "events": {k: prf(v) for k, v in sorted(tallies.items())},
        "same": {k: round(ok / n, 3) if n else None for k, (ok, n) in sorted(same.items())},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("gold_a")
    ap.add_argument("gold_b")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    a, b = read_golds(args.gold_a), read_golds(args.gold_b)
    missing = sorted(set(a) ^ set(b))
    if missing:
        print(f"warning: {len(missing)} items in only one reading: {', '.join(missing[:10])}", file=sys.stderr)
    report = {"a_as_gold": agreement(a, b), "b_as_gold": agreement(b, a)}
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for name, r in report.items():
        print(f"{name} ({r['articles']} articles)")
        for key, t in r["events"].items():
            print(f"  events {key:4} P={t['precision']:.3f} R={t['recall']:.3f} F1={t['f1']:.3f}"
                  f"  (tp={t['tp']} fp={t['fp']} fn={t['fn']})")
        print("  same on matched events / articles: "
              + " · ".join(f"{k} {v:.3f}" for k, v in r["same"].items() if v is not None))


if __name__ == "__main__":
    main()
