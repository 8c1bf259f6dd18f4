/* The map (Leaflet, loaded before the modules as a classic script: the global `L`): the
 * neighbouring countries, their provinces and Syria's governorates as the base layer, the events as clustered
 * markers coloured by type, the legend, and the view, which follows the filtered events. */

import { $, el, clear, isNum, dateRange } from './dom.js';
import { state, apply, open, MAP_LIMIT } from './state.js';
import { t, admin1Label, placeName } from './i18n.js';
import { eventTypes, typeLabel, subLabel, typeColour, swatch } from './taxonomy.js';

// geoBoundaries shapeISO -> the admin1 names rasd may store (first is canonical).
const ISO_ADMIN1 = {
  'SYR-DI': ['Damascus'], 'SYR-RD': ['Rif Dimashq'], 'SYR-HL': ['Aleppo'], 'SYR-ID': ['Idlib'],
  'SYR-HM': ['Hama'], 'SYR-HI': ['Homs'], 'SYR-LA': ['Latakia'], 'SYR-TA': ['Tartus'],
  'SYR-DY': ['Deir ez-Zor'], 'SYR-RA': ['Raqqa', 'Ar-Raqqa'], 'SYR-HA': ['Al-Hasakah'],
  'SYR-DR': ['Daraa'], 'SYR-SU': ['As-Suwayda'], 'SYR-QU': ['Quneitra'],
};
/** The colour of the neighbouring countries' borders (their provinces' too). */
const COUNTRY_LINE = '#b9b4a8';
/** The closest the map zooms when it fits the filtered events (one event, or a few in a town). */
const FIT_MAX_ZOOM = 11;

let map = null, clusterLayer = null, adminLayer = null, nearCircle = null, homeLink = null;
const markersById = new Map();
let selectedMarker = null;
let chunkDone = null;   // resolves when markercluster has finished a chunked addLayers
let adminCounts = {};

/** Whether the map exists (the page may run without Leaflet when its script failed). */
export const hasMap = () => map !== null;

/** Builds the map over the governorates `adm1`, the countries `neighbours` and their provinces
 *  `provinces` (either may be null). */
export function initMap(adm1, neighbours, provinces) {
  map = L.map('map', {
    zoomControl: true, attributionControl: true, minZoom: 5, maxZoom: 13,
    zoomSnap: 0.25, preferCanvas: false, worldCopyJump: false,
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution('Boundaries: <a href="https://www.geoboundaries.org/">geoBoundaries</a> (CC BY 3.0 IGO)');

  map.createPane('countries');
  map.getPane('countries').style.zIndex = '350';
  map.createPane('provinces');
  map.getPane('provinces').style.zIndex = '355';
  map.createPane('admin');
  map.getPane('admin').style.zIndex = '360';

  if (neighbours || provinces) {
    map.attributionControl.addAttribution('Countries and provinces: <a href="https://www.naturalearthdata.com/">Natural Earth</a>');
  }
  if (neighbours) {
    L.geoJSON(neighbours, {
      pane: 'countries', interactive: false,
      style: () => ({ color: COUNTRY_LINE, weight: 1, fillColor: '#e4e0d6', fillOpacity: 1 }),
    }).addTo(map);
  }
  if (provinces) {
    // Thinner and fainter than the countries' borders, in their colour, so a border drawn by both
    // looks the same; under Syria's governorates, which hide whatever lies beneath them.
    L.geoJSON(provinces, {
      pane: 'provinces', interactive: false,
      style: () => ({ color: COUNTRY_LINE, weight: 0.6, opacity: 0.8, fill: false }),
    }).addTo(map);
  }

  adminLayer = L.geoJSON(adm1, {
    pane: 'admin',
    style: () => ({ color: '#5f6b73', weight: 1.2, fillColor: '#fbfaf6', fillOpacity: 1 }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(() => adminTooltip(feature), { sticky: true, direction: 'top', className: 'adm-tip', opacity: 1 });
      layer.on('mouseover', () => layer.setStyle({ weight: 2.5, color: '#2b3a44', fillColor: '#f3efe3' }));
      layer.on('mouseout', () => adminLayer.resetStyle(layer));
      layer.on('click', () => {
        const names = ISO_ADMIN1[feature.properties.shapeISO] || [feature.properties.shapeName];
        const known = state.admin1Values.map((v) => v.name);
        const name = names.find((n) => known.indexOf(n) >= 0) || names[0];
        state.filters.admin1 = state.filters.admin1 === name ? '' : name;
        apply();
      });
    },
  }).addTo(map);

  fitSyria();

  const Home = L.Control.extend({
    options: { position: 'topleft' },
    onAdd: () => {
      const box = L.DomUtil.create('div', 'leaflet-bar leaflet-control home-ctl');
      homeLink = el('a', null, '⌂', { href: '#', role: 'button', title: t('home'), 'aria-label': t('home') });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.on(homeLink, 'click', (e) => { L.DomEvent.preventDefault(e); fitSyria(); });
      box.appendChild(homeLink);
      return box;
    },
  });
  new Home().addTo(map);

  clusterLayer = L.markerClusterGroup({
    chunkedLoading: true,
    chunkProgress: (done, total) => { if (done >= total && chunkDone) { const f = chunkDone; chunkDone = null; f(); } },
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    maxClusterRadius: (z) => (z >= 10 ? 30 : 45),
    iconCreateFunction: clusterIcon,
  });
  map.addLayer(clusterLayer);

  map.on('contextmenu', (e) => {
    const lat = e.latlng.lat.toFixed(3), lon = e.latlng.lng.toFixed(3);
    state.filters.near = lat + ',' + lon + ',25';
    apply();
  });
  map.on('moveend', recordView);

  new ResizeObserver(() => map.invalidateSize()).observe($('map'));
}

/** Keeps the map's view in `body[data-map-view]` ("south,west,north,east"), for the browser test. */
function recordView() {
  const b = map.getBounds();
  document.body.dataset.mapView = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map((x) => x.toFixed(4)).join(',');
}

function fitSyria() {
  if (adminLayer && adminLayer.getLayers().length) map.fitBounds(adminLayer.getBounds(), { padding: [12, 12] });
  else map.fitBounds([[32.3, 35.6], [37.4, 42.4]]);
}

/** Zooms to the filtered events (and the `near` circle), or to Syria when none has a place. */
function fitFiltered(layers) {
  const bounds = L.latLngBounds(layers.map((m) => m.getLatLng()));
  if (nearCircle) bounds.extend(nearCircle.getBounds());
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [28, 28], maxZoom: FIT_MAX_ZOOM });
  else fitSyria();
}

/** Updates the home button's label after a language change. */
export function relabelMap() { if (homeLink) { homeLink.title = t('home'); homeLink.setAttribute('aria-label', t('home')); } }

function adminTooltip(feature) {
  const names = ISO_ADMIN1[feature.properties.shapeISO] || [feature.properties.shapeName];
  const box = el('div', 'adm-tip-box');
  box.appendChild(el('strong', null, admin1Label(names[0]), { dir: 'auto' }));
  let n = 0;
  for (const nm of names) n += adminCounts[nm] || 0;
  box.appendChild(el('div', 'muted', n + ' ' + t('events_word')));
  return box;
}

function clusterIcon(cluster) {
  const markers = cluster.getAllChildMarkers();
  const n = markers.length;
  const counts = {};
  for (const m of markers) counts[m.options.eventType] = (counts[m.options.eventType] || 0) + 1;
  let top = null, best = -1;
  for (const k of Object.keys(counts)) if (counts[k] > best) { best = counts[k]; top = k; }
  const size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 44 : 52;
  const div = el('div', 'cluster-inner');
  if (selectedMarker && markers.indexOf(selectedMarker) >= 0) div.classList.add('sel');
  div.style.borderColor = typeColour(top);
  div.style.width = size + 'px';
  div.style.height = size + 'px';
  div.appendChild(el('span', null, String(n)));
  div.title = t('cluster_of', { n });
  return L.divIcon({ html: div, className: 'cluster-icon', iconSize: L.point(size, size) });
}

function markerStyle(type, selected) {
  return {
    radius: selected ? 9 : 6.5,
    color: selected ? '#111' : '#1f2a30',
    weight: selected ? 3 : 1,
    fillColor: typeColour(type),
    fillOpacity: 0.92,
  };
}

function markerTooltip(p) {
  const box = el('div', 'mk-tip');
  const h = el('div', 'mk-tip-type');
  h.appendChild(swatch(p.event_type));
  h.appendChild(el('span', null, subLabel(p.sub_event_type) || typeLabel(p.event_type)));
  box.appendChild(h);
  box.appendChild(el('div', null, [placeName(p), admin1Label(p.admin1)].filter(Boolean).join(', '), { dir: 'auto' }));
  box.appendChild(el('div', 'muted', dateRange(p.date_start, p.date_end)));
  return box;
}

/** Draws `state.geo` as markers and zooms to them; resolves once every marker is on the map. */
export function renderMarkers() {
  clusterLayer.clearLayers();
  markersById.clear();
  selectedMarker = null;
  adminCounts = {};
  const geo = state.geo;
  const layers = [];
  const ids = [];
  if (geo && Array.isArray(geo.features)) {
    for (const f of geo.features) {
      if (!f || !f.geometry || !Array.isArray(f.geometry.coordinates)) continue;
      const [lon, lat] = f.geometry.coordinates;
      if (!isNum(lat) || !isNum(lon)) continue;
      const p = f.properties || {};
      const id = f.id !== undefined ? f.id : p.id;
      const m = L.circleMarker([lat, lon], Object.assign(markerStyle(p.event_type, false), { eventType: p.event_type, eventId: id }));
      m.bindTooltip(() => markerTooltip(p), { direction: 'top', offset: [0, -6], className: 'mk-tip-wrap', opacity: 1 });
      m.on('click', () => open(id, { fromMap: true }));
      layers.push(m);
      markersById.set(String(id), m);
      ids.push(id);
      if (p.admin1) adminCounts[p.admin1] = (adminCounts[p.admin1] || 0) + 1;
    }
  }
  const added = layers.length ? new Promise((resolve) => { chunkDone = resolve; }) : Promise.resolve();
  clusterLayer.addLayers(layers);
  document.body.dataset.markerIds = ids.join(',');

  if (nearCircle) { map.removeLayer(nearCircle); nearCircle = null; }
  if (state.filters.near) {
    const [lat, lon, km] = state.filters.near.split(',').map(Number);
    if (isNum(lat) && isNum(lon) && isNum(km)) {
      nearCircle = L.circle([lat, lon], { radius: km * 1000, color: '#2b3a44', weight: 1.5, dashArray: '4 4', fill: false, interactive: false }).addTo(map);
    }
  }
  fitFiltered(layers);

  const note = $('map-note');
  const total = geo && isNum(geo.total) ? geo.total : ids.length;
  const shown = geo && Array.isArray(geo.features) ? geo.features.length : 0;
  const listTotal = state.list && isNum(state.list.total) ? state.list.total : total;
  clear(note);
  if (total > shown && shown >= MAP_LIMIT) {
    note.appendChild(el('div', 'warn', t('showing', { n: shown, m: total })));
  } else if (listTotal > ids.length && ids.length > 0) {
    note.appendChild(el('div', null, t('no_coords', { n: listTotal - ids.length })));
  }
  if (listTotal === 0) note.appendChild(el('div', null, t('no_events')));
  note.hidden = !note.firstChild;
  highlightSelectedMarker();
  return added;
}

/** Marks the open event on the map: a thick ring on its marker, or on the cluster that holds it.
 *  With `pan`, brings it into view without changing the zoom. */
export function highlightSelectedMarker(pan) {
  const prev = selectedMarker;
  if (prev) { prev.setStyle(markerStyle(prev.options.eventType, false)); selectedMarker = null; }
  const m = state.event ? markersById.get(String(state.event.id)) : null;
  if (m) {
    selectedMarker = m;
    m.setStyle(markerStyle(m.options.eventType, true));
    if (m._map) m.bringToFront();
  }
  const refresh = [prev, m].filter(Boolean);
  if (refresh.length) clusterLayer.refreshClusters(refresh);
  if (m && pan && !map.getBounds().pad(-0.05).contains(m.getLatLng())) map.panTo(m.getLatLng());
}

/** The legend: one button per event type (from the taxonomy), with its count on the map. */
export function renderLegend() {
  const lg = $('legend');
  clear(lg);
  const counts = {};
  if (state.geo && state.geo.features) for (const f of state.geo.features) { const ty = f.properties && f.properties.event_type; counts[ty] = (counts[ty] || 0) + 1; }
  for (const ty of eventTypes()) {
    const row = el('button', 'lg-row' + (state.filters.type === ty ? ' active' : ''), null, { type: 'button', 'data-type': ty });
    row.appendChild(swatch(ty));
    row.appendChild(el('span', 'lg-label', typeLabel(ty)));
    row.appendChild(el('span', 'lg-n', counts[ty] || 0));
    row.addEventListener('click', () => { state.filters.type = state.filters.type === ty ? '' : ty; apply(); });
    lg.appendChild(row);
  }
  lg.appendChild(el('div', 'lg-hint', t('near_hint')));
}
