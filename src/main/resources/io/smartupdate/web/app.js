// smartupdate live view. Plain script, no build step. State lives in Maps; events only mark it
// dirty, and one requestAnimationFrame paints, so 1,000 events/s cost one paint per frame. The
// nodes table is windowed: only the rows in view exist in the DOM, whatever the node count.
'use strict';

(function () {
  const ROW = 28;                  // px, the --row of app.css
  const STALE_MS = 120000;         // silent for two minutes: flagged (the hand-off idle default)
  const REBUILD_MS = 150;          // filter+sort of the whole node list at most this often
  const DOWNLOADS_MS = 250;        // the server's own pace for download snapshots
  const RECENT_SHOWN = 12;
  const ACTIVE_SHOWN = 100;
  const PHASES = ['inventory', 'downloading', 'verifying', 'flashing', 'rebooting', 'complete', 'failed', 'info'];

  const $ = (id) => document.getElementById(id);
  const state = {
    nodes: new Map(),              // node -> latest status event
    downloads: new Map(),          // download id -> view (+ rate samples)
    lastId: 0,                     // highest status event id applied
    view: [],                      // nodes after filter and sort
    sort: { key: 'node', dir: 1 },
    filter: { text: '', phase: '', stale: false },
    history: null,                 // { node, events[] } while the panel is open
    server: null, serverAt: 0,
    skew: 0,                       // server clock minus browser clock, so ages do not depend on the browser's clock
    received: 0, rateWindow: [],
  };
  const dirty = { nodes: true, rows: true, downloads: true, history: false };
  let frame = 0;

  // ---- formatting ---------------------------------------------------------------------------
  function bytes(n) {
    if (n == null) return '?';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0; let v = n;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
  }
  function duration(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
    return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
  }
  function time(iso) {
    const d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleString();
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  // Natural order (ilo-10.0.0.9 before ilo-10.0.0.10) by a key made once per node: a plain
  // string compare then sorts 10,000 rows in a few milliseconds, where a Collator would not.
  const naturalKeys = new Map();
  function natural(node) {
    let key = naturalKeys.get(node);
    if (key === undefined) {
      key = node.toLowerCase().replace(/\d+/g, (d) => d.padStart(12, '0'));
      naturalKeys.set(node, key);
    }
    return key;
  }
  function heard(ev) { return Date.parse(ev.receivedAt || ev.at) || 0; }
  function stale(ev, now) { return ev.phase !== 'complete' && ev.phase !== 'failed' && now - heard(ev) > STALE_MS; }

  // ---- rendering ----------------------------------------------------------------------------
  function schedule() {
    if (!frame) frame = requestAnimationFrame(render);
  }

  // Work that need not run on every frame runs at most every so often; a timer catches the tail.
  const lastRun = { nodes: 0, downloads: 0 };
  const timers = { nodes: 0, downloads: 0 };
  function due(key, every) {
    const t = performance.now();
    const wait = every - (t - lastRun[key]);
    if (wait <= 0) {
      lastRun[key] = t;
      return true;
    }
    if (!timers[key]) timers[key] = setTimeout(() => { timers[key] = 0; schedule(); }, wait);
    return false;
  }
  function soon(key) {
    lastRun[key] = 0;
  }

  function render() {
    frame = 0;
    const now = Date.now() + state.skew;
    if (dirty.nodes && due('nodes', REBUILD_MS)) rebuild(now);
    if (dirty.rows) paintRows(now);
    if (dirty.downloads && due('downloads', DOWNLOADS_MS)) paintDownloads(now);
    if (dirty.history) paintHistory();
  }

  function rebuild(now) {
    dirty.nodes = false;
    dirty.rows = true;
    // The footer names the newest event the table reflects (what WebScaleIT times), not merely one received.
    const last = $('last-event');
    if (last.dataset.id !== String(state.lastId)) {
      last.dataset.id = String(state.lastId);
      last.textContent = 'last event #' + state.lastId;
    }
    const f = state.filter;
    const text = f.text.toLowerCase();
    const counts = {};
    let staleCount = 0;
    const out = [];
    for (const ev of state.nodes.values()) {
      counts[ev.phase] = (counts[ev.phase] || 0) + 1;
      const isStale = stale(ev, now);
      if (isStale) staleCount++;
      if (f.phase && ev.phase !== f.phase) continue;
      if (f.stale && !isStale) continue;
      if (text && !(ev.node.toLowerCase().includes(text) || (ev.component || '').toLowerCase().includes(text)
          || (ev.message || '').toLowerCase().includes(text))) continue;
      out.push(ev);
    }
    const { key, dir } = state.sort;
    const value = {
      node: (e) => natural(e.node), phase: (e) => PHASES.indexOf(e.phase), progress: (e) => (e.progress == null ? -1 : e.progress),
      component: (e) => e.component || '', message: (e) => e.message || '', age: (e) => -heard(e),
    }[key];
    out.sort((a, b) => {
      const x = value(a); const y = value(b);
      if (x < y) return -dir;
      if (x > y) return dir;
      const m = natural(a.node); const n = natural(b.node);
      return m < n ? -1 : m > n ? 1 : 0;
    });
    state.view = out;
    $('nodes-count').textContent = out.length === state.nodes.size ? String(out.length) : out.length + ' of ' + state.nodes.size;
    paintSummary(counts, staleCount);
  }

  function paintSummary(counts, staleCount) {
    const box = $('phase-summary');
    box.textContent = '';
    for (const p of PHASES) if (counts[p]) box.appendChild(el('span', 'badge ' + p, p + ' ' + counts[p]));
    if (staleCount) box.appendChild(el('span', 'badge stale', 'stale ' + staleCount));
  }

  const pool = [];
  function rowElement() {
    const row = el('div', 'row');
    row.setAttribute('role', 'row');
    row.tabIndex = 0;
    const node = el('span', 'node mono');
    const phase = el('span', 'badge');
    const bar = el('span', 'bar');
    const track = el('span', 'track');
    track.setAttribute('role', 'progressbar');
    track.setAttribute('aria-valuemin', '0');
    track.setAttribute('aria-valuemax', '100');
    const fill = el('span', 'fill');
    track.appendChild(fill);
    const pct = el('span', 'pct');
    bar.append(track, pct);
    const phaseCell = el('span');
    phaseCell.appendChild(phase);
    const component = el('span', 'component');
    const message = el('span', 'message');
    const age = el('span', 'age');
    row.append(node, phaseCell, bar, component, message, age);
    row.parts = { node, phase, track, fill, pct, component, message, age };
    row.addEventListener('click', () => openHistory(row.dataset.node));
    row.addEventListener('keydown', (e) => { if (e.key === 'Enter') openHistory(row.dataset.node); });
    return row;
  }

  function set(node, text) { if (node.textContent !== text) node.textContent = text; }

  function paintRows(now) {
    dirty.rows = false;
    const scroll = $('nodes-scroll');
    const rows = $('nodes-rows');
    const view = state.view;
    $('nodes-spacer').style.height = (view.length * ROW) + 'px';
    $('nodes-empty').hidden = state.nodes.size > 0;
    const first = Math.max(0, Math.floor(scroll.scrollTop / ROW) - 2);
    const count = Math.min(view.length - first, Math.ceil(scroll.clientHeight / ROW) + 5);
    while (pool.length < count) pool.push(rows.appendChild(rowElement()));
    rows.style.transform = 'translateY(' + (first * ROW) + 'px)';
    for (let i = 0; i < pool.length; i++) {
      const row = pool[i];
      const ev = i < count ? view[first + i] : null;
      if (!ev) { row.hidden = true; continue; }
      row.hidden = false;
      const p = row.parts;
      if (row.dataset.node !== ev.node) row.dataset.node = ev.node;
      row.dataset.id = String(ev.id);
      row.classList.toggle('stale', stale(ev, now));
      set(p.node, ev.node);
      p.node.title = ev.node + (ev.source ? ' (from ' + ev.source + ')' : '');
      set(p.phase, ev.phase);
      p.phase.className = 'badge ' + ev.phase;
      const progress = ev.progress == null ? (ev.phase === 'complete' ? 100 : 0) : ev.progress;
      p.track.setAttribute('aria-valuenow', String(progress));
      p.fill.style.transform = 'scaleX(' + (progress / 100) + ')';
      p.fill.className = 'fill ' + ev.phase;
      set(p.pct, ev.progress == null ? '' : ev.progress + '%');
      set(p.component, ev.component || '');
      p.component.title = ev.component || '';
      set(p.message, ev.message || '');
      p.message.title = ev.message || '';
      set(p.age, duration(now - heard(ev)));
      p.age.title = 'received ' + time(ev.receivedAt) + (ev.at ? ', node time ' + time(ev.at) : '');
    }
  }

  function paintDownloads(now) {
    dirty.downloads = false;
    const active = [];
    const recent = [];
    for (const d of state.downloads.values()) (d.result === 'in_flight' ? active : recent).push(d);
    active.sort((a, b) => (a.started < b.started ? -1 : 1));
    recent.sort((a, b) => (a.ended > b.ended ? -1 : 1));
    // The map holds what the server's ring holds at most; older ended ones are forgotten here too.
    for (const d of recent.slice(200)) state.downloads.delete(d.id);
    $('dl-count').textContent = active.length ? String(active.length) : '';
    fill($('downloads-active'), active.slice(0, ACTIVE_SHOWN), (d) => downloadItem(d, now), 'No download in flight.');
    fill($('downloads-recent'), recent.slice(0, RECENT_SHOWN), (d) => downloadItem(d, now), 'None yet.');
  }

  function downloadItem(d, now) {
    const item = el('div', 'item download');
    item.dataset.id = d.id;
    item.dataset.path = d.path;
    item.dataset.sent = String(d.sent);
    item.dataset.result = d.result;
    const total = d.length != null ? d.length : d.size;
    const head = el('div', 'line');
    head.append(el('span', 'mono', d.client), el('span', 'grow mono', d.path));
    head.lastChild.title = d.path + (d.range ? ' (' + d.range + ')' : '') + (d.session ? ', hand-off ' + d.session : '');
    head.appendChild(el('span', 'badge ' + d.result, d.result.replace(/_/g, ' ')));
    item.appendChild(head);
    const bar = el('div', 'bar');
    const track = el('span', 'track');
    track.setAttribute('role', 'progressbar');
    const f = el('span', 'fill' + (d.result === 'complete' ? ' complete' : d.result === 'in_flight' ? '' : ' failed'));
    const ratio = total ? Math.min(1, d.sent / total) : 0;
    f.style.transform = 'scaleX(' + ratio + ')';
    track.setAttribute('aria-valuenow', String(Math.round(ratio * 100)));
    track.appendChild(f);
    bar.append(track, el('span', 'small sent', bytes(d.sent) + ' / ' + bytes(total)));
    item.appendChild(bar);
    const started = Date.parse(d.started);
    const end = d.ended ? Date.parse(d.ended) : now;
    const rate = d.result === 'in_flight' && d.rate != null ? d.rate : d.sent / Math.max(0.001, (end - started) / 1000);
    let info = bytes(rate) + '/s';
    if (d.result === 'in_flight') {
      info += total && rate > 0 ? ', ETA ' + duration(((total - d.sent) / rate) * 1000) : ', ETA ?';
    } else {
      info += ', took ' + duration(end - started) + ', ended ' + duration(now - end) + ' ago';
    }
    item.appendChild(el('div', 'small', info + ' · ' + d.scheme + (d.session ? ' · hand-off' : '')));
    return item;
  }

  function fill(box, list, make, none) {
    box.textContent = '';
    if (!list.length) { box.appendChild(el('div', 'none', none)); return; }
    const frag = document.createDocumentFragment();
    for (const x of list) frag.appendChild(make(x));
    box.appendChild(frag);
  }

  // ---- live stream --------------------------------------------------------------------------
  function applyStatus(ev) {
    const old = state.nodes.get(ev.node);
    if (!old || old.id <= ev.id) state.nodes.set(ev.node, ev);
    if (ev.id > state.lastId) state.lastId = ev.id;
    if (state.history && state.history.node === ev.node && !state.history.events.some((e) => e.id === ev.id)) {
      state.history.events.unshift(ev);
      dirty.history = true;
    }
    dirty.nodes = true;
  }

  function applyDownload(d) {
    const old = state.downloads.get(d.id);
    const t = performance.now();
    if (old && d.result === 'in_flight' && t > old.sampledAt) {
      const r = ((d.sent - old.sent) * 1000) / (t - old.sampledAt);
      d.rate = old.rate == null ? r : old.rate * 0.6 + r * 0.4;   // smoothed over the last few snapshots
    } else if (old) {
      d.rate = old.rate;
    }
    d.sampledAt = t;
    state.downloads.set(d.id, d);
    dirty.downloads = true;
  }

  let source = null;
  let retry = 1000;
  let retryTimer = 0;

  function connect() {
    clearTimeout(retryTimer);
    // A new EventSource sends no Last-Event-ID; after= says where to resume. The browser's own
    // reconnects (server restarted, network blip) send Last-Event-ID, which the server prefers.
    source = new EventSource('/api/events?after=' + state.lastId);
    source.addEventListener('open', () => {
      retry = 1000;
      live('open', 'live');
      refreshServer();
      refreshDownloads();
    });
    source.addEventListener('status', (e) => {
      applyStatus(JSON.parse(e.data));
      count();
      schedule();
    });
    source.addEventListener('download', (e) => {
      applyDownload(JSON.parse(e.data));
      schedule();
    });
    source.addEventListener('error', (e) => {
      if (e.data) toast('live stream: ' + e.data);
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (an answer that was not a stream, e.g. 429 or 503): retry ourselves.
        live('reconnecting', 'reconnecting in ' + Math.round(retry / 1000) + 's');
        source.close();
        retryTimer = setTimeout(connect, retry);
        retry = Math.min(retry * 2, 15000);
      } else {
        live('reconnecting', 'reconnecting');
      }
    });
  }

  function live(cls, text) {
    const box = $('live');
    box.className = 'live ' + cls;
    box.textContent = text;
  }

  function count() {
    state.received++;
  }

  function toast(text) {
    $('toast').textContent = text;
  }

  // ---- snapshots ----------------------------------------------------------------------------
  async function getJson(path) {
    const res = await fetch(path, { cache: 'no-store', credentials: 'same-origin' });
    if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
    return res.json();
  }

  async function loadNodes() {
    const body = await getJson('/api/nodes');
    for (const ev of body.nodes) applyStatus(ev);
    schedule();
  }

  async function refreshServer() {
    try {
      const asked = Date.now();
      state.server = await getJson('/api/server');
      state.serverAt = Date.now();
      const serverNow = Date.parse(state.server.now);
      if (!isNaN(serverNow)) state.skew = serverNow - (asked + state.serverAt) / 2;
      paintServer();
    } catch (e) {
      toast(String(e.message || e));
    }
  }

  function paintServer() {
    const s = state.server;
    if (!s) return;
    set($('version'), s.version + (s.commit && s.commit !== 'unknown' ? ' (' + s.commit + ')' : ''));
    const ports = Object.entries(s.ports).map(([k, v]) => k + ' ' + v);
    if (s.handoffPorts) ports.push('hand-off ' + s.handoffPorts);
    set($('ports'), ports.join(' · '));
    set($('fingerprint'), s.fingerprint);
    $('fingerprint').title = s.fingerprint;
    set($('repository'), s.repository);
    $('repository').title = s.repository;
    set($('store'), s.store.kind + (s.storeFailure ? ' (failing: ' + s.storeFailure + ')' : ''));
    $('store').title = s.store.location;
    paintUptime();
  }

  function paintUptime() {
    const s = state.server;
    if (s) set($('uptime'), duration(s.uptimeSeconds * 1000 + (Date.now() - state.serverAt)));
  }

  async function refreshDownloads() {
    try {
      const body = await getJson('/api/downloads');
      const seen = new Set();
      for (const d of body.downloads) { applyDownload(d); seen.add(d.id); }
      // Ids restart with the server: what it no longer knows is forgotten here too.
      for (const id of [...state.downloads.keys()]) if (!seen.has(id)) state.downloads.delete(id);
      dirty.downloads = true;
      schedule();
    } catch (e) {
      toast(String(e.message || e));
    }
  }

  async function refreshHandoff() {
    try {
      const body = await getJson('/api/handoff');
      set($('ho-range'), 'ports ' + body.range + (body.random ? ', random' : ''));
      const now = Date.now() + state.skew;
      fill($('handoff'), body.sessions, (s) => {
        const item = el('div', 'item');
        const line = el('div', 'line');
        line.append(el('span', 'mono', s.scheme + ' :' + s.port), el('span', 'grow mono', s.node),
          el('span', 'small', bytes(s.bytesServed)));
        item.append(line, el('div', 'small', 'open ' + duration(now - Date.parse(s.created)) + ', idle '
          + duration(now - Date.parse(s.lastActivity)) + ', ' + s.requestsInFlight + ' in flight'));
        return item;
      }, 'No session open.');
    } catch (e) {
      // A hand-off port only answers with a session token: the section stays empty there.
      set($('ho-range'), '');
    }
  }

  async function refreshCatalog() {
    try {
      const body = await getJson('/api/catalog');
      set($('cat-count'), String(body.images.length));
      fill($('catalog'), body.images, (img) => {
        const item = el('div', 'item');
        const line = el('div', 'line');
        const link = el('a', 'grow mono', img.path);
        link.href = img.url;
        link.rel = 'noreferrer';
        line.append(link, el('span', 'small', bytes(img.size)));
        const sum = el('div', 'line');
        const code = el('code', 'grow', img.sha256);
        code.title = 'sha-256 ' + img.sha256;
        const copy = el('button', 'copy', 'copy');
        copy.type = 'button';
        copy.title = 'Copy the sha-256';
        copy.addEventListener('click', () => copyText(img.sha256, 'sha-256 of ' + img.path));
        sum.append(el('span', 'small', 'sha-256'), code, copy);
        item.append(line, sum);
        return item;
      }, 'The repository is empty.');
    } catch (e) {
      toast(String(e.message || e));
    }
  }

  // ---- history ------------------------------------------------------------------------------
  async function openHistory(node) {
    if (!node) return;
    state.history = { node, events: [] };
    $('history').hidden = false;
    set($('history-title'), 'History of ' + node);
    dirty.history = true;
    schedule();
    try {
      const body = await getJson('/api/nodes/' + encodeURIComponent(node) + '?limit=1000');
      if (!state.history || state.history.node !== node) return;
      const known = new Set(state.history.events.map((e) => e.id));
      const events = body.events.filter((e) => !known.has(e.id)).reverse();
      state.history.events = state.history.events.concat(events).sort((a, b) => b.id - a.id);
      dirty.history = true;
      schedule();
    } catch (e) {
      toast(String(e.message || e));
    }
  }

  function paintHistory() {
    dirty.history = false;
    if (!state.history) return;
    fill($('history-list'), state.history.events.slice(0, 500), (ev) => {
      const item = el('div', 'item');
      const line = el('div', 'line');
      line.append(el('span', 'small', '#' + ev.id), el('span', 'badge ' + ev.phase, ev.phase),
        el('span', 'small', ev.progress == null ? '' : ev.progress + '%'), el('span', 'grow', ev.component || ''),
        el('span', 'small', time(ev.receivedAt)));
      item.appendChild(line);
      if (ev.message) item.appendChild(el('div', 'small', ev.message));
      return item;
    }, 'Loading…');
  }

  // ---- copy ---------------------------------------------------------------------------------
  async function copyText(text, what) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
      } else {
        // Plain HTTP to another host is not a secure context: no Clipboard API there.
        const area = el('textarea');
        area.value = text;
        area.setAttribute('readonly', '');
        document.body.appendChild(area);
        area.select();
        document.execCommand('copy');
        area.remove();
      }
      toast('copied ' + what);
    } catch (e) {
      toast('copy failed: select the text instead');
    }
  }

  // ---- controls -----------------------------------------------------------------------------
  function controls() {
    // input while typing; change and search too, for a field emptied by its clear button or by script.
    for (const type of ['input', 'change', 'search']) {
      $('filter-text').addEventListener(type, (e) => { state.filter.text = e.target.value; dirty.nodes = true; soon('nodes'); schedule(); });
    }
    $('filter-phase').addEventListener('change', (e) => { state.filter.phase = e.target.value; dirty.nodes = true; soon('nodes'); schedule(); });
    $('filter-stale').addEventListener('change', (e) => { state.filter.stale = e.target.checked; dirty.nodes = true; soon('nodes'); schedule(); });
    for (const b of document.querySelectorAll('[data-sort]')) {
      b.addEventListener('click', () => {
        const key = b.dataset.sort;
        state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
        for (const o of document.querySelectorAll('[data-sort]')) o.classList.remove('asc', 'desc');
        b.classList.add(state.sort.dir > 0 ? 'asc' : 'desc');
        dirty.nodes = true;
        soon('nodes');
        schedule();
      });
    }
    document.querySelector('[data-sort="node"]').classList.add('asc');
    $('nodes-scroll').addEventListener('scroll', () => { dirty.rows = true; schedule(); }, { passive: true });
    window.addEventListener('resize', () => { dirty.rows = true; schedule(); });
    $('history-close').addEventListener('click', () => { state.history = null; $('history').hidden = true; });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') { state.history = null; $('history').hidden = true; } });
    $('fingerprint').parentElement.querySelector('.copy')
      .addEventListener('click', () => copyText($('fingerprint').textContent, 'certificate fingerprint'));
  }

  function tick() {
    paintUptime();
    // Ages and stale flags move with the clock, not only with events.
    dirty.nodes = true;
    dirty.downloads = dirty.downloads || [...state.downloads.values()].some((d) => d.result === 'in_flight');
    const t = Date.now();
    state.rateWindow.push([t, state.received]);
    while (state.rateWindow.length > 5) state.rateWindow.shift();
    const [t0, n0] = state.rateWindow[0];
    set($('rate'), t > t0 ? Math.round(((state.received - n0) * 1000) / (t - t0)) + ' events/s' : '');
    schedule();
  }

  async function start() {
    controls();
    refreshServer();
    refreshCatalog();
    refreshHandoff();
    try {
      await loadNodes();
    } catch (e) {
      toast(String(e.message || e));
    }
    connect();
    setInterval(tick, 1000);
    setInterval(refreshHandoff, 5000);
    setInterval(refreshCatalog, 60000);
  }

  start();
}());
