/* DOM helpers. Everything that comes from the API is untrusted: it reaches the page only through
 * textContent and attributes set with the DOM API, never through innerHTML or HTML strings. */

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** createElement with optional class, text and attributes (all through DOM APIs). */
export function el(tag, cls, text, attrs) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (attrs) for (const k of Object.keys(attrs)) { if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, String(attrs[k])); }
  return e;
}

/** An SVG element with attributes. */
export function svgEl(tag, attrs) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  if (attrs) for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
  return e;
}

/** Removes every child of a node. */
export function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

/** A finite number. */
export const isNum = (x) => typeof x === 'number' && isFinite(x);

/** YYYY-MM-DD. */
export const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** "a" or "a … b". */
export function dateRange(a, b) {
  if (!a) return '';
  if (!b || a === b) return a;
  return a + ' … ' + b;
}

/** A left-to-right run (a date, coordinates) isolated from the text around it (LRI … PDI), so
 *  Arabic text before it cannot turn 2025-10-26 into 26-10-2025. */
export const ltr = (s) => '\u2066' + s + '\u2069';
