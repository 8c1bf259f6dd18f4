/* rasd serve — the browser UI, as native ES modules (no build step). Loaded after Leaflet and
 * leaflet.markercluster (classic deferred scripts, which run first). This module starts the page,
 * loads the data when the filters change and binds the controls; the others each draw one part:
 *   dom.js       element helpers (text only through textContent: article text is untrusted)
 *   state.js     the page's state and the actions modules ask for (apply filters, open an event)
 *   i18n.js      English and Arabic labels
 *   taxonomy.js  event types, Arabic labels and colours, from GET /api/taxonomy
 *   api.js       the JSON API and the error banner
 *   filters.js   the form, the URL and the filter chips
 *   map.js       the map, its markers and legend
 *   timeline.js  the timeline and its outlier dates
 *   list.js      the list of events
 *   panel.js     the event panel and the highlighted article
 *   live.js      the live stream: reload when `rasd watch` (or anyone) stores new events
 * The page runs under a strict CSP: no inline script, no style attributes in the HTML. */

import { $, isNum } from './dom.js';
import { state, filterParams, register, MAP_LIMIT, PAGE_SIZE } from './state.js';
import { t } from './i18n.js';
import { setTaxonomy } from './taxonomy.js';
import { api, fetchStatic, showError, hideError } from './api.js';
import { readForm, writeForm, readUrl, writeUrl, safeStorage, fillSelects, renderChips } from './filters.js';
import { initMap, hasMap, renderMarkers, renderLegend, relabelMap } from './map.js';
import { renderTimeline, updateRangeLabel } from './timeline.js';
import { renderList } from './list.js';
import { openEvent, closePanel, renderPanel, renderHlLegend } from './panel.js';
import { onChange } from './live.js';

/** Loads the map's GeoJSON, the list's page and the timeline's counts for the filters, and draws
 *  them; `body[data-ready]` is "1" once every marker is on the map. */
async function reload() {
  const seq = ++state.loadSeq;
  document.body.dataset.ready = '0';
  $('loading').hidden = false;
  hideError();
  renderChips();
  updateRangeLabel();
  writeUrl();
  const fp = filterParams();
  const results = await Promise.allSettled([
    api('/api/events', Object.assign({}, fp, { format: 'markers', limit: MAP_LIMIT })),
    api('/api/events', Object.assign({}, fp, { limit: PAGE_SIZE, offset: state.page * PAGE_SIZE })),
    api('/api/stats', filterParams({ noDates: true })),
  ]);
  if (seq !== state.loadSeq) return;
  const errs = [];
  const [geo, list, stats] = results;
  state.geo = geo.status === 'fulfilled' ? geo.value : { type: 'FeatureCollection', features: [], total: 0 };
  if (geo.status === 'rejected') errs.push(geo.reason.message);
  state.list = list.status === 'fulfilled' ? list.value : { total: 0, events: [] };
  if (list.status === 'rejected') errs.push(list.reason.message);
  state.timeline = stats.status === 'fulfilled' ? stats.value : null;
  if (stats.status === 'rejected') errs.push(stats.reason.message);
  if (errs.length) showError(Array.from(new Set(errs)).join(' · '));

  const total = state.list && isNum(state.list.total) ? state.list.total : (state.geo && isNum(state.geo.total) ? state.geo.total : 0);
  $('total').textContent = String(total);
  let added = Promise.resolve();
  try {
    added = renderMarkers();
    renderLegend();
    renderTimeline();
    renderList();
  } catch (e) {
    showError(String(e && e.message || e));
  }
  // Wait (bounded) until every marker is in the cluster layer before saying "ready".
  await Promise.race([added, new Promise((r) => setTimeout(r, 10000))]);
  if (seq !== state.loadSeq) return;
  $('loading').hidden = true;
  document.body.dataset.ready = '1';
}

/** The filters changed: back to the first page. */
function applyAndReload() {
  state.page = 0;
  writeForm();
  reload();
}

/** Shows another page of the list (the map and timeline stay). */
async function loadPage(p) {
  state.page = p;
  document.body.dataset.ready = '0';
  const seq = ++state.loadSeq;
  try {
    const list = await api('/api/events', Object.assign(filterParams(), { limit: PAGE_SIZE, offset: state.page * PAGE_SIZE }));
    if (seq !== state.loadSeq) return;
    state.list = list;
    renderList();
    writeUrl();
    $('list-section').scrollIntoView({ block: 'start', behavior: 'smooth' });
  } catch (e) {
    if (seq === state.loadSeq) showError(e.message);
  } finally {
    if (seq === state.loadSeq) document.body.dataset.ready = '1';
  }
}

/** Sets the page's language and direction and relabels the static parts. */
function applyLang() {
  const html = document.documentElement;
  html.lang = state.lang;
  html.dir = state.lang === 'ar' ? 'rtl' : 'ltr';
  for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
  for (const n of document.querySelectorAll('[data-i18n-placeholder]')) n.placeholder = t(n.dataset.i18nPlaceholder);
  for (const n of document.querySelectorAll('[data-i18n-title]')) { n.title = t(n.dataset.i18nTitle); n.setAttribute('aria-label', n.title); }
  relabelMap();
  const lt = $('lang-toggle');
  lt.classList.toggle('is-ar', state.lang === 'ar');
  lt.setAttribute('aria-label', state.lang === 'ar' ? 'Switch to English' : 'التبديل إلى العربية');
  document.title = state.lang === 'ar' ? 'رصد — خريطة الأحداث' : 'rasd · رصد — event map';
  fillSelects();
  renderHlLegend($('hl-legend-empty'));
}

function rerenderAll() {
  applyLang();
  renderChips();
  if (hasMap()) {
    renderLegend();
    renderTimeline();
    renderList();
    if (state.event) renderPanel();
  }
}

function bindUi() {
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); readForm(); state.page = 0; reload(); });
  $('reset-filters').addEventListener('click', () => {
    for (const k of Object.keys(state.filters)) state.filters[k] = '';
    applyAndReload();
  });
  $('lang-toggle').addEventListener('click', () => {
    state.lang = state.lang === 'ar' ? 'en' : 'ar';
    safeStorage('set', 'rasd.lang', state.lang);
    rerenderAll();
    writeUrl();
  });
  $('error-close').addEventListener('click', hideError);
  $('tl-clear').addEventListener('click', () => { state.filters.since = ''; state.filters.until = ''; applyAndReload(); });
  $('ep-close').addEventListener('click', closePanel);
  $('page-prev').addEventListener('click', () => { if (state.page > 0) loadPage(state.page - 1); });
  $('page-next').addEventListener('click', () => loadPage(state.page + 1));
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && state.event) closePanel(); });
  let rt = null;
  window.addEventListener('resize', () => { clearTimeout(rt); rt = setTimeout(renderTimeline, 150); });
}

async function start() {
  register({ apply: applyAndReload, open: openEvent });
  const openId = readUrl();
  applyLang();
  writeForm();
  bindUi();
  document.body.dataset.ready = '0';
  if (typeof L === 'undefined' || !L.markerClusterGroup) { showError('map library failed to load'); return; }
  const [taxonomy, adm, nb, nbAdm, st] = await Promise.allSettled([
    api('/api/taxonomy'),
    fetchStatic('/assets/boundaries/syria-adm1.geojson'),
    fetchStatic('/assets/boundaries/neighbours.geojson'),
    fetchStatic('/assets/boundaries/neighbours-adm1.geojson'),
    api('/api/stats'),
  ]);
  if (taxonomy.status === 'fulfilled') setTaxonomy(taxonomy.value);
  else showError(taxonomy.reason.message);
  if (st.status === 'fulfilled' && st.value && st.value.by_admin1) {
    state.admin1Values = Object.keys(st.value.by_admin1).map((k) => ({ name: k, n: st.value.by_admin1[k] }));
  } else if (st.status === 'rejected') {
    showError(st.reason.message);
  }
  fillSelects();
  writeForm();
  const settled = (result) => (result.status === 'fulfilled' ? result.value : null);
  initMap(settled(adm) || { type: 'FeatureCollection', features: [] }, settled(nb), settled(nbAdm));
  await reload();
  if (openId !== null) openEvent(openId, { fromList: true });
  // New events arrive (rasd watch, rasd ingest): the map, list and timeline follow, on the
  // same filters and page.
  onChange(() => { if (document.body.dataset.ready === '1') reload(); });
}

start();
