// smartupdate live view, drawing: turns the state app.js keeps into DOM. Only text and CSSOM
// properties are set (never HTML, never a style attribute), so the strict CSP holds and no
// value from the server is ever parsed as markup.
'use strict';

window.SmartUpdateView = (function () {
  const ROW = 28;                  // px, the --row of app.css
  const STALE_MS = 120000;         // silent for two minutes: flagged (the hand-off idle default)
  const RECENT_SHOWN = 12;
  const ACTIVE_SHOWN = 100;
  const PHASES = ['inventory', 'downloading', 'verifying', 'flashing', 'rebooting', 'complete', 'failed', 'info'];
  const $ = (id) => document.getElementById(id);

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
  function set(node, text) { if (node.textContent !== text) node.textContent = text; }
  function fill(box, list, make, none) {
    box.textContent = '';
    if (!list.length) { box.appendChild(el('div', 'none', none)); return; }
    const frag = document.createDocumentFragment();
    for (const x of list) frag.appendChild(make(x));
    box.appendChild(frag);
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

  // ---- nodes table --------------------------------------------------------------------------
  /** Filters and sorts every node into state.view, with the phase counts and the footer's event id. */
  function rebuild(state, now) {
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
    set($('nodes-count'), out.length === state.nodes.size ? String(out.length) : out.length + ' of ' + state.nodes.size);
    const box = $('phase-summary');
    box.textContent = '';
    for (const p of PHASES) if (counts[p]) box.appendChild(el('span', 'badge ' + p, p + ' ' + counts[p]));
    if (staleCount) box.appendChild(el('span', 'badge stale', 'stale ' + staleCount));
  }

  const pool = [];
  function rowElement(open) {
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
    const fillBar = el('span', 'fill');
    track.appendChild(fillBar);
    const pct = el('span', 'pct');
    bar.append(track, pct);
    const phaseCell = el('span');
    phaseCell.appendChild(phase);
    const component = el('span', 'component');
    const message = el('span', 'message');
    const age = el('span', 'age');
    row.append(node, phaseCell, bar, component, message, age);
    row.parts = { node, phase, track, fill: fillBar, pct, component, message, age };
    row.addEventListener('click', () => open(row.dataset.node));
    row.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(row.dataset.node); });
    return row;
  }

  /** Draws the rows in view only: a pool of row elements, reused, whatever the node count. */
  function paintRows(state, now, open) {
    const scroll = $('nodes-scroll');
    const rows = $('nodes-rows');
    const view = state.view;
    $('nodes-spacer').style.height = (view.length * ROW) + 'px';
    $('nodes-empty').hidden = state.nodes.size > 0;
    const first = Math.max(0, Math.floor(scroll.scrollTop / ROW) - 2);
    const count = Math.min(view.length - first, Math.ceil(scroll.clientHeight / ROW) + 5);
    while (pool.length < count) pool.push(rows.appendChild(rowElement(open)));
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

  // ---- side panels --------------------------------------------------------------------------
  /** Downloads in flight (oldest first) and the recent ones (newest first). */
  function paintDownloads(active, recent, now) {
    set($('dl-count'), active.length ? String(active.length) : '');
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

  function paintHandoff(body, now) {
    set($('ho-range'), 'ports ' + body.range + (body.random ? ', random' : ''));
    fill($('handoff'), body.sessions, (s) => {
      const item = el('div', 'item');
      const line = el('div', 'line');
      line.append(el('span', 'mono', s.scheme + ' :' + s.port), el('span', 'grow mono', s.node),
        el('span', 'small', bytes(s.bytesServed)));
      item.append(line, el('div', 'small', 'open ' + duration(now - Date.parse(s.created)) + ', idle '
        + duration(now - Date.parse(s.lastActivity)) + ', ' + s.requestsInFlight + ' in flight'));
      return item;
    }, 'No session open.');
  }

  /** The newest deploy runs: state, what they deploy, and their steps counted by state (progress). */
  function paintRuns(body) {
    set($('runs-count'), String(body.runs.length));
    fill($('runs'), body.runs.slice(0, 10), (r) => {
      const item = el('div', 'item');
      const line = el('div', 'line');
      line.append(el('span', 'mono', r.id), el('span', 'grow mono', r.baseline || r.image), el('span', 'small', r.state));
      const counts = Object.entries(r.counts).map(([state, n]) => n + ' ' + state).join(', ');
      // Orphaned: its owner stopped renewing its lease (the process died); any node's deploy --resume takes it over.
      const owner = !r.owner ? '' : r.state === 'orphaned' ? '; owner ' + r.owner + ' gone, deploy --resume ' + r.id + ' takes it over'
        : r.state === 'running' ? '; driven by ' + r.owner : '';
      item.append(line, el('div', 'small', r.nodes + (r.nodes === 1 ? ' node: ' : ' nodes: ') + counts + owner));
      return item;
    }, 'No deploy run yet.');
  }

  function paintCatalog(body, copy) {
    set($('cat-count'), String(body.images.length));
    fill($('catalog'), body.images, (img) => {
      const item = el('div', 'item');
      const line = el('div', 'line');
      const link = el('a', 'grow mono', img.path);
      link.href = img.url;
      link.rel = 'noreferrer';
      line.append(link, el('span', 'small', img.pending ? 'hashing…' : bytes(img.size)));
      const sum = el('div', 'line');
      const code = el('code', 'grow', img.sha256 || 'sha-256 pending');
      code.title = 'sha-256 ' + (img.sha256 || 'pending');
      const button = el('button', 'copy', 'copy');
      button.type = 'button';
      button.title = 'Copy the sha-256';
      button.disabled = !img.sha256;
      button.addEventListener('click', () => copy(img.sha256, 'sha-256 of ' + img.path));
      sum.append(el('span', 'small', 'sha-256'), code, button);
      item.append(line, sum);
      return item;
    }, 'The repository is empty.');
  }

  // A node's compliance in one word: the worst thing first (blocked, then updates, then unknown).
  // The same order as the report's NodeState (io.smartupdate.report.Reports).
  function nodeState(rows) {
    const n = (a) => rows.filter((r) => r.action === a).length;
    if (n('blocked')) return { key: 'blocked', text: 'blocked' };
    const updates = n('update') + n('rewrite');
    if (updates) return { key: 'updates', text: updates + (updates === 1 ? ' update' : ' updates') };
    if (n('unknown')) return { key: 'unknown', text: 'unknown' };
    return { key: 'complies', text: 'complies' };
  }

  /** The fleet summary, a badge per node and, open on demand, its components; {@code open} keeps the nodes a person opened. */
  function paintCompliance(body, open) {
    set($('cmp-baseline'), body ? 'baseline ' + body.baseline : '');
    const byNode = new Map();
    for (const r of body ? body.rows : []) {
      if (!byNode.has(r.node)) byNode.set(r.node, []);
      byNode.get(r.node).push(r);
    }
    const nodes = [...byNode.keys()].sort((a, b) => (natural(a) < natural(b) ? -1 : 1));
    const counts = { complies: 0, updates: 0, blocked: 0, unknown: 0 };
    for (const node of nodes) counts[nodeState(byNode.get(node)).key]++;
    const summary = $('cmp-summary');
    summary.textContent = '';
    if (body) {
      for (const [label, n] of [['nodes', nodes.length], ['complying', counts.complies], ['needing updates', counts.updates],
        ['blocked', counts.blocked], ['unknown', counts.unknown]]) {
        const chip = el('span', 'chip');
        chip.dataset.count = label;
        chip.append(el('b', null, String(n)), ' ' + label);
        summary.appendChild(chip);
      }
    }
    fill($('compliance'), nodes, (node) => {
      const rows = byNode.get(node);
      const state = nodeState(rows);
      const item = el('details', 'item node-cmp');
      item.dataset.node = node;
      item.open = open.has(node);
      item.addEventListener('toggle', () => (item.open ? open.add(node) : open.delete(node)));
      const head = el('summary');
      head.append(el('span', 'grow mono', node), el('span', 'badge ' + state.key, state.text));
      const table = el('table', 'components');
      const header = el('tr');
      for (const h of ['component', 'installed', 'available', 'action']) header.appendChild(el('th', null, h));
      table.appendChild(header);
      for (const r of rows) {
        const tr = el('tr');
        tr.dataset.component = r.componentId;
        tr.append(el('td', 'mono', r.componentId), el('td', null, r.installed || '-'), el('td', null, r.available || ''), el('td', null, r.action));
        const why = el('tr', 'reason');
        const cell = el('td', null, r.reason);
        cell.colSpan = 4;
        why.appendChild(cell);
        table.append(tr, why);
      }
      item.append(head, table);
      return item;
    }, body ? 'No node has an inventory yet: smartupdate analyze reads and stores them.' : 'The repository has no baseline.json.');
  }

  function paintServer(s, uptimeMs) {
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
    paintUptime(uptimeMs);
  }

  function paintUptime(ms) {
    set($('uptime'), duration(ms));
  }

  function paintHistory(history) {
    fill($('history-list'), history.events.slice(0, 500), (ev) => {
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

  function live(cls, text) {
    const box = $('live');
    box.className = 'live ' + cls;
    box.textContent = text;
  }

  return {
    $, el, set, rebuild, paintRows, paintDownloads, paintHandoff, paintRuns, paintCatalog, paintCompliance, paintServer, paintUptime, paintHistory, live,
  };
}());
