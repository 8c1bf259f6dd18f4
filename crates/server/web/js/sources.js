/* The sources page (/sources): the state of each watched source, the alert rules and the
 * latest alerts, from GET /api/sources and GET /api/alerts, refreshed on the live stream. */

import { $ } from './dom.js';
import { onChange } from './live.js';

/** A table row of text cells (textContent only: every value comes from elsewhere). */
function row(cells, className) {
  const tr = document.createElement('tr');
  if (className) tr.className = className;
  for (const c of cells) {
    const td = document.createElement('td');
    if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? '' : String(c);
    tr.appendChild(td);
  }
  return tr;
}

function link(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

async function json(path) {
  const res = await fetch(path, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
  const body = await res.json();
  if (!res.ok) throw new Error(body && body.error ? body.error : 'HTTP ' + res.status);
  return body;
}

const DESTINATIONS = ['stdout', 'file', 'webhook'];
const NOT_FILTERS = new Set(DESTINATIONS.concat(['name', 'secret_env']));

async function render() {
  document.body.dataset.ready = '0';
  try {
    const [sources, alerts] = await Promise.all([json('/api/sources'), json('/api/alerts')]);
    const sl = $('source-list');
    sl.replaceChildren(...sources.sources.map((s) => row(
      [s.name, s.kind, s.last_success || 'never', s.items_today, s.items, s.failures, s.next_poll || 'now', s.last_error],
      s.failures > 0 ? 'failing' : '')));
    const rl = $('rule-list');
    rl.replaceChildren(...alerts.rules.map((r) => {
      const rule = r.rule || {};
      const filters = Object.keys(rule).filter((k) => !NOT_FILTERS.has(k) && rule[k] !== null).map((k) => k + ' = ' + rule[k]);
      const to = DESTINATIONS.filter((k) => rule[k]).map((k) => (k === 'stdout' ? k : k + ': ' + rule[k]));
      return row([r.name, filters.join(' · ') || 'every event', to.join(' · ')]);
    }));
    const al = $('alert-list');
    al.replaceChildren(...alerts.alerts.map((a) => row(
      [a.id, a.rule, link('/#event=' + a.cluster_id, a.summary || ('event ' + a.cluster_id)), a.destination,
        a.status + (a.last_error ? ' (' + a.last_error + ')' : '')],
      a.status === 'failed' ? 'failing' : '')));
    $('error').hidden = true;
  } catch (e) {
    $('error-text').textContent = String(e && e.message || e);
    $('error').hidden = false;
  }
  document.body.dataset.ready = '1';
}

render();
onChange(render);
