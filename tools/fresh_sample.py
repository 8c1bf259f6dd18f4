#!/usr/bin/env python3
"""Draw a fresh, seeded random sample of articles for blind annotation (issue 11).

    python3 tools/fresh_sample.py ROUND SEED N_AR N_EN OUTDIR [--exclude tests/data/fresh]

Arabic articles come from ../shared/data/corpus/saudinewsnet_conflict_subset.jsonl (which may
not ship: only its line numbers are recorded), English ones from
../shared/data/eval/fakes-dev.csv (FA-KES, CC BY 4.0). Articles drawn in an earlier round
(listed in the manifests under --exclude) are never drawn again. Writes OUTDIR/NNN.txt (title
line, blank line, body: what the annotator reads and what `rasd eval` feeds rasd) and
OUTDIR/manifest.tsv (id, language, origin, locator, published).
"""
import csv, json, os, random, re, sys
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared", "data")
CORPUS = os.path.join(SHARED, "corpus", "saudinewsnet_conflict_subset.jsonl")
FAKES = os.path.join(SHARED, "eval", "fakes-dev.csv")


def drawn_before(root):
    seen = set()
    for dirpath, _, files in os.walk(root):
        if "manifest.tsv" in files:
            with open(os.path.join(dirpath, "manifest.tsv"), encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    seen.add((row["origin"], row["locator"]))
    return seen


def fakes_published(row):
    """The article's own dateline when it has one (Wed 05 Apr 2017, Published April 2 2017,
    27 Jul 2016, August 13 2016, 21-08-2014, Oct 042017), else FA-KES's `date` (the event's day)."""
    content = row["article_content"]
    # Ahram repeats the headline and the lead before its dateline: "… AFP Tuesday 6 Aug 2013 A bomb …".
    m = re.search(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? (\d{1,2} [A-Z][a-z]+ \d{4})", content[:400])
    if m:
        for fmt in ["%d %b %Y", "%d %B %Y"]:
            try:
                return datetime.strptime(m.group(1), fmt).date().isoformat()
            except ValueError:
                pass
    head = content[:80]
    patterns = [
        (r"(\d{1,2} [A-Z][a-z]+ \d{4})", ["%d %b %Y", "%d %B %Y"]),
        (r"([A-Z][a-z]+ \d{1,2} \d{4})", ["%b %d %Y", "%B %d %Y"]),
        # Jordan Times glues day and year: "Last updated at Oct 042017".
        (r"([A-Z][a-z]{2} \d{2})(?=\d{4})(\d{4})", None),
        (r"(\d{2}-\d{2}-\d{4})", ["%d-%m-%Y"]),
    ]
    for pattern, formats in patterns:
        m = re.search(pattern, head)
        # "On August 21 2013 the regime fired…" is the event's date, not a dateline.
        if not m or re.search(r"(?:^|\W)on\s+$", head[: m.start()], re.I):
            continue
        if formats is None:
            return datetime.strptime(f"{m.group(1)} {m.group(2)}", "%b %d %Y").date().isoformat()
        for fmt in formats:
            try:
                return datetime.strptime(m.group(1), fmt).date().isoformat()
            except ValueError:
                pass
    return datetime.strptime(row["date"], "%m/%d/%y").date().isoformat()


def main():
    args = sys.argv[1:]
    exclude = None
    if "--exclude" in args:
        i = args.index("--exclude")
        exclude = args[i + 1]
        del args[i : i + 2]
    rnd, seed, n_ar, n_en, out = args[0], int(args[1]), int(args[2]), int(args[3]), args[4]
    seen = drawn_before(exclude) if exclude else set()
    rng = random.Random(seed)
    with open(CORPUS, encoding="utf-8") as f:
        lines = [json.loads(l) for l in f]
    ar = [i for i, a in enumerate(lines, 1)
          if len(a.get("content") or "") >= 200 and ("corpus", str(i)) not in seen]
    with open(FAKES, encoding="utf-8") as f:
        fakes = list(csv.DictReader(f))
    en = [r for r in fakes if ("fakes", r["unit_id"]) not in seen]
    picks_ar = sorted(rng.sample(ar, n_ar))
    picks_en = sorted(rng.sample(en, n_en), key=lambda r: r["unit_id"])
    os.makedirs(out, exist_ok=True)
    rows = []
    n = 0
    for line in picks_ar:
        n += 1
        a = lines[line - 1]
        ident = f"{rnd}-{n:03d}"
        with open(os.path.join(out, ident + ".txt"), "w", encoding="utf-8") as f:
            f.write(a["title"].strip() + "\n\n" + a["content"].strip() + "\n")
        rows.append((ident, "ar", "corpus", str(line), a["date_extracted"][:10], a["source"]))
    for r in picks_en:
        n += 1
        ident = f"{rnd}-{n:03d}"
        with open(os.path.join(out, ident + ".txt"), "w", encoding="utf-8") as f:
            f.write(r["article_title"].strip() + "\n\n" + r["article_content"].strip() + "\n")
        rows.append((ident, "en", "fakes", r["unit_id"], fakes_published(r), r["source"]))
    with open(os.path.join(out, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("id\tlanguage\torigin\tlocator\tpublished\toutlet\n")
        for row in rows:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
