/* The filter form, the page's URL (filters, page, language and open event live there, so a view
 * can be shared) and the chips of filters the form does not show. */

import { $, el, clear, isoDate, ltr } from './dom.js';
import { state, filterParams, apply, STATUSES } from './state.js';
import { t, statusLabel, admin1Label } from './i18n.js';
import { eventTypes, typeLabel } from './taxonomy.js';

/** Copies the form into the filters. */
export function readForm() {
  const f = state.filters;
  f.type = $('filter-type').value;
  f.status = $('filter-status').value;
  f.min_confidence = $('filter-min_confidence').value;
  f.admin1 = $('filter-admin1').value;
  f.actor = $('filter-actor').value.trim();
  f.text = $('filter-text').value.trim();
  f.since = $('filter-since').value;
  f.until = $('filter-until').value;
}

/** Copies the filters into the form. */
export function writeForm() {
  const f = state.filters;
  ensureOption($('filter-admin1'), f.admin1);
  ensureOption($('filter-type'), f.type);
  $('filter-type').value = f.type;
  $('filter-status').value = f.status;
  $('filter-min_confidence').value = f.min_confidence;
  $('filter-admin1').value = f.admin1;
  $('filter-actor').value = f.actor;
  $('filter-text').value = f.text;
  $('filter-since').value = isoDate.test(f.since) ? f.since : '';
  $('filter-until').value = isoDate.test(f.until) ? f.until : '';
}

function ensureOption(select, value) {
  if (!value) return;
  for (const o of select.options) if (o.value === value) return;
  select.appendChild(el('option', null, value, { value }));
}

/** Reads filters, page and language from the URL; answers the event id of `#event=ID`, if any. */
export function readUrl() {
  const q = new URLSearchParams(location.search);
  for (const k of Object.keys(state.filters)) { const v = q.get(k); if (v) state.filters[k] = v; }
  const p = parseInt(q.get('page') || '', 10);
  if (p > 0) state.page = p - 1;
  const lang = q.get('lang') || safeStorage('get', 'rasd.lang');
  if (lang === 'ar' || lang === 'en') state.lang = lang;
  const m = /(?:^#|&)event=(\d+)/.exec(location.hash);
  return m ? parseInt(m[1], 10) : null;
}

/** Writes filters, page, language and the open event into the URL. */
export function writeUrl() {
  const q = new URLSearchParams(filterParams());
  if (state.page > 0) q.set('page', String(state.page + 1));
  if (state.lang !== 'en') q.set('lang', state.lang);
  const hash = state.event ? '#event=' + state.event.id : '';
  const url = location.pathname + (q.toString() ? '?' + q.toString() : '') + hash;
  try { history.replaceState(null, '', url); } catch (e) { /* ignore */ }
}

/** localStorage, which a browser may refuse. */
export function safeStorage(op, k, v) {
  try { return op === 'get' ? localStorage.getItem(k) : localStorage.setItem(k, v); } catch (e) { return null; }
}

/** Fills the type, status and governorate menus in the page's language. */
export function fillSelects() {
  const ts = $('filter-type');
  const cur = ts.value;
  clear(ts);
  ts.appendChild(el('option', null, t('any'), { value: '' }));
  for (const ty of eventTypes()) ts.appendChild(el('option', null, typeLabel(ty), { value: ty }));
  ensureOption(ts, state.filters.type);
  ts.value = cur || state.filters.type;

  const ss = $('filter-status');
  const scur = ss.value;
  clear(ss);
  ss.appendChild(el('option', null, t('any'), { value: '' }));
  for (const s of STATUSES) ss.appendChild(el('option', null, statusLabel(s), { value: s }));
  ss.value = scur || state.filters.status;

  const as = $('filter-admin1');
  const acur = as.value || state.filters.admin1;
  clear(as);
  as.appendChild(el('option', null, t('any'), { value: '' }));
  const vals = state.admin1Values.slice().sort((a, b) => admin1Label(a.name).localeCompare(admin1Label(b.name), state.lang));
  for (const v of vals) as.appendChild(el('option', null, admin1Label(v.name) + ' (' + v.n + ')', { value: v.name }));
  ensureOption(as, acur);
  as.value = acur;
}

/** The chips of the date and distance filters, each with a button that removes it. */
export function renderChips() {
  const box = $('chips');
  clear(box);
  const f = state.filters;
  const add = (label, onRemove) => {
    const c = el('span', 'chip');
    c.appendChild(el('bdi', null, label));
    const b = el('button', 'chip-x', '×', { type: 'button', 'aria-label': t('clear') });
    b.addEventListener('click', () => { onRemove(); apply(); });
    c.appendChild(b);
    box.appendChild(c);
  };
  if (f.since) add(t('since_chip', { d: ltr(f.since) }), () => { f.since = ''; });
  if (f.until) add(t('until_chip', { d: ltr(f.until) }), () => { f.until = ''; });
  if (f.near) {
    const [lat, lon, km] = f.near.split(',');
    add(t('near', { lat: ltr(lat), lon: ltr(lon), km }), () => { f.near = ''; });
  }
  box.hidden = !box.firstChild;
}
