// The box and the polygon helpers shared by the converters of the map's base layers
// (tools/neighbours.mjs, tools/neighbours-adm1.mjs): clipping to the region and rounding.

/** The region's box: west, south, east, north (degrees). */
export const REGION = [24, 12, 60, 43];
/** Decimals kept in a coordinate (3: about 100 m). */
export const DECIMALS = 3;

/** Clips a closed ring (last point = first) to REGION (Sutherland–Hodgman against each side);
 *  returns the open ring, or null when nothing is left. */
export function clip(points) {
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
/** Rounds an open ring to DECIMALS, drops repeated points and closes it; null when fewer than 3
 *  points are left. */
export function tidy(points) {
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

/** Clips each polygon (rings, the outer first) to the region and rounds it; a polygon whose outer
 *  ring is outside goes, holes and all. */
export function clipPolygons(polygons) {
  const kept = [];
  for (const polygon of polygons) {
    const rings = [];
    for (const [k, ring] of polygon.entries()) {
      const clipped = clip(ring);
      const points = clipped && tidy(clipped);
      if (points) rings.push(points);
      else if (k === 0) break; // the outer ring is outside: so are its holes
    }
    if (rings.length) kept.push(rings);
  }
  return kept;
}

/** A FeatureCollection, one feature a line. */
export const featureCollection = (features) =>
  '{"type":"FeatureCollection","features":[\n' + features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
