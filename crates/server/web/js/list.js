/* The list: one page of events, newest first. */

import { $, el, clear, isNum, dateRange } from './dom.js';
import { state, open, PAGE_SIZE } from './state.js';
import { t, statusLabel, admin1Label, placeName } from './i18n.js';
import { typeLabel, subLabel, swatch } from './taxonomy.js';

/** Draws `state.list` and the pager. */
export function renderList() {
  const tb = $('event-list');
  clear(tb);
  const data = state.list;
  const evs = data && Array.isArray(data.events) ? data.events : [];
  if (!evs.length) {
    const tr = el('tr', 'empty');
    tr.appendChild(el('td', null, t('no_events'), { colspan: 6 }));
    tb.appendChild(tr);
  }
  for (const s of evs) tb.appendChild(row(s));
  const total = data && isNum(data.total) ? data.total : 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const a = total ? state.page * PAGE_SIZE + 1 : 0, b = Math.min(total, (state.page + 1) * PAGE_SIZE);
  $('page-info').textContent = t('rows', { a, b, t: total }) + ' · ' + t('page', { p: state.page + 1, n: pages });
  $('page-prev').disabled = state.page <= 0;
  $('page-next').disabled = state.page + 1 >= pages;
}

function row(s) {
  const tr = el('tr', 'ev-row', null, { 'data-event-id': s.id, tabindex: 0 });
  if (state.event && String(state.event.id) === String(s.id)) tr.classList.add('selected');
  tr.appendChild(el('td', 'c-date', dateRange(s.date_start, s.date_end)));
  const tdT = el('td', 'c-type');
  const ty = el('div', 'ty');
  ty.appendChild(swatch(s.event_type));
  ty.appendChild(el('span', null, typeLabel(s.event_type)));
  tdT.appendChild(ty);
  const sub = el('div', 'sub muted', subLabel(s.sub_event_type));
  if (s.status && s.status !== 'occurred') sub.appendChild(el('span', 'status-badge st-' + s.status, statusLabel(s.status)));
  tdT.appendChild(sub);
  tr.appendChild(tdT);
  const tdP = el('td', 'c-place');
  tdP.appendChild(el('div', null, placeName(s) || t('none'), { dir: 'auto' }));
  if (s.admin1) tdP.appendChild(el('div', 'muted', admin1Label(s.admin1), { dir: 'auto' }));
  tr.appendChild(tdP);
  const tdA = el('td', 'c-actors');
  tdA.appendChild(el('div', null, s.actor1 || t('none'), { dir: 'auto' }));
  if (s.actor2) tdA.appendChild(el('div', 'muted', s.actor2, { dir: 'auto' }));
  tr.appendChild(tdA);
  tr.appendChild(el('td', 'c-fat num', isNum(s.fatalities) ? s.fatalities : t('none')));
  const tdS = el('td', 'c-src');
  const srcs = Array.isArray(s.sources) ? s.sources : [];
  const names = el('div');
  srcs.forEach((name, i) => {
    if (i) names.appendChild(document.createTextNode(' · '));
    names.appendChild(el('bdi', null, name));
  });
  if (!srcs.length) names.textContent = t('none');
  tdS.appendChild(names);
  if (isNum(s.reports) && s.reports > 1) tdS.appendChild(el('div', 'muted', t('reports_n', { n: s.reports })));
  tr.appendChild(tdS);
  tr.addEventListener('click', () => open(s.id, { fromList: true }));
  tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(s.id, { fromList: true }); } });
  return tr;
}
