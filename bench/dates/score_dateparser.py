"""Scores Python's dateparser on rasd's dates tables and times it (see bench/dates/run.sh).

A row is right when:
  * non-date row (no expected window): dateparser finds nothing;
  * date row: dateparser returns a datetime whose day lies inside the expected window
    [expected_start, expected_end] (±1 day on Hijri rows, as in the rasd test).
dateparser returns a single datetime and no precision, so this rule is more lenient to it than
rasd's own (rasd must match start, end and precision exactly).

Each expression is read first with dateparser.parse; when that finds nothing, with
dateparser.search.search_dates (first hit), both with languages ['ar', 'en'] and
settings {'RELATIVE_BASE': reference date at noon, 'PREFER_DATES_FROM': 'past'}.
"""

import datetime as dt
import sys
import time
import warnings

import dateparser
from dateparser.search import search_dates

warnings.filterwarnings("ignore")
LANGS = ["ar", "en"]


def read(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t") + [""] * 5
            expected = None
            if cols[2].strip():
                expected = (dt.date.fromisoformat(cols[2]), dt.date.fromisoformat(cols[3]))
            rows.append((cols[0], dt.date.fromisoformat(cols[1]), expected))
    return rows


def parse(expr, published):
    base = dt.datetime.combine(published, dt.time(12))
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    try:
        got = dateparser.parse(expr, languages=LANGS, settings=settings)
        if got is None:
            hits = search_dates(expr, languages=LANGS, settings=settings)
            got = hits[0][1] if hits else None
    except Exception:  # dateparser raises on some inputs; count as nothing found
        got = None
    return got.date() if got else None


def right(expr, got, expected):
    if expected is None:
        return got is None
    if got is None:
        return False
    slack = dt.timedelta(days=1 if "ه" in expr else 0)
    return expected[0] - slack <= got <= expected[1] + slack


def main():
    for path in sys.argv[1:]:
        rows = read(path)
        ok = sum(right(e, parse(e, p), x) for e, p, x in rows)
        runs = 3
        t = time.perf_counter()
        for _ in range(runs):
            for e, p, _ in rows:
                parse(e, p)
        micros = (time.perf_counter() - t) * 1e6 / (runs * len(rows))
        pct = 100.0 * ok / len(rows)
        print(f"dateparser {path}: {ok}/{len(rows)} right ({pct:.1f}%), {micros:.2f} us per expression")


if __name__ == "__main__":
    main()
