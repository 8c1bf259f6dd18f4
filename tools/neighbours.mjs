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
import { clipPolygons, featureCollection } from './region.mjs';

/** The countries, by world-atlas's names: the neighbours, then the Middle East and the Caucasus. */
const COUNTRIES = new Set([
  'Turkey', 'Iraq', 'Jordan', 'Israel', 'Palestine', 'Lebanon', 'Cyprus', 'N. Cyprus',
  'Egypt', 'Saudi Arabia', 'Kuwait', 'Bahrain', 'Qatar', 'United Arab Emirates', 'Oman', 'Yemen', 'Iran',
  'Georgia', 'Armenia', 'Azerbaijan',
]);
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

const found = new Set(topology.objects.countries.geometries.map((g) => g.properties && g.properties.name));
const absent = [...COUNTRIES].filter((c) => !found.has(c));
if (absent.length) { console.error(`not in ${input}: ${absent.join(', ')}`); process.exit(1); }

const features = [];
for (const geometry of topology.objects.countries.geometries) {
  const name = geometry.properties && geometry.properties.name;
  if (!COUNTRIES.has(name)) continue;
  const polygons = geometry.type === 'Polygon' ? [geometry.arcs] : geometry.type === 'MultiPolygon' ? geometry.arcs : [];
  const kept = clipPolygons(polygons.map((polygon) => polygon.map(ring)));
  if (!kept.length) continue;
  features.push({ type: 'Feature', properties: { name }, geometry: { type: 'MultiPolygon', coordinates: kept } });
}
features.sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'en'));
const text = featureCollection(features);
writeFileSync(output, text);
console.error(`${output}: ${features.length} countries (${features.map((f) => f.properties.name).join(', ')}), ${text.length} bytes`);
