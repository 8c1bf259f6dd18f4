/* The timeline: clusters per day (per week or month over long spans), stacked by type, over the
 * filters without the dates; drag to choose dates. It scales to where the events are: dates far
 * outside, or that no news could carry (a misread year 2 or 2051), are not drawn but listed under
 * it, each a link to its events. */

import { $, el, svgEl, clear, isoDate, ltr } from './dom.js';
import { state, apply } from './state.js';
import { t } from './i18n.js';
import { typeLabel, typeColour, inOrder } from './taxonomy.js';

const DAY = 86400000;
/** Dates listed one by one in the outlier note; the rest are counted. */
const OUTLIERS_LISTED = 12;

/** Milliseconds of a UTC date; unlike Date.UTC, years 0–99 are themselves, not 1900–1999. */
function utc(y, m, d) {
  const x = new Date(0);
  x.setUTCFullYear(y, m, d);
  return x.getTime();
}
const parseDay = (s) => utc(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
const fmtDay = (ms) => new Date(ms).toISOString().slice(0, 10);

const tl = { buckets: [], unit: 'day', geom: null, drag: null };

/** The days of a stats answer, each with its time and total, oldest first. */
function daysOf(stats) {
  const days = [];
  for (const d of (stats && Array.isArray(stats.by_day) ? stats.by_day : [])) {
    if (!d || typeof d.date !== 'string' || !isoDate.test(d.date) || !d.counts) continue;
    let total = 0;
    for (const ty of Object.keys(d.counts)) total += Number(d.counts[ty]) || 0;
    days.push({ date: d.date, ms: parseDay(d.date), counts: d.counts, total });
  }
  return days.sort((a, b) => a.ms - b.ms);
}

/** Splits days into those drawn and the outliers. A day is an outlier when no news could carry it
 *  (before 1900, or more than a year after today: a misread year) or when it lies more than three
 *  interquartile ranges (and at least a year) before the first quartile or after the third of the
 *  plausible days, counting each event once. */
function robustSplit(days) {
  const plausible = (d) => d.ms >= utc(1900, 0, 1) && d.ms <= Date.now() + 366 * DAY;
  const kept = days.filter(plausible);
  const n = kept.reduce((s, d) => s + d.total, 0);
  if (!n) return { inliers: [], outliers: days.filter((d) => d.total) };
  const quantile = (q) => {
    let seen = 0;
    for (const d of kept) { seen += d.total; if (seen >= q * n) return d.ms; }
    return kept[kept.length - 1].ms;
  };
  const q1 = quantile(0.25), q3 = quantile(0.75);
  const fence = Math.max(3 * (q3 - q1), 365 * DAY);
  const inside = (d) => plausible(d) && d.ms >= q1 - fence && d.ms <= q3 + fence;
  return { inliers: days.filter(inside), outliers: days.filter((d) => !inside(d)) };
}

function buildBuckets(days) {
  if (!days.length) return { buckets: [], unit: 'day', start: 0, end: 0 };
  const start = days[0].ms, end = days[days.length - 1].ms;
  const span = (end - start) / DAY + 1;
  const unit = span > 400 ? 'month' : span > 120 ? 'week' : 'day';
  const keyOf = (ms) => {
    if (unit === 'day') return ms;
    if (unit === 'week') { const dow = (new Date(ms).getUTCDay() + 6) % 7; return ms - dow * DAY; }
    const d = new Date(ms); return utc(d.getUTCFullYear(), d.getUTCMonth(), 1);
  };
  const nextOf = (ms) => {
    if (unit === 'day') return ms + DAY;
    if (unit === 'week') return ms + 7 * DAY;
    const d = new Date(ms); return utc(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  };
  const byKey = new Map();
  const first = keyOf(start);
  for (let k = first; k <= end; k = nextOf(k)) byKey.set(k, { start: k, end: nextOf(k), counts: {}, total: 0 });
  for (const d of days) {
    const b = byKey.get(keyOf(d.ms));
    for (const ty of Object.keys(d.counts)) {
      const n = Number(d.counts[ty]) || 0;
      b.counts[ty] = (b.counts[ty] || 0) + n;
      b.total += n;
    }
  }
  return { buckets: Array.from(byKey.values()), unit, start: first, end: nextOf(keyOf(end)) };
}

/** Draws the timeline of `state.timeline` and lists its outlier dates. */
export function renderTimeline() {
  const box = $('timeline');
  clear(box);
  const W = Math.max(200, box.clientWidth || 800);
  const H = Math.max(90, box.clientHeight || 120);
  const m = { l: 34, r: 10, t: 8, b: 20 };
  const { inliers, outliers } = robustSplit(daysOf(state.timeline));
  const built = buildBuckets(inliers);
  tl.buckets = built.buckets; tl.unit = built.unit;
  renderOutliers(inliers, outliers);
  const title = built.unit === 'month' ? 'timeline_month' : built.unit === 'week' ? 'timeline_week' : 'timeline';
  document.querySelector('.tl-title').textContent = t(title);
  const svg = svgEl('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, class: 'tl-svg', role: 'img' });
  box.appendChild(svg);
  if (!tl.buckets.length) {
    const tx = svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'tl-empty' });
    tx.textContent = t('no_events');
    svg.appendChild(tx);
    tl.geom = null;
    updateRangeLabel();
    return;
  }
  const x0 = built.start, x1 = built.end;
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const xs = (ms) => m.l + ((ms - x0) / (x1 - x0)) * pw;
  const inv = (px) => x0 + ((Math.min(Math.max(px, m.l), m.l + pw) - m.l) / pw) * (x1 - x0);
  tl.geom = { xs, inv, m, pw, ph, W, H, x0, x1 };
  let maxN = 1;
  for (const b of tl.buckets) if (b.total > maxN) maxN = b.total;
  const ys = (n) => (n / maxN) * ph;

  // grid + y axis
  const g = svgEl('g', { class: 'tl-axis' });
  for (const v of niceTicks(maxN)) {
    const y = m.t + ph - ys(v);
    g.appendChild(svgEl('line', { x1: m.l, x2: m.l + pw, y1: y, y2: y, class: 'tl-grid' }));
    const tx = svgEl('text', { x: m.l - 5, y: y + 3.5, 'text-anchor': 'end' });
    tx.textContent = String(v);
    g.appendChild(tx);
  }
  svg.appendChild(g);

  // selection shading
  const f = state.filters;
  const selA = f.since && isoDate.test(f.since) ? parseDay(f.since) : null;
  const selB = f.until && isoDate.test(f.until) ? parseDay(f.until) + DAY : null;
  const hasSel = selA !== null || selB !== null;
  if (hasSel) {
    const a = Math.max(x0, selA === null ? x0 : selA), b = Math.min(x1, selB === null ? x1 : selB);
    if (b > a) svg.appendChild(svgEl('rect', { x: xs(a), y: m.t, width: Math.max(1, xs(b) - xs(a)), height: ph, class: 'tl-sel' }));
  }

  // bars
  const bars = svgEl('g', { class: 'tl-bars' });
  for (const b of tl.buckets) {
    if (!b.total) continue;
    const bx0 = xs(b.start), bx1 = xs(b.end);
    const full = bx1 - bx0;
    const bw = Math.max(1, Math.min(full * (full > 4 ? 0.82 : 1), 40));
    const bx = bx0 + (full - bw) / 2;
    const inSel = !hasSel || ((selA === null || b.end > selA) && (selB === null || b.start < selB));
    const grp = svgEl('g', { class: inSel ? '' : 'tl-dim' });
    let y = m.t + ph;
    const order = inOrder(b.counts);
    for (const ty of order) {
      const n = b.counts[ty];
      if (!n) continue;
      const h = ys(n);
      y -= h;
      grp.appendChild(svgEl('rect', { x: bx, y, width: bw, height: Math.max(h, 0.5), class: 'tl-bar', fill: typeColour(ty) }));
    }
    const tip = svgEl('title');
    const lines = [bucketLabel(b)];
    for (const ty of order) if (b.counts[ty]) lines.push(typeLabel(ty) + ': ' + b.counts[ty]);
    tip.textContent = lines.join('\n');
    grp.appendChild(tip);
    bars.appendChild(grp);
  }
  svg.appendChild(bars);

  // x axis labels
  const xa = svgEl('g', { class: 'tl-axis' });
  xa.appendChild(svgEl('line', { x1: m.l, x2: m.l + pw, y1: m.t + ph + 0.5, y2: m.t + ph + 0.5, class: 'tl-base' }));
  for (const tk of timeTicks(x0, x1, pw)) {
    const x = xs(tk.ms);
    xa.appendChild(svgEl('line', { x1: x, x2: x, y1: m.t + ph, y2: m.t + ph + 4, class: 'tl-base' }));
    const tx = svgEl('text', { x, y: H - 5, 'text-anchor': 'middle' });
    tx.textContent = tk.label;
    xa.appendChild(tx);
  }
  svg.appendChild(xa);

  // brush overlay
  const brush = svgEl('rect', { x: 0, y: m.t, width: 0, height: ph, class: 'tl-brush', visibility: 'hidden' });
  svg.appendChild(brush);
  const overlay = svgEl('rect', { x: m.l, y: 0, width: pw, height: H, class: 'tl-overlay' });
  svg.appendChild(overlay);
  attachBrush(svg, overlay, brush);
  updateRangeLabel();
}

/** Lists the days left out of the timeline, each a button that shows that day's events. */
function renderOutliers(inliers, outliers) {
  const note = $('tl-outliers');
  clear(note);
  note.hidden = !outliers.length;
  if (!outliers.length) return;
  const n = outliers.reduce((s, d) => s + d.total, 0);
  const key = (inliers.length ? 'outliers' : 'outliers_all') + (n === 1 ? '_one' : '');
  const head = inliers.length
    ? t(key, { n, lo: ltr(inliers[0].date), hi: ltr(inliers[inliers.length - 1].date) })
    : t(key, { n });
  note.appendChild(el('span', 'tl-out-head', head));
  for (const d of outliers.slice(0, OUTLIERS_LISTED)) {
    const b = el('button', 'link tl-out-date', d.total > 1 ? d.date + ' (' + d.total + ')' : d.date,
      { type: 'button', dir: 'ltr', 'data-date': d.date, title: t('outlier_title', { d: d.date }) });
    b.addEventListener('click', () => { state.filters.since = d.date; state.filters.until = d.date; apply(); });
    note.appendChild(b);
  }
  if (outliers.length > OUTLIERS_LISTED) note.appendChild(el('span', 'muted', t('outliers_more', { n: outliers.length - OUTLIERS_LISTED })));
}

function bucketLabel(b) {
  if (tl.unit === 'day') return fmtDay(b.start);
  if (tl.unit === 'month') return fmtDay(b.start).slice(0, 7);
  return fmtDay(b.start) + ' … ' + fmtDay(b.end - DAY);
}

function niceTicks(max) {
  const step = max <= 4 ? 1 : Math.pow(10, Math.floor(Math.log10(max / 2))) * ([1, 2, 5].find((s) => max / (s * Math.pow(10, Math.floor(Math.log10(max / 2)))) <= 5) || 10);
  const out = [];
  for (let v = step; v <= max; v += step) out.push(Math.round(v));
  if (!out.length || out[out.length - 1] !== max) { if (!out.length || max - out[out.length - 1] > step / 2) out.push(max); }
  return out.slice(-5);
}

function timeTicks(x0, x1, pw) {
  const days = (x1 - x0) / DAY;
  const maxLabels = Math.max(2, Math.floor(pw / 80));
  const out = [];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  if (days <= maxLabels * 31 && days <= 200) {
    const steps = [1, 2, 7, 14];
    const step = steps.find((s) => days / s <= maxLabels) || 28;
    for (let ms = x0; ms < x1; ms += step * DAY) {
      const d = new Date(ms);
      const yr = out.length === 0 || d.getUTCMonth() === 0 && d.getUTCDate() <= step ? ' ' + d.getUTCFullYear() : '';
      out.push({ ms: days <= 3 ? ms + DAY / 2 : ms, label: d.getUTCDate() + ' ' + mon[d.getUTCMonth()] + yr });
    }
  } else {
    const months = days / 30.4;
    const step = [1, 2, 3, 6, 12].find((s) => months / s <= maxLabels) || 24;
    const d = new Date(x0);
    let y = d.getUTCFullYear(), mo = d.getUTCMonth() + 1;
    if (mo > 11) { mo = 0; y++; }
    for (;;) {
      const ms = utc(y, mo, 1);
      if (ms >= x1) break;
      if (mo % step === 0 || step === 1) out.push({ ms, label: (mo === 0 || out.length === 0 ? mon[mo] + ' ' + y : mon[mo]) });
      mo++;
      if (mo > 11) { mo = 0; y++; }
    }
  }
  return out;
}

function attachBrush(svg, overlay, brush) {
  const local = (ev) => {
    const r = svg.getBoundingClientRect();
    return (ev.clientX - r.left) * (tl.geom.W / r.width);
  };
  overlay.addEventListener('pointerdown', (ev) => {
    if (!tl.geom || ev.button !== 0) return;
    ev.preventDefault();
    overlay.setPointerCapture(ev.pointerId);
    const x = local(ev);
    tl.drag = { a: x, b: x };
    drawBrush(brush);
  });
  overlay.addEventListener('pointermove', (ev) => {
    if (!tl.drag) return;
    tl.drag.b = local(ev);
    drawBrush(brush);
  });
  const finish = (ev) => {
    if (!tl.drag) return;
    const d = tl.drag;
    tl.drag = null;
    try { overlay.releasePointerCapture(ev.pointerId); } catch (e) { /* ignore */ }
    const g = tl.geom;
    const lo = Math.min(d.a, d.b), hi = Math.max(d.a, d.b);
    let since, until;
    if (hi - lo < 3) {
      // a click: select the bucket under the pointer
      const ms = g.inv(lo);
      const b = tl.buckets.find((bk) => ms >= bk.start && ms < bk.end);
      if (!b) { brush.setAttribute('visibility', 'hidden'); return; }
      since = b.start; until = b.end - DAY;
    } else {
      since = Math.floor((g.inv(lo) - g.x0) / DAY) * DAY + g.x0;
      until = Math.ceil((g.inv(hi) - g.x0) / DAY) * DAY + g.x0 - DAY;
      if (until < since) until = since;
    }
    state.filters.since = fmtDay(since);
    state.filters.until = fmtDay(until);
    apply();
  };
  overlay.addEventListener('pointerup', finish);
  overlay.addEventListener('pointercancel', () => { tl.drag = null; brush.setAttribute('visibility', 'hidden'); });
}

function drawBrush(brush) {
  const g = tl.geom, d = tl.drag;
  const clamp = (x) => Math.min(Math.max(x, g.m.l), g.m.l + g.pw);
  const a = clamp(Math.min(d.a, d.b)), b = clamp(Math.max(d.a, d.b));
  brush.setAttribute('x', a);
  brush.setAttribute('width', Math.max(1, b - a));
  brush.setAttribute('visibility', 'visible');
}

/** Shows the chosen dates above the timeline, with a button that clears them. */
export function updateRangeLabel() {
  const f = state.filters;
  const lab = $('tl-range');
  lab.textContent = (f.since || f.until) ? (f.since || '…') + ' → ' + (f.until || '…') : '';
  $('tl-clear').hidden = !(f.since || f.until);
}
