/* The event panel: what, when, where, who, how many killed, the reports, the attribution chain
 * and the article text with every span of the event highlighted. Names and outlets are wrapped
 * in <bdi>, so a Latin name in an Arabic line (or the reverse) keeps its place. */

import { $, el, clear, isNum, dateRange, ltr } from './dom.js';
import { state, STATUSES } from './state.js';
import { api, showError } from './api.js';
import { t, statusLabel, admin1Label, interLabel } from './i18n.js';
import { typeLabel, subLabel, typeColour } from './taxonomy.js';
import { highlightSelectedMarker } from './map.js';
import { writeUrl } from './filters.js';

const articleCache = new Map();

/** Opens the event `id`: fetches its cluster and its first report's article. */
export async function openEvent(id, opts) {
  opts = opts || {};
  const seq = ++state.panelSeq;
  const panel = $('event-panel');
  panel.setAttribute('aria-busy', 'true');
  let ev;
  try {
    ev = await api('/api/events/' + encodeURIComponent(id));
  } catch (e) {
    if (seq === state.panelSeq) { showError(e.message); panel.removeAttribute('aria-busy'); }
    return;
  }
  if (seq !== state.panelSeq) return;
  state.event = ev;
  const reports = Array.isArray(ev.reports) ? ev.reports : [];
  const sumArticle = ev.summary && ev.summary.article_id;
  state.reportIdx = Math.max(0, reports.findIndex((r) => r && r.article_id === sumArticle));
  state.article = null;
  renderPanel();
  document.querySelector('#event-panel .ep-top').scrollTop = 0;
  $('panel-empty').hidden = true;
  panel.hidden = false;
  panel.dataset.eventId = String(ev.id);
  for (const tr of document.querySelectorAll('#event-list tr.selected')) tr.classList.remove('selected');
  const row = document.querySelector('#event-list tr[data-event-id="' + CSS.escape(String(ev.id)) + '"]');
  if (row) row.classList.add('selected');
  highlightSelectedMarker(!!opts.fromList);
  writeUrl();
  if (window.matchMedia('(max-width: 1000px)').matches) panel.scrollIntoView({ block: 'start' });
  else if (opts.fromList && window.scrollY > 0) window.scrollTo({ top: 0, behavior: 'smooth' });
  await loadReportArticle(seq);
  panel.removeAttribute('aria-busy');
}

async function loadReportArticle(seq) {
  const ev = state.event;
  const rep = ev && ev.reports ? ev.reports[state.reportIdx] : null;
  if (!rep || rep.article_id === null || rep.article_id === undefined) { renderArticle(); return; }
  const aid = rep.article_id;
  let art = articleCache.get(aid);
  if (!art) {
    try {
      art = await api('/api/articles/' + encodeURIComponent(aid));
      articleCache.set(aid, art);
    } catch (e) {
      if (seq === state.panelSeq) { state.article = { error: e.message }; renderArticle(); }
      return;
    }
  }
  if (seq !== state.panelSeq) return;
  state.article = art;
  renderArticle();
}

/** Closes the panel. */
export function closePanel() {
  state.panelSeq++;
  state.event = null;
  state.article = null;
  $('event-panel').hidden = true;
  delete $('event-panel').dataset.eventId;
  $('panel-empty').hidden = false;
  for (const tr of document.querySelectorAll('#event-list tr.selected')) tr.classList.remove('selected');
  highlightSelectedMarker();
  writeUrl();
}

function currentReportEvent() {
  const ev = state.event;
  const rep = ev && Array.isArray(ev.reports) ? ev.reports[state.reportIdx] : null;
  return rep && rep.event ? rep.event : null;
}

/** A name from an article (an outlet, a person, an actor), isolated from the text around it. */
const name = (text, cls) => el('bdi', cls, text);

/** Draws the open event (in the page's language). */
export function renderPanel() {
  const ev = state.event;
  if (!ev) return;
  const s = ev.summary || {};
  const full = currentReportEvent() || {};
  const ty = s.event_type || full.event_type;
  const sw = $('ep-swatch');
  sw.className = 'swatch big';
  sw.style.backgroundColor = typeColour(ty);
  $('ep-title').textContent = subLabel(s.sub_event_type || full.sub_event_type) || typeLabel(ty);
  $('ep-subtitle').textContent = typeLabel(ty) + ' · #' + ev.id;
  const st = s.status || full.status;
  const badge = $('ep-status');
  badge.textContent = statusLabel(st);
  badge.className = 'status-badge st-' + (STATUSES.indexOf(st) >= 0 ? st : 'x');

  const dl = $('ep-facts');
  clear(dl);
  const fact = (key, build) => {
    dl.appendChild(el('dt', null, t(key)));
    const dd = el('dd');
    build(dd);
    dl.appendChild(dd);
  };
  // When
  fact('k_date', (dd) => {
    dd.appendChild(el('span', 'mono', dateRange(s.date_start, s.date_end), { dir: 'ltr' }));
    const pr = s.precision;
    if (pr) dd.appendChild(el('span', 'muted', ' · ' + t('precision') + ' ' + pr + ' (' + (t('prec_date')[pr] || '') + ')'));
    const dt = full.date && full.date.text;
    if (dt) { dd.appendChild(el('br')); dd.appendChild(el('q', 'quote', dt, { dir: 'auto' })); }
  });
  // Where
  fact('k_place', (dd) => {
    const loc = full.location || {};
    const names = [s.location || loc.name, s.location_ar || loc.name_ar].filter(Boolean);
    names.forEach((n, i) => { if (i) dd.appendChild(document.createTextNode(' · ')); dd.appendChild(name(n)); });
    if (!names.length) dd.appendChild(document.createTextNode(t('none')));
    const parts = [admin1Label(s.admin1 || loc.admin1), loc.admin2, s.country || loc.country].filter(Boolean);
    if (parts.length) { dd.appendChild(el('br')); dd.appendChild(el('span', 'muted', parts.join(', '), { dir: 'auto' })); }
    const lat = isNum(s.lat) ? s.lat : loc.lat, lon = isNum(s.lon) ? s.lon : loc.lon;
    if (isNum(lat) && isNum(lon)) {
      dd.appendChild(el('br'));
      dd.appendChild(el('span', 'mono', lat.toFixed(3) + ', ' + lon.toFixed(3), { dir: 'ltr' }));
    }
    const gp = s.geo_precision || loc.geo_precision;
    if (gp) dd.appendChild(el('span', 'muted', ' · ' + t('precision') + ' ' + gp + ' (' + (t('prec_geo')[gp] || '') + ')'));
    if (loc.text) { dd.appendChild(el('br')); dd.appendChild(el('q', 'quote', loc.text, { dir: 'auto' })); }
  });
  // Who
  fact('k_actors', (dd) => {
    const a1 = full.actor1 || (s.actor1 ? { name: s.actor1 } : null);
    const a2 = full.actor2 || (s.actor2 ? { name: s.actor2 } : null);
    const actor = (a) => {
      const sp = el('span', 'actor');
      sp.appendChild(name(a.name || a.text || '?'));
      if (a.inter) sp.appendChild(el('span', 'muted', ' (' + interLabel(a.inter) + ')'));
      return sp;
    };
    dd.appendChild(a1 ? actor(a1) : el('span', 'muted', t('none')));
    dd.appendChild(el('span', 'arrow', state.lang === 'ar' ? ' ← ' : ' → '));
    dd.appendChild(a2 ? actor(a2) : el('span', 'muted', t('none')));
    const assoc = Array.isArray(full.assoc_actors) ? full.assoc_actors : [];
    for (const a of assoc) { dd.appendChild(el('br')); dd.appendChild(el('span', 'muted', '+ ')); dd.appendChild(actor(a)); }
  });
  // Killed
  fact('k_fat', (dd) => {
    dd.appendChild(el('strong', 'num', isNum(ev.fatalities) ? ev.fatalities : t('unknown')));
    dd.appendChild(el('span', 'muted', ' · ' + t('cluster_est')));
    const reps = Array.isArray(ev.reports) ? ev.reports : [];
    if (reps.length) {
      const ul = el('ul', 'fat-list');
      for (const r of reps) {
        const li = el('li');
        li.appendChild(name(r.outlet || t('article_no', { id: r.article_id })));
        li.appendChild(el('span', 'num', ': ' + (isNum(r.fatalities) ? r.fatalities : t('unknown'))));
        ul.appendChild(li);
      }
      dd.appendChild(ul);
    }
  });
  if (isNum(full.injured)) fact('k_injured', (dd) => dd.appendChild(el('span', 'num', full.injured)));
  const resp = full.responsibility;
  if (resp && (resp.claimed_by || resp.attributed_to || resp.unclaimed)) {
    fact('k_resp', (dd) => {
      const parts = [];
      if (resp.claimed_by) parts.push([t('claimed_by'), resp.claimed_by]);
      if (resp.attributed_to) parts.push([t('attributed_to'), resp.attributed_to]);
      if (resp.unclaimed) parts.push([t('unclaimed')]);
      parts.forEach(([label, who], i) => {
        dd.appendChild(document.createTextNode((i ? ' · ' : '') + label + (who ? ' ' : '')));
        if (who) dd.appendChild(name(who));
      });
    });
  }
  const conf = isNum(full.confidence) ? full.confidence : s.confidence;
  if (isNum(conf)) fact('k_conf', (dd) => {
    const meter = el('span', 'conf');
    const bar = el('span', 'conf-bar');
    bar.style.width = Math.round(Math.max(0, Math.min(1, conf)) * 100) + '%';
    meter.appendChild(bar);
    dd.appendChild(meter);
    dd.appendChild(el('span', 'num', ' ' + conf.toFixed(2)));
  });

  renderSources();
  renderChain();
  renderArticle();
}

function renderSources() {
  const ul = $('sources');
  clear(ul);
  const reps = state.event && Array.isArray(state.event.reports) ? state.event.reports : [];
  reps.forEach((r, i) => {
    const li = el('li', 'src' + (i === state.reportIdx ? ' selected' : ''), null, { 'data-article-id': r.article_id });
    const b = el('button', 'src-btn', null, { type: 'button', 'aria-pressed': i === state.reportIdx ? 'true' : 'false' });
    b.appendChild(name(r.outlet || t('article_no', { id: r.article_id }), 'src-outlet'));
    const meta = el('span', 'src-meta muted');
    meta.textContent = [r.published ? t('published') + ' ' + ltr(r.published) : null,
      t('k_fat') + ': ' + (isNum(r.fatalities) ? r.fatalities : t('unknown'))].filter(Boolean).join(' · ');
    b.appendChild(meta);
    if (i === state.reportIdx) b.appendChild(el('span', 'src-sel', t('selected_report')));
    b.addEventListener('click', () => {
      if (state.reportIdx === i) return;
      state.reportIdx = i;
      state.article = null;
      renderPanel();
      loadReportArticle(state.panelSeq);
    });
    li.appendChild(b);
    ul.appendChild(li);
  });
}

/** The attribution chain, outermost first: each link a chip "name، role [kind]". */
function renderChain() {
  const ol = $('chain');
  clear(ol);
  const full = currentReportEvent();
  const srcs = full && Array.isArray(full.sources) ? full.sources : [];
  if (!srcs.length) { ol.appendChild(el('li', 'muted empty', t('no_chain'))); return; }
  for (const s of srcs) {
    const li = el('li', 'chain-item kind-' + (/^[a-z]+$/.test(s.kind || '') ? s.kind : 'x'));
    li.appendChild(name(s.name || t('kind')[s.kind] || '?', 'chain-name'));
    if (s.role) {
      li.appendChild(document.createTextNode(state.lang === 'ar' ? '، ' : ', '));
      li.appendChild(name(s.role, 'chain-role'));
    }
    // The kind label is drawn by CSS from an attribute so the <li> text stays "name, role".
    if (s.kind) li.appendChild(el('span', 'chain-kind', null, { 'data-label': t('kind')[s.kind] || s.kind, 'aria-hidden': 'true' }));
    ol.appendChild(li);
  }
}

// ------------------------------------------------ article text with span highlights

/** Maps UTF-8 byte offsets of `text` to UTF-16 indices. Offsets inside a code point round down. */
function byteIndexMap(text) {
  const bytes = new TextEncoder().encode(text);
  const map = new Int32Array(bytes.length + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i);
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    for (let k = 0; k < n && b + k <= bytes.length; k++) map[b + k] = i;
    b += n;
    if (c >= 0x10000) i++;
  }
  map[bytes.length] = text.length;
  return { map, nbytes: bytes.length };
}

const HL_ORDER = ['hl-evidence', 'hl-source', 'hl-date', 'hl-place', 'hl-actor', 'hl-trigger'];

function collectSpans(ev) {
  const out = [];
  const add = (sp, cls, label) => {
    if (!Array.isArray(sp) || sp.length !== 2 || !isNum(sp[0]) || !isNum(sp[1]) || sp[1] <= sp[0]) return;
    out.push({ s: sp[0], e: sp[1], cls, label });
  };
  if (!ev) return out;
  if (ev.evidence) add(ev.evidence.span, 'hl-evidence', t('hl_evidence'));
  if (Array.isArray(ev.sources)) for (const s of ev.sources) if (s) add(s.span, 'hl-source', t('hl_source') + ': ' + (s.name || '') + (s.role ? ', ' + s.role : ''));
  if (ev.date) add(ev.date.span, 'hl-date', t('hl_date') + ': ' + dateRange(ev.date.start, ev.date.end));
  if (ev.location) add(ev.location.span, 'hl-place', t('hl_place') + ': ' + (ev.location.name || ''));
  if (ev.actor1) add(ev.actor1.span, 'hl-actor', t('hl_actor') + ' 1: ' + (ev.actor1.name || ''));
  if (ev.actor2) add(ev.actor2.span, 'hl-actor', t('hl_actor') + ' 2: ' + (ev.actor2.name || ''));
  if (Array.isArray(ev.assoc_actors)) for (const a of ev.assoc_actors) if (a) add(a.span, 'hl-actor', t('hl_actor') + ': ' + (a.name || ''));
  if (ev.trigger) add(ev.trigger.span, 'hl-trigger', t('hl_trigger'));
  return out;
}

/** Renders `text` into `container`, wrapping every span in nested <mark class="hl-…"> elements. */
function renderHighlighted(container, text, spans) {
  clear(container);
  const { map: bmap, nbytes } = byteIndexMap(text);
  const ranges = [];
  for (const sp of spans) {
    if (sp.s < 0 || sp.e > nbytes || sp.s >= nbytes) continue;
    const a = bmap[sp.s], b = bmap[Math.min(sp.e, nbytes)];
    if (b > a) ranges.push({ a, b, cls: sp.cls, label: sp.label, rank: HL_ORDER.indexOf(sp.cls) });
  }
  const cuts = new Set([0, text.length]);
  for (const r of ranges) { cuts.add(r.a); cuts.add(r.b); }
  const pts = Array.from(cuts).sort((x, y) => x - y);
  const firstOf = {};
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i], b = pts[i + 1];
    const seg = text.slice(a, b);
    const active = ranges.filter((r) => r.a <= a && r.b >= b).sort((x, y) => x.rank - y.rank || (y.b - y.a) - (x.b - x.a));
    if (!active.length) { container.appendChild(document.createTextNode(seg)); continue; }
    let outer = null, inner = null;
    for (const r of active) {
      const m = el('mark', r.cls, null, { title: r.label });
      if (r.a === a) m.classList.add('hl-start');
      if (r.b === b) m.classList.add('hl-end');
      if (!firstOf[r.cls]) firstOf[r.cls] = m;
      if (inner) inner.appendChild(m); else outer = m;
      inner = m;
    }
    inner.appendChild(document.createTextNode(seg));
    container.appendChild(outer);
  }
  return firstOf;
}

function renderArticle() {
  const meta = $('article-meta');
  const box = $('article-text');
  clear(meta);
  renderHlLegend($('hl-legend'));
  const art = state.article;
  if (!art) { clear(box); box.appendChild(el('p', 'muted', t('loading'))); return; }
  if (art.error) { clear(box); box.appendChild(el('p', 'error-inline', t('no_article') + ' ' + art.error)); return; }
  const rec = art.record || {};
  const a = rec.article || {};
  meta.appendChild(el('h4', 'article-title', a.title || t('untitled'), { dir: 'auto' }));
  const parts = [a.outlet, a.published, a.language, a.section, a.author].filter((x) => typeof x === 'string' && x);
  const line = el('div', 'muted');
  for (const p of parts) { line.appendChild(name(p)); line.appendChild(document.createTextNode(' · ')); }
  line.appendChild(document.createTextNode(t('article_no', { id: art.id })));
  meta.appendChild(line);
  if (typeof a.url === 'string' && /^https?:\/\//i.test(a.url)) {
    meta.appendChild(el('a', 'article-url', a.url, { href: a.url, rel: 'noopener noreferrer nofollow', target: '_blank', dir: 'ltr' }));
  }
  const text = typeof a.text === 'string' ? a.text : '';
  const lang = typeof a.language === 'string' ? a.language : '';
  box.setAttribute('dir', lang === 'ar' ? 'rtl' : lang === 'en' ? 'ltr' : 'auto');
  if (lang && /^[a-z]{2,3}$/.test(lang)) box.setAttribute('lang', lang); else box.removeAttribute('lang');
  const firstOf = renderHighlighted(box, text, collectSpans(currentReportEvent()));
  const target = firstOf['hl-evidence'] || firstOf['hl-trigger'];
  box.scrollTop = 0;
  if (target) {
    // Scroll the evidence into view inside the text box (and the box into the window when the
    // layout is stacked), without moving the rest of the page.
    requestAnimationFrame(() => {
      const br = box.getBoundingClientRect(), tr = target.getBoundingClientRect();
      if (box.scrollHeight > box.clientHeight + 1) box.scrollTop += tr.top - br.top - Math.min(40, br.height / 4);
      if (window.matchMedia('(max-width: 1000px)').matches) {
        const r2 = target.getBoundingClientRect();
        if (r2.top < 0 || r2.bottom > window.innerHeight) target.scrollIntoView({ block: 'center' });
      }
    });
  }
}

/** The key of the highlight colours. */
export function renderHlLegend(node) {
  clear(node);
  for (const [cls, key] of [['hl-trigger', 'hl_trigger'], ['hl-actor', 'hl_actor'], ['hl-place', 'hl_place'], ['hl-date', 'hl_date'], ['hl-source', 'hl_source'], ['hl-evidence', 'hl_evidence']]) {
    node.appendChild(el('mark', cls + ' hl-key', t(key)));
  }
}
