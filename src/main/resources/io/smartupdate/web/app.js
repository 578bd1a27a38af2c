// smartupdate live view, data: what the page knows and how it learns it. Plain script, no build
// step. State lives in Maps; an event only updates them and marks what it changed dirty, and one
// requestAnimationFrame draws (view.js), so 1,000 events/s cost one paint per frame. The nodes
// table is windowed: only the rows in view exist in the DOM, whatever the node count.
'use strict';

(function (view) {
  const REBUILD_MS = 150;          // filter+sort of the whole node list at most this often
  const DOWNLOADS_MS = 250;        // the server's own pace for download snapshots
  const RECENT_KEPT = 200;
  const $ = view.$;

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

  // ---- drawing, once per frame ---------------------------------------------------------------
  let frame = 0;
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

  function render() {
    frame = 0;
    const now = Date.now() + state.skew;
    if (dirty.nodes && due('nodes', REBUILD_MS)) {
      dirty.nodes = false;
      dirty.rows = true;
      view.rebuild(state, now);
    }
    if (dirty.rows) {
      dirty.rows = false;
      view.paintRows(state, now, openHistory);
    }
    if (dirty.downloads && due('downloads', DOWNLOADS_MS)) {
      dirty.downloads = false;
      paintDownloads(now);
    }
    if (dirty.history) {
      dirty.history = false;
      if (state.history) view.paintHistory(state.history);
    }
  }

  function paintDownloads(now) {
    const active = [];
    const recent = [];
    for (const d of state.downloads.values()) (d.result === 'in_flight' ? active : recent).push(d);
    active.sort((a, b) => (a.started < b.started ? -1 : 1));
    recent.sort((a, b) => (a.ended > b.ended ? -1 : 1));
    // The server's ring forgets old downloads; so does the page, past a few hundred.
    for (const d of recent.slice(RECENT_KEPT)) state.downloads.delete(d.id);
    view.paintDownloads(active, recent, now);
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
      view.live('open', 'live');
      refreshServer();
      refreshDownloads();
      complianceSoon();
    });
    source.addEventListener('status', (e) => {
      applyStatus(JSON.parse(e.data));
      complianceSoon();
      state.received++;
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
        view.live('reconnecting', 'reconnecting in ' + Math.round(retry / 1000) + 's');
        source.close();
        retryTimer = setTimeout(connect, retry);
        retry = Math.min(retry * 2, 15000);
      } else {
        view.live('reconnecting', 'reconnecting');
      }
    });
  }

  function toast(text) {
    view.set($('toast'), text);
  }

  // ---- snapshots ----------------------------------------------------------------------------
  async function getJson(path) {
    const res = await fetch(path, { cache: 'no-store', credentials: 'same-origin' });
    if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
    return res.json();
  }

  function failed(e) {
    toast(String(e.message || e));
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
      view.paintServer(state.server, uptime());
    } catch (e) {
      failed(e);
    }
  }

  function uptime() {
    return state.server.uptimeSeconds * 1000 + (Date.now() - state.serverAt);
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
      failed(e);
    }
  }

  async function refreshHandoff() {
    try {
      view.paintHandoff(await getJson('/api/handoff'), Date.now() + state.skew);
    } catch (e) {
      // A hand-off port only answers with a session token: the section stays empty there.
      view.set($('ho-range'), '');
    }
  }

  async function refreshRuns() {
    try {
      view.paintRuns(await getJson('/api/deploys?limit=10'));
    } catch (e) {
      failed(e);
    }
  }

  async function refreshCatalog() {
    try {
      view.paintCatalog(await getJson('/api/catalog'), copyText);
    } catch (e) {
      failed(e);
    }
  }

  // Compliance is recomputed by the server from the stored inventories; a node's status events are
  // when its inventory may have changed (analyze, a deploy), so they trigger a fetch, at most every few seconds.
  const COMPLIANCE_MS = 3000;
  const compliance = { open: new Set(), timer: 0, last: 0 };
  async function refreshCompliance() {
    compliance.last = performance.now();
    try {
      // Without a baseline.json there is nothing to comply with; asking /api/compliance would only
      // answer 404, which the browser logs as an error.
      const listed = await getJson('/api/baselines');
      const known = listed.baselines.some((b) => b.name === 'default');
      view.paintCompliance(known ? await getJson('/api/compliance') : null, compliance.open);
    } catch (e) {
      failed(e);
    }
  }
  function complianceSoon() {
    if (compliance.timer) return;
    const wait = Math.max(0, COMPLIANCE_MS - (performance.now() - compliance.last));
    compliance.timer = setTimeout(() => { compliance.timer = 0; refreshCompliance(); }, wait);
  }

  async function openHistory(node) {
    if (!node) return;
    state.history = { node, events: [] };
    $('history').hidden = false;
    view.set($('history-title'), 'History of ' + node);
    dirty.history = true;
    schedule();
    try {
      const body = await getJson('/api/nodes/' + encodeURIComponent(node) + '?limit=1000');
      if (!state.history || state.history.node !== node) return;
      const known = new Set(state.history.events.map((e) => e.id));
      const events = body.events.filter((e) => !known.has(e.id));
      state.history.events = state.history.events.concat(events).sort((a, b) => b.id - a.id);
      dirty.history = true;
      schedule();
    } catch (e) {
      failed(e);
    }
  }

  function closeHistory() {
    state.history = null;
    $('history').hidden = true;
  }

  async function copyText(text, what) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
      } else {
        // Plain HTTP to another host is not a secure context: no Clipboard API there.
        const area = view.el('textarea');
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
  function refilter() {
    dirty.nodes = true;
    lastRun.nodes = 0; // a user's change shows at once
    schedule();
  }

  function controls() {
    // input while typing; change and search too, for a field emptied by its clear button or by script.
    for (const type of ['input', 'change', 'search']) {
      $('filter-text').addEventListener(type, (e) => { state.filter.text = e.target.value; refilter(); });
    }
    $('filter-phase').addEventListener('change', (e) => { state.filter.phase = e.target.value; refilter(); });
    $('filter-stale').addEventListener('change', (e) => { state.filter.stale = e.target.checked; refilter(); });
    for (const b of document.querySelectorAll('[data-sort]')) {
      b.addEventListener('click', () => {
        const key = b.dataset.sort;
        state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
        for (const o of document.querySelectorAll('[data-sort]')) o.classList.remove('asc', 'desc');
        b.classList.add(state.sort.dir > 0 ? 'asc' : 'desc');
        refilter();
      });
    }
    document.querySelector('[data-sort="node"]').classList.add('asc');
    $('nodes-scroll').addEventListener('scroll', () => { dirty.rows = true; schedule(); }, { passive: true });
    window.addEventListener('resize', () => { dirty.rows = true; schedule(); });
    $('history-close').addEventListener('click', closeHistory);
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeHistory(); });
    $('fingerprint').parentElement.querySelector('.copy')
      .addEventListener('click', () => copyText($('fingerprint').textContent, 'certificate fingerprint'));
  }

  function tick() {
    if (state.server) view.paintUptime(uptime());
    // Ages and stale flags move with the clock, not only with events.
    dirty.nodes = true;
    dirty.downloads = dirty.downloads || [...state.downloads.values()].some((d) => d.result === 'in_flight');
    const t = Date.now();
    state.rateWindow.push([t, state.received]);
    while (state.rateWindow.length > 5) state.rateWindow.shift();
    const [t0, n0] = state.rateWindow[0];
    view.set($('rate'), t > t0 ? Math.round(((state.received - n0) * 1000) / (t - t0)) + ' events/s' : '');
    schedule();
  }

  async function start() {
    controls();
    refreshServer();
    refreshCatalog();
    refreshHandoff();
    refreshRuns();
    try {
      await loadNodes();
    } catch (e) {
      failed(e);
    }
    connect();
    setInterval(tick, 1000);
    setInterval(refreshHandoff, 5000);
    setInterval(refreshRuns, 5000);
    setInterval(refreshCatalog, 60000);
    setInterval(complianceSoon, 30000);
  }

  start();
}(window.SmartUpdateView));
