/* ACLED's event taxonomy — event types in order, Arabic labels, colours — as the server serves
 * it from data/events/taxonomy.tsv (GET /api/taxonomy). The page holds no copy of its own. */

import { state } from './state.js';
import { el } from './dom.js';

/** The colour of an event type the taxonomy does not know. */
const OTHER_COLOUR = '#888888';

let types = [];
const typeByName = new Map();
const subByName = new Map();

/** Takes the answer of /api/taxonomy. */
export function setTaxonomy(taxonomy) {
  types = Array.isArray(taxonomy && taxonomy.event_types) ? taxonomy.event_types : [];
  typeByName.clear();
  for (const ty of types) typeByName.set(ty.name, ty);
  subByName.clear();
  for (const st of Array.isArray(taxonomy && taxonomy.sub_event_types) ? taxonomy.sub_event_types : []) subByName.set(st.name, st);
}

/** The event types' names, in ACLED's order. */
export const eventTypes = () => types.map((ty) => ty.name);

/** An event type in the page's language. */
export function typeLabel(name) {
  const ty = typeByName.get(name);
  return state.lang === 'ar' && ty ? ty.name_ar : (name || '');
}

/** A sub-event type in the page's language. */
export function subLabel(name) {
  const st = subByName.get(name);
  return state.lang === 'ar' && st ? st.name_ar : (name || '');
}

/** An event type's colour on the map. */
export function typeColour(name) {
  const ty = typeByName.get(name);
  return ty ? ty.colour : OTHER_COLOUR;
}

/** A colour swatch for an event type (the colour set through the CSSOM, which the CSP allows). */
export function swatch(name, extra) {
  const s = el('span', 'swatch' + (extra ? ' ' + extra : ''));
  s.style.backgroundColor = typeColour(name);
  return s;
}

/** The known event types first, in order, then any other keys of `counts`. */
export function inOrder(counts) {
  const names = eventTypes();
  return names.concat(Object.keys(counts).filter((k) => !typeByName.has(k)));
}
