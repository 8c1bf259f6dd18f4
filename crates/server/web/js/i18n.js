/* Labels in English and Arabic, and the lookup `t`. The event taxonomy's labels come from the
 * server (taxonomy.js); these are the page's own words. */

import { state } from './state.js';

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
    sources_link: 'Watched sources & alerts',
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
    outliers: '{n} events outside the range shown ({lo} … {hi}):', outliers_more: '… and {n} more dates',
    outliers_all: '{n} events, none with a plausible date:',
    outliers_one: '1 event outside the range shown ({lo} … {hi}):', outliers_all_one: '1 event, without a plausible date:',
    outlier_title: 'show the events of {d}',
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
    sources_link: 'المصادر المرصودة والتنبيهات',
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
    outliers: '{n} حدثاً خارج المدى المعروض ({lo} … {hi}):', outliers_more: '… و{n} تواريخ أخرى',
    outliers_all: '{n} حدثاً، ولا تاريخ معقولاً لأي منها:',
    outliers_one: 'حدث واحد خارج المدى المعروض ({lo} … {hi}):', outliers_all_one: 'حدث واحد، بلا تاريخ معقول:',
    outlier_title: 'عرض أحداث {d}',
    cluster_of: '{n} أحداث', open: 'فتح', selected_report: 'معروض أدناه',
    error_net: 'تعذّر الاتصال بالخادم', err_prefix: 'خطأ',
    untitled: '(بلا عنوان)', none: '—', article_no: 'المقال رقم {id}', conf: 'الثقة {c}',
    kind: { outlet: 'وسيلة إعلام', person: 'شخص', organization: 'منظمة', platform: 'منصة', unnamed: 'مصدر غير مسمّى' },
  },
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

/** The label `key` in the page's language (English when missing), with `{var}`s filled in. */
export function t(key, vars) {
  let s = STRINGS[state.lang][key];
  if (s === undefined) s = STRINGS.en[key];
  if (s === undefined) return key;
  if (vars && typeof s === 'string') {
    s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined && vars[k] !== null ? String(vars[k]) : m));
  }
  return s;
}

/** An event status in the page's language. */
export const statusLabel = (s) => (STATUS_LABEL[state.lang][s] || s || '');
/** A governorate in the page's language. */
export const admin1Label = (a) => (state.lang === 'ar' && ADMIN1_AR[a]) ? ADMIN1_AR[a] : (a || '');
/** An actor's interaction type in the page's language. */
export const interLabel = (i) => (state.lang === 'ar' && INTER_AR[i]) ? INTER_AR[i] : (i || '');

/** An event summary's place name in the page's language. */
export function placeName(s) {
  if (!s) return '';
  if (state.lang === 'ar' && s.location_ar) return s.location_ar;
  return s.location || s.location_ar || '';
}
