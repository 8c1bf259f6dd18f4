/* The page's state, its constants, and the two actions other modules ask for (apply the
 * filters, open an event) — registered by main.js, so no module imports its caller. */

/** Rows per page of the list. */
export const PAGE_SIZE = 100;
/** The most markers the map asks for. */
export const MAP_LIMIT = 5000;
/** Event statuses, in menu order. */
export const STATUSES = ['occurred', 'future', 'denied', 'negated'];
/** The map's default confidence threshold: none. Confidence is the likelihood model's probability
 *  (docs/events.md); no threshold makes nine events in ten real on fresh news (docs/accuracy.md),
 *  and a threshold hides real events of event reports, so the map opens on every event. */
const DEFAULT_MIN_CONFIDENCE = '0';

export const state = {
  lang: 'en',
  // min_confidence '0' shows all.
  filters: { type: '', status: '', min_confidence: DEFAULT_MIN_CONFIDENCE, admin1: '', actor: '', text: '', since: '', until: '', near: '' },
  page: 0,
  admin1Values: [],      // from /api/stats (unfiltered), for the select
  geo: null,             // last GeoJSON FeatureCollection
  list: null,            // last list response
  timeline: null,        // last stats response used by the timeline (filters without since/until)
  event: null,           // open event cluster
  reportIdx: 0,          // selected report in the open cluster
  article: null,         // article response of the selected report
  loadSeq: 0,
  panelSeq: 0,
};

/** The current filters as query parameters (without the dates when `noDates`). */
export function filterParams(opts) {
  const f = state.filters, p = {};
  for (const k of Object.keys(f)) {
    if (opts && opts.noDates && (k === 'since' || k === 'until')) continue;
    if (f[k]) p[k] = f[k];
  }
  return p;
}

const actions = {};

/** Registers the page's actions: `apply` (filters changed: reload from page 1) and
 *  `open(id, opts)` (show an event in the panel). */
export function register(named) { Object.assign(actions, named); }

/** The filters changed: reload everything. */
export const apply = () => actions.apply();

/** Opens an event in the panel. */
export const open = (id, opts) => actions.open(id, opts);
