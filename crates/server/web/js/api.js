/* The JSON API and the error banner. */

import { $ } from './dom.js';
import { t } from './i18n.js';

class ApiError extends Error {}

/** GET `path` with the non-empty `params`; its JSON, or an ApiError with the server's message. */
export async function api(path, params) {
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

/** A static JSON file of the page (boundaries). */
export async function fetchStatic(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
  return res.json();
}

/** Shows an error above the map. */
export function showError(msg) {
  $('error-text').textContent = t('err_prefix') + ': ' + msg;
  $('error').hidden = false;
}

/** Hides the error. */
export function hideError() { $('error').hidden = true; }
