#!/usr/bin/env node
// Builds crates/server/web/boundaries/neighbours.geojson, the grey countries around Syria on the
// web map, from Natural Earth's 1:50m Admin 0 countries as packaged by npm's world-atlas@2.0.2
// (TopoJSON): Syria's neighbours and the rest of the Middle East (Syria itself is drawn from
// geoBoundaries), clipped to the region's box, coordinates rounded to 3 decimals (about 100 m).
// Reproducible, no other dependency (the TopoJSON is decoded here):
//
//   npm install --prefix /tmp/wa --no-save world-atlas@2.0.2
//   node tools/neighbours.mjs /tmp/wa/node_modules/world-atlas/countries-50m.json
//
// Writes the file (or the path given as a second argument) and prints what it kept.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The countries, by world-atlas's names: the neighbours, then the Middle East and the Caucasus. */
const COUNTRIES = new Set([
  'Turkey', 'Iraq', 'Jordan', 'Israel', 'Palestine', 'Lebanon', 'Cyprus', 'N. Cyprus',
  'Egypt', 'Saudi Arabia', 'Kuwait', 'Bahrain', 'Qatar', 'United Arab Emirates', 'Oman', 'Yemen', 'Iran',
  'Georgia', 'Armenia', 'Azerbaijan',
]);
/** The region's box: west, south, east, north (degrees). */
const REGION = [24, 12, 60, 43];
const DECIMALS = 3;

const [input, output = fileURLToPath(new URL('../crates/server/web/boundaries/neighbours.geojson', import.meta.url))] =
  process.argv.slice(2);
if (!input) {
  console.error('usage: node tools/neighbours.mjs PATH/world-atlas/countries-50m.json [OUTPUT]');
  process.exit(2);
}
const topology = JSON.parse(readFileSync(input, 'utf8'));

// TopoJSON: quantized, delta-encoded arcs; a ring lists arcs by index, ~i for arc i reversed.
const { scale, translate } = topology.transform;
const arcs = topology.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * scale[0] + translate[0], y * scale[1] + translate[1]]; });
});
function ring(indices) {
  const points = [];
  for (const i of indices) {
    const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    points.push(...(points.length ? arc.slice(1) : arc));
  }
  return points;
}

// Sutherland–Hodgman against each side of the box.
function clip(points) {
  const [w, s, e, n] = REGION;
  const sides = [
    [(p) => p[0] >= w, (a, b) => at(a, b, 0, w)],
    [(p) => p[0] <= e, (a, b) => at(a, b, 0, e)],
    [(p) => p[1] >= s, (a, b) => at(a, b, 1, s)],
    [(p) => p[1] <= n, (a, b) => at(a, b, 1, n)],
  ];
  let out = points.slice(0, -1);
  for (const [inside, cross] of sides) {
    const input = out;
    out = [];
    for (let k = 0; k < input.length; k++) {
      const a = input[(k + input.length - 1) % input.length], b = input[k];
      if (inside(b)) { if (!inside(a)) out.push(cross(a, b)); out.push(b); } else if (inside(a)) out.push(cross(a, b));
    }
    if (!out.length) return null;
  }
  return out;
}
function at(a, b, axis, value) {
  const t = (value - a[axis]) / (b[axis] - a[axis]);
  const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  p[axis] = value;
  return p;
}

const round = (x) => Number(x.toFixed(DECIMALS));
function tidy(points) {
  const out = [];
  for (const [x, y] of points) {
    const p = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length < 3) return null;
  out.push(out[0]);
  return out;
}

const found = new Set(topology.objects.countries.geometries.map((g) => g.properties && g.properties.name));
const absent = [...COUNTRIES].filter((c) => !found.has(c));
if (absent.length) { console.error(`not in ${input}: ${absent.join(', ')}`); process.exit(1); }

const features = [];
for (const geometry of topology.objects.countries.geometries) {
  const name = geometry.properties && geometry.properties.name;
  if (!COUNTRIES.has(name)) continue;
  const polygons = geometry.type === 'Polygon' ? [geometry.arcs] : geometry.type === 'MultiPolygon' ? geometry.arcs : [];
  const kept = [];
  for (const polygon of polygons) {
    const rings = [];
    for (const [k, indices] of polygon.entries()) {
      const clipped = clip(ring(indices));
      const points = clipped && tidy(clipped);
      if (points) rings.push(points);
      else if (k === 0) break; // the outer ring is outside: so are its holes
    }
    if (rings.length) kept.push(rings);
  }
  if (!kept.length) continue;
  features.push({ type: 'Feature', properties: { name }, geometry: { type: 'MultiPolygon', coordinates: kept } });
}
features.sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'en'));
const text = '{"type":"FeatureCollection","features":[\n' + features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
writeFileSync(output, text);
console.error(`${output}: ${features.length} countries (${features.map((f) => f.properties.name).join(', ')}), ${text.length} bytes`);
