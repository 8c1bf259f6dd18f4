/* The live stream (GET /api/live, server-sent events): the server sends `change` when it
 * starts and whenever the database changes; pages act on the changes after the first. */

/** Calls `reload` (at most every two seconds) whenever the database changes after the page
 *  loaded; the browser reconnects by itself when the stream drops. */
export function onChange(reload) {
  if (typeof EventSource === 'undefined') return;
  let seen = null;
  let timer = null;
  const source = new EventSource('/api/live');
  source.addEventListener('change', (e) => {
    let version = null;
    try { version = JSON.parse(e.data).version; } catch (err) { return; }
    if (seen !== null && version !== seen && timer === null) {
      timer = setTimeout(() => { timer = null; reload(); }, 2000);
    }
    seen = version;
  });
}
