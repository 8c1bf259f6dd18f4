#!/usr/bin/env bash
# Benchmarks rasd-dates against Python's dateparser on the dates tables (not part of CI):
#   bench/dates/run.sh [TABLE.tsv ...]
# Creates bench/dates/.venv, installs dateparser from PyPI, scores both readers on each table
# (rules in score_dateparser.py and crates/dates/examples/score_table.rs) and prints the
# accuracy of each and the speed ratio.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
tables=("$@")
[ ${#tables[@]} -gt 0 ] || tables=(tests/data/dates.tsv crates/dates/tests/data/extra_dates.tsv)

if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check dateparser
echo "dateparser $("$here/.venv/bin/python" -c 'import dateparser; print(dateparser.__version__)')"

cargo build --quiet --release -p rasd-dates --example score_table
target="${CARGO_TARGET_DIR:-$root/target}"
for table in "${tables[@]}"; do
  rasd_line="$("$target/release/examples/score_table" "$table" | head -1)"
  dp_line="$("$here/.venv/bin/python" "$here/score_dateparser.py" "$table")"
  echo "$rasd_line"
  echo "$dp_line"
  us() { sed -E 's/.*, ([0-9.]+) us per expression.*/\1/' <<<"$1"; }
  awk -v r="$(us "$rasd_line")" -v d="$(us "$dp_line")" 'BEGIN { printf "speed ratio (dateparser / rasd): %.0fx\n\n", d / r }'
done
