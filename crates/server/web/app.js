/* rasd serve — browser UI.
 *
 * Plain ES2020, no build step. Loaded after Leaflet and leaflet.markercluster (defer, in order).
 * Security: everything that comes from the API is untrusted. It only ever reaches the page via
 * textContent / attributes set through the DOM API, never via innerHTML or HTML strings.
 * The page runs under a strict CSP (no inline script or style attributes).
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- constants

  const EVENT_TYPES = [
    'Battles',
    'Explosions/Remote violence',
    'Violence against civilians',
    'Protests',
    'Riots',
    'Strategic developments',
  ];
  // Paul Tol's "bright" qualitative scheme (colour-blind safe).
  const TYPE_COLOURS = {
    'Battles': '#EE6677',
    'Explosions/Remote violence': '#AA3377',
    'Violence against civilians': '#CCBB44',
    'Protests': '#4477AA',
    'Riots': '#66CCEE',
    'Strategic developments': '#228833',
  };
  const OTHER_COLOUR = '#888888';
  const STATUSES = ['occurred', 'future', 'denied', 'negated'];
  const PAGE_SIZE = 100;
  const MAP_LIMIT = 5000;

  // geoBoundaries shapeISO -> the admin1 names rasd may store (first is canonical).
  const ISO_ADMIN1 = {
    'SYR-DI': ['Damascus'], 'SYR-RD': ['Rif Dimashq'], 'SYR-HL': ['Aleppo'], 'SYR-ID': ['Idlib'],
    'SYR-HM': ['Hama'], 'SYR-HI': ['Homs'], 'SYR-LA': ['Latakia'], 'SYR-TA': ['Tartus'],
    'SYR-DY': ['Deir ez-Zor'], 'SYR-RA': ['Raqqa', 'Ar-Raqqa'], 'SYR-HA': ['Al-Hasakah'],
    'SYR-DR': ['Daraa'], 'SYR-SU': ['As-Suwayda'], 'SYR-QU': ['Quneitra'],
  };

  const STRINGS = {
    en: {
      tagline: 'Conflict events extracted from the news',
      f_type: 'Event type', f_status: 'Status', f_confidence: 'Confidence', f_admin1: 'Governorate', f_actor: 'Actor', f_text: 'Text',
      f_since: 'From', f_until: 'To', any: 'Any', apply: 'Apply', reset: 'Reset',
      ph_actor: 'e.g. Islamic State', ph_text: 'words, Arabic or English',
      events_word: 'events', loading: 'Loading…', timeline: 'Events per day', timeline_week: 'Events per week',
      timeline_month: 'Events per month',
      tl_hint: 'drag to select dates', clear: 'clear', home: 'Show all of Syria',
      panel_empty: 'Select an event on the map or in the list to read how it was reported.',
      sources_h: 'Reports', chain_h: 'Attribution chain (outermost → innermost)', article_h: 'Article',
      list_h: 'Events', prev: '‹ Previous', next: 'Next ›', page: 'page {p} of {n}', rows: '{a}–{b} of {t}',
      c_date: 'Date', c_type: 'Type', c_place: 'Place', c_actors: 'Actors', c_fat: 'Killed', c_sources: 'Sources',
      foot: 'rasd records what published sources say; every field is tied to the words of the source.',
      attrib_link: 'Data & licences',
      showing: 'showing {n} of {m} events on the map — narrow the filters',
      no_coords: '{n} of these events have no coordinates and are only in the list',
      no_events: 'No events match these filters.',
      k_date: 'When', k_place: 'Where', k_actors: 'Who', k_fat: 'Killed', k_injured: 'Injured',
      k_resp: 'Responsibility', k_conf: 'Confidence', k_coords: 'Coordinates',
      prec_date: { 1: 'exact day', 2: 'within a week', 3: 'month or longer' },
      prec_geo: { 1: 'the place itself', 2: 'near / part of a district', 3: 'region or governorate' },
      precision: 'precision', cluster_est: 'best estimate', per_source: 'by source', unknown: 'not stated',
      reports_n: '{n} reports', report_n: '1 report', published: 'published', via: 'via',
      claimed_by: 'claimed by', attributed_to: 'attributed to', unclaimed: 'unclaimed',
      no_article: 'The article text could not be loaded.', no_chain: 'No source recorded.',
      hl_trigger: 'trigger', hl_actor: 'actor', hl_place: 'place', hl_date: 'date', hl_source: 'source', hl_evidence: 'evidence',
      near: 'within {km} km of {lat}, {lon}', since_chip: 'from {d}', until_chip: 'to {d}',
      near_hint: 'Right-click the map to find events near a point.',
      cluster_of: '{n} events', open: 'open', selected_report: 'shown below',
      error_net: 'Could not reach the server', err_prefix: 'Error',
      untitled: '(untitled)', none: '—', article_no: 'article #{id}', conf: 'confidence {c}',
      kind: { outlet: 'outlet', person: 'person', organization: 'organization', platform: 'platform', unnamed: 'unnamed source' },
    },
    ar: {
      tagline: 'أحداث النزاع مستخرجة من الأخبار',
      f_type: 'نوع الحدث', f_status: 'الحالة', f_confidence: 'الثقة', f_admin1: 'المحافظة', f_actor: 'الفاعل', f_text: 'نص',
      f_since: 'من', f_until: 'إلى', any: 'الكل', apply: 'تطبيق', reset: 'إعادة ضبط',
      ph_actor: 'مثلاً: Islamic State', ph_text: 'كلمات بالعربية أو الإنجليزية',
      events_word: 'حدثاً', loading: 'جارٍ التحميل…', timeline: 'الأحداث يومياً', timeline_week: 'الأحداث أسبوعياً',
      timeline_month: 'الأحداث شهرياً',
      tl_hint: 'اسحب لتحديد فترة', clear: 'مسح', home: 'عرض سوريا كاملة',
      panel_empty: 'اختر حدثاً على الخريطة أو في القائمة لقراءة كيف نُقل.',
      sources_h: 'التقارير', chain_h: 'سلسلة الإسناد (من الناقل إلى المصدر الأصلي)', article_h: 'المقال',
      list_h: 'الأحداث', prev: '› السابق', next: 'التالي ‹', page: 'صفحة {p} من {n}', rows: '{a}–{b} من {t}',
      c_date: 'التاريخ', c_type: 'النوع', c_place: 'المكان', c_actors: 'الفاعلون', c_fat: 'قتلى', c_sources: 'المصادر',
      foot: 'يسجّل رصد ما تقوله المصادر المنشورة؛ كل حقل مرتبط بكلمات المصدر.',
      attrib_link: 'البيانات والتراخيص',
      showing: 'تُعرض {n} من {m} حدثاً على الخريطة — ضيّق المرشحات',
      no_coords: '{n} من هذه الأحداث بلا إحداثيات وتظهر في القائمة فقط',
      no_events: 'لا أحداث تطابق هذه المرشحات.',
      k_date: 'متى', k_place: 'أين', k_actors: 'من', k_fat: 'قتلى', k_injured: 'جرحى',
      k_resp: 'المسؤولية', k_conf: 'الثقة', k_coords: 'الإحداثيات',
      prec_date: { 1: 'يوم محدد', 2: 'خلال أسبوع', 3: 'شهر أو أكثر' },
      prec_geo: { 1: 'المكان نفسه', 2: 'بالقرب منه / جزء من منطقة', 3: 'منطقة أو محافظة' },
      precision: 'الدقة', cluster_est: 'التقدير الأرجح', per_source: 'حسب المصدر', unknown: 'غير مذكور',
      reports_n: '{n} تقارير', report_n: 'تقرير واحد', published: 'نُشر', via: 'عبر',
      claimed_by: 'تبنّته', attributed_to: 'نُسب إلى', unclaimed: 'لم تتبنّه أي جهة',
      no_article: 'تعذّر تحميل نص المقال.', no_chain: 'لا مصدر مسجّل.',
      hl_trigger: 'الفعل', hl_actor: 'فاعل', hl_place: 'مكان', hl_date: 'تاريخ', hl_source: 'مصدر', hl_evidence: 'الدليل',
      near: 'ضمن {km} كم من {lat}، {lon}', since_chip: 'من {d}', until_chip: 'إلى {d}',
      near_hint: 'انقر بالزر الأيمن على الخريطة للبحث عن أحداث قريبة.',
      cluster_of: '{n} أحداث', open: 'فتح', selected_report: 'معروض أدناه',
      error_net: 'تعذّر الاتصال بالخادم', err_prefix: 'خطأ',
      untitled: '(بلا عنوان)', none: '—', article_no: 'المقال رقم {id}', conf: 'الثقة {c}',
      kind: { outlet: 'وسيلة إعلام', person: 'شخص', organization: 'منظمة', platform: 'منصة', unnamed: 'مصدر غير مسمّى' },
    },
  };

  const TYPE_AR = {
    'Battles': 'معارك',
    'Explosions/Remote violence': 'انفجارات/عنف عن بُعد',
    'Violence against civilians': 'عنف ضد المدنيين',
    'Protests': 'احتجاجات',
    'Riots': 'أعمال شغب',
    'Strategic developments': 'تطورات استراتيجية',
  };
  const SUBTYPE_AR = {
    'Armed clash': 'اشتباك مسلح',
    'Government regains territory': 'استعادة الحكومة أراضيَ',
    'Non-state actor overtakes territory': 'سيطرة جهة غير حكومية على أراضٍ',
    'Chemical weapon': 'سلاح كيميائي',
    'Air/drone strike': 'غارة جوية/بطائرة مسيّرة',
    'Suicide bomb': 'تفجير انتحاري',
    'Shelling/artillery/missile attack': 'قصف مدفعي/صاروخي',
    'Remote explosive/landmine/IED': 'عبوة ناسفة/لغم',
    'Grenade': 'قنبلة يدوية',
    'Sexual violence': 'عنف جنسي',
    'Attack': 'هجوم',
    'Abduction/forced disappearance': 'خطف/إخفاء قسري',
    'Peaceful protest': 'احتجاج سلمي',
    'Protest with intervention': 'احتجاج مع تدخّل',
    'Excessive force against protesters': 'قوة مفرطة ضد المحتجين',
    'Violent demonstration': 'مظاهرة عنيفة',
    'Mob violence': 'عنف جماعي',
    'Agreement': 'اتفاق',
    'Arrests': 'اعتقالات',
    'Change to group/activity': 'تغيّر في جماعة/نشاط',
    'Disrupted weapons use': 'إحباط استخدام أسلحة',
    'Headquarters or base established': 'إنشاء مقر أو قاعدة',
    'Looting/property destruction': 'نهب/تدمير ممتلكات',
    'Non-violent transfer of territory': 'انتقال غير عنيف لأراضٍ',
    'Other': 'أخرى',
  };
  const STATUS_LABEL = {
    en: { occurred: 'occurred', future: 'future / announced', denied: 'denied', negated: 'did not happen' },
    ar: { occurred: 'وقع', future: 'مستقبلي / مُعلن', denied: 'نفته جهة', negated: 'لم يقع' },
  };
  const ADMIN1_AR = {
    'Damascus': 'دمشق', 'Rif Dimashq': 'ريف دمشق', 'Aleppo': 'حلب', 'Idlib': 'إدلب', 'Hama': 'حماة',
    'Homs': 'حمص', 'Latakia': 'اللاذقية', 'Tartus': 'طرطوس', 'Deir ez-Zor': 'دير الزور', 'Raqqa': 'الرقة',
    'Ar-Raqqa': 'الرقة', 'Al-Hasakah': 'الحسكة', 'Daraa': 'درعا', 'As-Suwayda': 'السويداء', 'Quneitra': 'القنيطرة',
  };
  const INTER_AR = {
    'State forces': 'قوات حكومية', 'Rebel group': 'جماعة متمردة', 'Political militia': 'ميليشيا سياسية',
    'Identity militia': 'ميليشيا هوياتية', 'Rioters': 'مشاغبون', 'Protesters': 'محتجون', 'Civilians': 'مدنيون',
    'External/Other forces': 'قوات خارجية/أخرى',
  };

  // ---------------------------------------------------------------- state

  /** The map's default confidence threshold, calibrated on the audited samples. */
  const DEFAULT_MIN_CONFIDENCE = '0.7';

  const state = {
    lang: 'en',
    // min_confidence starts at the calibrated threshold (docs/accuracy.md); '0' shows all.
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
  const articleCache = new Map();

  // ---------------------------------------------------------------- helpers

  const $ = (id) => document.getElementById(id);

  function t(key, vars) {
    let s = STRINGS[state.lang][key];
    if (s === undefined) s = STRINGS.en[key];
    if (s === undefined) return key;
    if (vars && typeof s === 'string') {
      s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined && vars[k] !== null ? String(vars[k]) : m));
    }
    return s;
  }

  /** createElement with optional class, text and attributes (all via DOM APIs). */
  function el(tag, cls, text, attrs) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (attrs) for (const k of Object.keys(attrs)) { if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, String(attrs[k])); }
    return e;
  }
  const svgEl = (tag, attrs) => {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    if (attrs) for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
    return e;
  };
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  const typeLabel = (ty) => (state.lang === 'ar' && TYPE_AR[ty]) ? TYPE_AR[ty] : (ty || '');
  const subLabel = (st) => (state.lang === 'ar' && SUBTYPE_AR[st]) ? SUBTYPE_AR[st] : (st || '');
  const statusLabel = (s) => (STATUS_LABEL[state.lang][s] || s || '');
  const admin1Label = (a) => (state.lang === 'ar' && ADMIN1_AR[a]) ? ADMIN1_AR[a] : (a || '');
  const interLabel = (i) => (state.lang === 'ar' && INTER_AR[i]) ? INTER_AR[i] : (i || '');
  const typeColour = (ty) => TYPE_COLOURS[ty] || OTHER_COLOUR;
  const typeClass = (ty) => 'ty-' + (EVENT_TYPES.indexOf(ty) >= 0 ? EVENT_TYPES.indexOf(ty) : 'x');
  const isNum = (x) => typeof x === 'number' && isFinite(x);
  const isoDate = /^\d{4}-\d{2}-\d{2}$/;

  function placeName(s) {
    if (!s) return '';
    if (state.lang === 'ar' && s.location_ar) return s.location_ar;
    return s.location || s.location_ar || '';
  }

  function dateRange(a, b) {
    if (!a) return '';
    if (!b || a === b) return a;
    return a + ' … ' + b;
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {}

  async function api(path, params) {
    const qs = new URLSearchParams();
    if (params) for (const k of Object.keys(params)) { const v = params[k]; if (v !== '' && v !== null && v !== undefined) qs.set(k, String(v)); }
    const url = path + (qs.toString() ? '?' + qs.toString() : '');
    let res;
    try {
      res = await fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
    } catch (e) {
      throw new ApiError(t('error_net'));
    }
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const msg = body && typeof body.error === 'string' ? body.error : ('HTTP ' + res.status);
      throw new ApiError(msg);
    }
    if (body === null) throw new ApiError('HTTP ' + res.status + ': invalid JSON');
    return body;
  }

  async function fetchStatic(url) {
    const res = await fetch(url, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
    return res.json();
  }

  function showError(msg) {
    $('error-text').textContent = t('err_prefix') + ': ' + msg;
    $('error').hidden = false;
  }
  function hideError() { $('error').hidden = true; }

  // ---------------------------------------------------------------- filters

  function filterParams(opts) {
    const f = state.filters, p = {};
    for (const k of Object.keys(f)) {
      if (opts && opts.noDates && (k === 'since' || k === 'until')) continue;
      if (f[k]) p[k] = f[k];
    }
    return p;
  }

  function readForm() {
    state.filters.type = $('filter-type').value;
    state.filters.status = $('filter-status').value;
    state.filters.min_confidence = $('filter-min_confidence').value;
    state.filters.admin1 = $('filter-admin1').value;
    state.filters.actor = $('filter-actor').value.trim();
    state.filters.text = $('filter-text').value.trim();
    state.filters.since = $('filter-since').value;
    state.filters.until = $('filter-until').value;
  }

  function writeForm() {
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

  function readUrl() {
    const q = new URLSearchParams(location.search);
    for (const k of Object.keys(state.filters)) { const v = q.get(k); if (v) state.filters[k] = v; }
    const p = parseInt(q.get('page') || '', 10);
    if (p > 0) state.page = p - 1;
    const lang = q.get('lang') || safeStorage('get', 'rasd.lang');
    if (lang === 'ar' || lang === 'en') state.lang = lang;
    const m = /(?:^#|&)event=(\d+)/.exec(location.hash);
    return m ? parseInt(m[1], 10) : null;
  }

  function writeUrl() {
    const q = new URLSearchParams(filterParams());
    if (state.page > 0) q.set('page', String(state.page + 1));
    if (state.lang !== 'en') q.set('lang', state.lang);
    const hash = state.event ? '#event=' + state.event.id : '';
    const url = location.pathname + (q.toString() ? '?' + q.toString() : '') + hash;
    try { history.replaceState(null, '', url); } catch (e) { /* ignore */ }
  }

  function safeStorage(op, k, v) {
    try { return op === 'get' ? localStorage.getItem(k) : localStorage.setItem(k, v); } catch (e) { return null; }
  }

  function fillStaticSelects() {
    const ts = $('filter-type');
    const cur = ts.value;
    clear(ts);
    ts.appendChild(el('option', null, t('any'), { value: '' }));
    for (const ty of EVENT_TYPES) ts.appendChild(el('option', null, typeLabel(ty), { value: ty }));
    ensureOption(ts, state.filters.type);
    ts.value = cur || state.filters.type;

    const ss = $('filter-status');
    const scur = ss.value;
    clear(ss);
    ss.appendChild(el('option', null, t('any'), { value: '' }));
    for (const s of STATUSES) ss.appendChild(el('option', null, statusLabel(s), { value: s }));
    ss.value = scur || state.filters.status;

    fillAdmin1Select();
  }

  function fillAdmin1Select() {
    const as = $('filter-admin1');
    const cur = as.value || state.filters.admin1;
    clear(as);
    as.appendChild(el('option', null, t('any'), { value: '' }));
    const vals = state.admin1Values.slice().sort((a, b) => admin1Label(a.name).localeCompare(admin1Label(b.name), state.lang));
    for (const v of vals) as.appendChild(el('option', null, admin1Label(v.name) + ' (' + v.n + ')', { value: v.name }));
    ensureOption(as, cur);
    as.value = cur;
  }

  function renderChips() {
    const box = $('chips');
    clear(box);
    const f = state.filters;
    const add = (label, onRemove) => {
      const c = el('span', 'chip');
      c.appendChild(el('span', null, label, { dir: 'auto' }));
      const b = el('button', 'chip-x', '×', { type: 'button', 'aria-label': t('clear') });
      b.addEventListener('click', onRemove);
      c.appendChild(b);
      box.appendChild(c);
    };
    if (f.since) add(t('since_chip', { d: f.since }), () => { f.since = ''; applyAndReload(); });
    if (f.until) add(t('until_chip', { d: f.until }), () => { f.until = ''; applyAndReload(); });
    if (f.near) {
      const [lat, lon, km] = f.near.split(',');
      add(t('near', { lat, lon, km }), () => { f.near = ''; applyAndReload(); });
    }
    box.hidden = !box.firstChild;
  }

  function applyAndReload() {
    state.page = 0;
    writeForm();
    reload();
  }

  // ---------------------------------------------------------------- map

  let map = null, clusterLayer = null, adminLayer = null, nearCircle = null, homeLink = null;
  const markersById = new Map();
  let selectedMarker = null;
  let chunkDone = null;   // resolves when markercluster has finished a chunked addLayers
  let adminCounts = {};

  function initMap(adm1, neighbours) {
    map = L.map('map', {
      zoomControl: true, attributionControl: true, minZoom: 5, maxZoom: 13,
      zoomSnap: 0.25, preferCanvas: false, worldCopyJump: false,
    });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.attributionControl.addAttribution('Boundaries: <a href="https://www.geoboundaries.org/">geoBoundaries</a> (CC BY 3.0 IGO)');

    map.createPane('countries');
    map.getPane('countries').style.zIndex = '350';
    map.createPane('admin');
    map.getPane('admin').style.zIndex = '360';

    if (neighbours) {
      map.attributionControl.addAttribution('Countries: <a href="https://www.naturalearthdata.com/">Natural Earth</a>');
      L.geoJSON(neighbours, {
        pane: 'countries', interactive: false,
        style: () => ({ color: '#b9b4a8', weight: 1, fillColor: '#e4e0d6', fillOpacity: 1 }),
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
          applyAndReload();
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
      applyAndReload();
    });

    new ResizeObserver(() => map.invalidateSize()).observe($('map'));
  }

  function fitSyria() {
    if (adminLayer) map.fitBounds(adminLayer.getBounds(), { padding: [12, 12] });
    else map.fitBounds([[32.3, 35.6], [37.4, 42.4]]);
  }

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
    h.appendChild(el('span', 'swatch ' + typeClass(p.event_type)));
    h.appendChild(el('span', null, subLabel(p.sub_event_type) || typeLabel(p.event_type)));
    box.appendChild(h);
    box.appendChild(el('div', null, [placeName(p), admin1Label(p.admin1)].filter(Boolean).join(', '), { dir: 'auto' }));
    box.appendChild(el('div', 'muted', dateRange(p.date_start, p.date_end)));
    return box;
  }

  function renderMarkers() {
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
        m.on('click', () => openEvent(id, { fromMap: true }));
        layers.push(m);
        markersById.set(String(id), m);
        ids.push(id);
        if (p.admin1) adminCounts[p.admin1] = (adminCounts[p.admin1] || 0) + 1;
      }
    }
    const added = layers.length ? new Promise((resolve) => { chunkDone = resolve; }) : Promise.resolve();
    clusterLayer.addLayers(layers);
    document.body.dataset.markerIds = ids.join(',');
    if (layers.length) {
      const view = map.getBounds();
      if (!layers.some((m) => view.contains(m.getLatLng()))) fitSyria();
    }

    if (nearCircle) { map.removeLayer(nearCircle); nearCircle = null; }
    if (state.filters.near) {
      const [lat, lon, km] = state.filters.near.split(',').map(Number);
      if (isNum(lat) && isNum(lon) && isNum(km)) {
        nearCircle = L.circle([lat, lon], { radius: km * 1000, color: '#2b3a44', weight: 1.5, dashArray: '4 4', fill: false, interactive: false }).addTo(map);
      }
    }

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

  /** Mark the open event on the map: a thick ring on its marker, or on the cluster that holds it.
   *  With `pan`, bring it into view without changing the zoom. */
  function highlightSelectedMarker(pan) {
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

  function renderLegend() {
    const lg = $('legend');
    clear(lg);
    const counts = {};
    if (state.geo && state.geo.features) for (const f of state.geo.features) { const ty = f.properties && f.properties.event_type; counts[ty] = (counts[ty] || 0) + 1; }
    for (const ty of EVENT_TYPES) {
      const row = el('button', 'lg-row' + (state.filters.type === ty ? ' active' : ''), null, { type: 'button' });
      row.appendChild(el('span', 'swatch ' + typeClass(ty)));
      row.appendChild(el('span', 'lg-label', typeLabel(ty)));
      row.appendChild(el('span', 'lg-n', counts[ty] || 0));
      row.addEventListener('click', () => { state.filters.type = state.filters.type === ty ? '' : ty; applyAndReload(); });
      lg.appendChild(row);
    }
    lg.appendChild(el('div', 'lg-hint', t('near_hint')));
  }

  // ---------------------------------------------------------------- timeline

  const DAY = 86400000;
  const parseDay = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
  const fmtDay = (ms) => new Date(ms).toISOString().slice(0, 10);

  const tl = { buckets: [], x0: 0, x1: 0, unit: 'day', geom: null, drag: null };

  function buildBuckets(stats) {
    const days = (stats && Array.isArray(stats.by_day) ? stats.by_day : []).filter((d) => d && typeof d.date === 'string' && isoDate.test(d.date));
    if (!days.length) return { buckets: [], unit: 'day', start: 0, end: 0 };
    let start = parseDay(days[0].date), end = parseDay(days[days.length - 1].date);
    for (const d of days) { const v = parseDay(d.date); if (v < start) start = v; if (v > end) end = v; }
    const span = (end - start) / DAY + 1;
    const unit = span > 400 ? 'month' : span > 120 ? 'week' : 'day';
    const keyOf = (ms) => {
      if (unit === 'day') return ms;
      if (unit === 'week') { const dow = (new Date(ms).getUTCDay() + 6) % 7; return ms - dow * DAY; }
      const d = new Date(ms); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    };
    const nextOf = (ms) => {
      if (unit === 'day') return ms + DAY;
      if (unit === 'week') return ms + 7 * DAY;
      const d = new Date(ms); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    };
    const map_ = new Map();
    const first = keyOf(start);
    for (let k = first; k <= end; k = nextOf(k)) map_.set(k, { start: k, end: nextOf(k), counts: {}, total: 0 });
    for (const d of days) {
      const b = map_.get(keyOf(parseDay(d.date)));
      if (!b || !d.counts) continue;
      for (const ty of Object.keys(d.counts)) {
        const n = Number(d.counts[ty]) || 0;
        b.counts[ty] = (b.counts[ty] || 0) + n;
        b.total += n;
      }
    }
    return { buckets: Array.from(map_.values()), unit, start: first, end: nextOf(keyOf(end)) };
  }

  function renderTimeline() {
    const box = $('timeline');
    clear(box);
    const W = Math.max(200, box.clientWidth || 800);
    const H = Math.max(90, box.clientHeight || 120);
    const m = { l: 34, r: 10, t: 8, b: 20 };
    const built = buildBuckets(state.timeline);
    tl.buckets = built.buckets; tl.unit = built.unit;
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
      const order = EVENT_TYPES.concat(Object.keys(b.counts).filter((k) => EVENT_TYPES.indexOf(k) < 0));
      for (const ty of order) {
        const n = b.counts[ty];
        if (!n) continue;
        const h = ys(n);
        y -= h;
        grp.appendChild(svgEl('rect', { x: bx, y, width: bw, height: Math.max(h, 0.5), class: 'tl-bar ' + typeClass(ty) }));
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
    const brush = svgEl('rect', { x: 0, y: 0, width: 0, height: ph, class: 'tl-brush' });
    brush.setAttribute('y', m.t);
    brush.setAttribute('visibility', 'hidden');
    svg.appendChild(brush);
    const overlay = svgEl('rect', { x: m.l, y: 0, width: pw, height: H, class: 'tl-overlay' });
    svg.appendChild(overlay);
    attachBrush(svg, overlay, brush);
    updateRangeLabel();
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
      let step = steps.find((s) => days / s <= maxLabels) || 28;
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
        const ms = Date.UTC(y, mo, 1);
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
      let lo = Math.min(d.a, d.b), hi = Math.max(d.a, d.b);
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
      applyAndReload();
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

  function updateRangeLabel() {
    const f = state.filters;
    const lab = $('tl-range');
    lab.textContent = (f.since || f.until) ? (f.since || '…') + ' → ' + (f.until || '…') : '';
    $('tl-clear').hidden = !(f.since || f.until);
  }

  // ---------------------------------------------------------------- list

  function renderList() {
    const tb = $('event-list');
    clear(tb);
    const data = state.list;
    const evs = data && Array.isArray(data.events) ? data.events : [];
    if (!evs.length) {
      const tr = el('tr', 'empty');
      const td = el('td', null, t('no_events'), { colspan: 6 });
      tr.appendChild(td);
      tb.appendChild(tr);
    }
    for (const s of evs) {
      const tr = el('tr', 'ev-row', null, { 'data-event-id': s.id, tabindex: 0 });
      if (state.event && String(state.event.id) === String(s.id)) tr.classList.add('selected');
      tr.appendChild(el('td', 'c-date', dateRange(s.date_start, s.date_end)));
      const tdT = el('td', 'c-type');
      const ty = el('div', 'ty');
      ty.appendChild(el('span', 'swatch ' + typeClass(s.event_type)));
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
      tdS.appendChild(el('div', null, srcs.join(' · ') || t('none'), { dir: 'auto' }));
      if (isNum(s.reports) && s.reports > 1) tdS.appendChild(el('div', 'muted', t('reports_n', { n: s.reports })));
      tr.appendChild(tdS);
      tr.addEventListener('click', () => openEvent(s.id, { fromList: true }));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openEvent(s.id, { fromList: true }); } });
      tb.appendChild(tr);
    }
    const total = data && isNum(data.total) ? data.total : 0;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const a = total ? state.page * PAGE_SIZE + 1 : 0, b = Math.min(total, (state.page + 1) * PAGE_SIZE);
    $('page-info').textContent = t('rows', { a, b, t: total }) + ' · ' + t('page', { p: state.page + 1, n: pages });
    $('page-prev').disabled = state.page <= 0;
    $('page-next').disabled = state.page + 1 >= pages;
  }

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

  // ---------------------------------------------------------------- reload

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
      api('/api/events', Object.assign({}, fp, { format: 'geojson', limit: MAP_LIMIT })),
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

  // ---------------------------------------------------------------- event panel

  async function openEvent(id, opts) {
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
    let idx = 0;
    const sumArticle = ev.summary && ev.summary.article_id;
    const k = reports.findIndex((r) => r && r.article_id === sumArticle);
    if (k >= 0) idx = k;
    state.reportIdx = idx;
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

  function closePanel() {
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

  function renderPanel() {
    const ev = state.event;
    if (!ev) return;
    const s = ev.summary || {};
    const full = currentReportEvent() || {};
    const ty = s.event_type || full.event_type;
    const sw = $('ep-swatch');
    sw.className = 'swatch big ' + typeClass(ty);
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
      const names = el('span', null, null, { dir: 'auto' });
      names.textContent = [s.location || loc.name, s.location_ar || loc.name_ar].filter(Boolean).join(' · ') || t('none');
      dd.appendChild(names);
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
        sp.appendChild(el('span', null, a.name || a.text || '?', { dir: 'auto' }));
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
          li.appendChild(el('span', null, r.outlet || t('article_no', { id: r.article_id }), { dir: 'auto' }));
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
        if (resp.claimed_by) parts.push(t('claimed_by') + ' ' + resp.claimed_by);
        if (resp.attributed_to) parts.push(t('attributed_to') + ' ' + resp.attributed_to);
        if (resp.unclaimed) parts.push(t('unclaimed'));
        dd.appendChild(el('span', null, parts.join(' · '), { dir: 'auto' }));
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
      b.appendChild(el('span', 'src-outlet', r.outlet || t('article_no', { id: r.article_id }), { dir: 'auto' }));
      const meta = el('span', 'src-meta muted');
      meta.textContent = [r.published ? t('published') + ' ' + r.published : null,
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

  function renderChain() {
    const ol = $('chain');
    clear(ol);
    const full = currentReportEvent();
    const srcs = full && Array.isArray(full.sources) ? full.sources : [];
    if (!srcs.length) { ol.appendChild(el('li', 'muted empty', t('no_chain'))); return; }
    for (const s of srcs) {
      const li = el('li', 'chain-item kind-' + (/^[a-z]+$/.test(s.kind || '') ? s.kind : 'x'));
      const name = el('span', 'chain-name', s.name || t('kind')[s.kind] || '?', { dir: 'auto' });
      li.appendChild(name);
      if (s.role) li.appendChild(el('span', 'chain-role', ', ' + s.role, { dir: 'auto' }));
      // The kind label is drawn by CSS from an attribute so the <li> text stays "name, role".
      if (s.kind) li.appendChild(el('span', 'chain-kind', null, { 'data-label': t('kind')[s.kind] || s.kind, 'aria-hidden': 'true' }));
      ol.appendChild(li);
    }
  }

  // ------------------------------------------------ article text with span highlights

  /** Map UTF-8 byte offsets of `text` to UTF-16 indices. Offsets inside a code point round down. */
  function byteIndexMap(text) {
    const bytes = new TextEncoder().encode(text);
    const map_ = new Int32Array(bytes.length + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.codePointAt(i);
      const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      for (let k = 0; k < n && b + k <= bytes.length; k++) map_[b + k] = i;
      b += n;
      if (c >= 0x10000) i++;
    }
    map_[bytes.length] = text.length;
    return { map: map_, nbytes: bytes.length };
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

  /** Render `text` into `container`, wrapping every span in nested <mark class="hl-…"> elements. */
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
    const title = el('h4', 'article-title', a.title || t('untitled'), { dir: 'auto' });
    meta.appendChild(title);
    const parts = [a.outlet, a.published, a.language, a.section, a.author].filter((x) => typeof x === 'string' && x);
    meta.appendChild(el('div', 'muted', parts.join(' · ') + ' · ' + t('article_no', { id: art.id }), { dir: 'auto' }));
    if (typeof a.url === 'string' && /^https?:\/\//i.test(a.url)) {
      const link = el('a', 'article-url', a.url, { href: a.url, rel: 'noopener noreferrer nofollow', target: '_blank', dir: 'ltr' });
      meta.appendChild(link);
    }
    const text = typeof a.text === 'string' ? a.text : '';
    const lang = typeof a.language === 'string' ? a.language : '';
    box.setAttribute('dir', lang === 'ar' ? 'rtl' : lang === 'en' ? 'ltr' : 'auto');
    if (lang && /^[a-z]{2,3}$/.test(lang)) box.setAttribute('lang', lang); else box.removeAttribute('lang');
    // Prefer the article's own copy of the event when it is the same one, else the report's event.
    const ev = currentReportEvent();
    const firstOf = renderHighlighted(box, text, collectSpans(ev));
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

  function renderHlLegend(node) {
    clear(node);
    for (const [cls, key] of [['hl-trigger', 'hl_trigger'], ['hl-actor', 'hl_actor'], ['hl-place', 'hl_place'], ['hl-date', 'hl_date'], ['hl-source', 'hl_source'], ['hl-evidence', 'hl_evidence']]) {
      node.appendChild(el('mark', cls + ' hl-key', t(key)));
    }
  }

  // ---------------------------------------------------------------- language

  function applyLang() {
    const html = document.documentElement;
    html.lang = state.lang;
    html.dir = state.lang === 'ar' ? 'rtl' : 'ltr';
    for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
    for (const n of document.querySelectorAll('[data-i18n-placeholder]')) n.placeholder = t(n.dataset.i18nPlaceholder);
    for (const n of document.querySelectorAll('[data-i18n-title]')) { n.title = t(n.dataset.i18nTitle); n.setAttribute('aria-label', n.title); }
    if (homeLink) homeLink.title = t('home');
    const lt = $('lang-toggle');
    lt.classList.toggle('is-ar', state.lang === 'ar');
    lt.setAttribute('aria-label', state.lang === 'ar' ? 'Switch to English' : 'التبديل إلى العربية');
    document.title = state.lang === 'ar' ? 'رصد — خريطة الأحداث' : 'rasd · رصد — event map';
    fillStaticSelects();
    renderHlLegend($('hl-legend-empty'));
  }

  function rerenderAll() {
    applyLang();
    renderChips();
    if (map) {
      renderLegend();
      renderTimeline();
      renderList();
      if (state.event) renderPanel();
    }
  }

  // ---------------------------------------------------------------- start

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
    const openId = readUrl();
    applyLang();
    writeForm();
    bindUi();
    document.body.dataset.ready = '0';
    if (typeof L === 'undefined' || !L.markerClusterGroup) { showError('map library failed to load'); return; }
    const [adm, nb, st] = await Promise.allSettled([
      fetchStatic('/assets/boundaries/syria-adm1.geojson'),
      fetchStatic('/assets/boundaries/neighbours.geojson'),
      api('/api/stats'),
    ]);
    if (st.status === 'fulfilled' && st.value && st.value.by_admin1) {
      state.admin1Values = Object.keys(st.value.by_admin1).map((k) => ({ name: k, n: st.value.by_admin1[k] }));
    } else if (st.status === 'rejected') {
      showError(st.reason.message);
    }
    fillAdmin1Select();
    writeForm();
    initMap(adm.status === 'fulfilled' ? adm.value : { type: 'FeatureCollection', features: [] }, nb.status === 'fulfilled' ? nb.value : null);
    await reload();
    if (openId !== null) openEvent(openId, { fromList: true });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
