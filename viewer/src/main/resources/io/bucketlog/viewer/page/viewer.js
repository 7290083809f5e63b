// The viewer's page. Every value from the store reaches the DOM as text (append of a string,
// textContent), never as markup: nothing in an event can add elements or run script.
'use strict';
(function () {
  const PAGE = 100;
  const MAX_ROWS = 2000;
  const MAX_HELD = 1000;
  const $ = (id) => document.getElementById(id);
  const state = { range: null, cursor: null, source: null, paused: false, held: [], dropped: 0,
    liveCount: 0, plot: null, generation: 0 };

  /** An element with properties and children; strings become text nodes. */
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'onclick') e.addEventListener('click', v);
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  async function getJson(path, params) {
    const r = await fetch(path + '?' + params.toString(), { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({ error: r.status + ' ' + r.statusText }));
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  function fmtTime(iso) {
    return iso.replace('T', ' ').replace(/(\.\d{3})\d*Z$/, '$1').replace(/Z$/, '');
  }

  function parseInstant(text) {
    const t = text.trim();
    if (!t) return null;
    const withZone = /(Z|[+-]\d\d:?\d\d)$/.test(t) ? t : t.replace(' ', 'T') + 'Z';
    const ms = Date.parse(withZone);
    if (Number.isNaN(ms)) throw new Error('not a time: ' + text);
    return ms;
  }

  /** The time range of the current search: a preset ends now; custom reads the two fields. */
  function currentRange() {
    const preset = $('range').value;
    if (preset !== 'custom') {
      const to = Date.now();
      return { from: to - Number(preset), to: to };
    }
    const from = parseInstant($('from').value);
    const to = parseInstant($('to').value);
    return { from: from, to: to };
  }

  function filterParams(withRange) {
    const p = new URLSearchParams();
    p.set('stream', $('stream').value);
    if ($('key').value) p.set('key', $('key').value);
    if ($('level').value) p.set('level', $('level').value);
    if ($('q').value) {
      p.set('q', $('q').value);
      if ($('regex').checked) p.set('regex', 'true');
    }
    for (const a of $('attrs').value.split(',')) {
      if (a.trim()) p.append('attr', a.trim());
    }
    if (withRange && state.range) {
      if (state.range.from !== null) p.set('from', new Date(state.range.from).toISOString());
      if (state.range.to !== null) p.set('to', new Date(state.range.to).toISOString());
    }
    return p;
  }

  function row(ev, live) {
    const level = ev.level || '';
    const keyCell = el('td', { class: 'key' });
    if (ev.key) {
      keyCell.append(el('a', { href: '#', title: 'timeline of this key',
        onclick: (e) => { e.preventDefault(); e.stopPropagation(); showTimeline(ev.key); } }, ev.key));
    }
    const firstLine = (ev.message || '').split('\n', 1)[0];
    const tr = el('tr', { class: live ? 'event-row live' : 'event-row' },
      el('td', { class: 'time' }, fmtTime(ev.time)),
      el('td', {}, el('span', { class: 'lvl lvl-' + level.replace(/[^A-Z]/g, '') }, level)),
      keyCell,
      el('td', { class: 'logger' }, ev.logger || ''),
      el('td', { class: 'message' }, firstLine));
    tr.addEventListener('click', () => showDetail(ev));
    return tr;
  }

  async function search() {
    showError('');
    try {
      state.range = currentRange();
    } catch (e) {
      showError(e.message);
      return;
    }
    state.cursor = null;
    state.generation++;
    document.querySelector('#results tbody').replaceChildren();
    await Promise.all([loadPage(), drawHistogram()]);
  }

  async function loadPage() {
    const generation = state.generation;
    const p = filterParams(true);
    p.set('limit', String(PAGE));
    if (state.cursor) p.set('cursor', state.cursor);
    $('status').textContent = 'searching…';
    try {
      const r = await getJson('/api/query', p);
      if (generation !== state.generation) return;
      const body = document.querySelector('#results tbody');
      for (const ev of r.events) body.append(row(ev, false));
      state.cursor = r.cursor;
      $('older').hidden = !r.more || !r.cursor;
      const shown = body.children.length;
      $('status').textContent = shown + ' events shown, newest first · ' + r.tookMillis + ' ms'
        + (r.truncated ? ' · ' + r.reason : '') + (r.more ? '' : ' · no older events');
    } catch (e) {
      $('status').textContent = '';
      showError(e.message);
    }
  }

  async function drawHistogram() {
    const generation = state.generation;
    const p = filterParams(true);
    p.set('bins', '120');
    $('chart-status').textContent = '';
    try {
      const h = await getJson('/api/histogram', p);
      if (generation !== state.generation) return;
      if (h.truncated) {
        $('chart-status').textContent = h.reason;
        return;
      }
      const xs = h.counts.map((_, i) => (h.fromMillis + i * h.binMillis) / 1000);
      const width = Math.max(300, $('chart').clientWidth || 900);
      if (state.plot) state.plot.destroy();
      state.plot = new uPlot({
        width: width, height: 170,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true, range: () => [h.fromMillis / 1000, h.toMillis / 1000] },
          y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: false } },
        axes: [{ values: (u, splits) => splits.map((s) => axisLabel(s, h.toMillis - h.fromMillis)) },
          { size: 50 }],
        series: [{}, { label: 'events', fill: 'rgba(47,111,223,0.45)', stroke: '#2f6fdf',
          width: 1, points: { show: false },
          paths: uPlot.paths.bars({ size: [0.92, 60], align: 1 }) }],
        hooks: { setSelect: [zoomTo] },
      }, [xs, h.counts], $('chart'));
      $('chart-status').textContent = h.total + ' events in range · bins of ' + binLabel(h.binMillis)
        + ' · ' + h.blocksCounted + ' blocks counted from block tables, ' + h.blocksDecoded
        + ' decoded · ' + h.tookMillis + ' ms · drag across the chart to zoom';
    } catch (e) {
      $('chart-status').textContent = '';
      showError(e.message);
    }
  }

  /** An x-axis label in UTC, as precise as the range needs. */
  function axisLabel(seconds, rangeMillis) {
    const iso = new Date(seconds * 1000).toISOString();
    if (rangeMillis > 2 * 86400000) return iso.slice(5, 10) + ' ' + iso.slice(11, 16);
    if (rangeMillis > 600000) return iso.slice(11, 16);
    return iso.slice(11, 19);
  }

  function binLabel(ms) {
    if (ms % 86400000 === 0) return ms / 86400000 + ' d';
    if (ms % 3600000 === 0) return ms / 3600000 + ' h';
    if (ms % 60000 === 0) return ms / 60000 + ' min';
    if (ms % 1000 === 0) return ms / 1000 + ' s';
    return ms + ' ms';
  }

  /** Click-drag on the chart: the selected span becomes the custom range. */
  function zoomTo(u) {
    if (u.select.width < 3) return;
    const from = Math.floor(u.posToVal(u.select.left, 'x') * 1000);
    const to = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x') * 1000);
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    setCustomRange(from, to);
    search();
  }

  function setCustomRange(from, to) {
    $('range').value = 'custom';
    $('custom-range').hidden = false;
    $('from').value = new Date(from).toISOString();
    $('to').value = new Date(to).toISOString();
  }

  function showDetail(ev) {
    const rows = [['time', ev.time], ['timestamp (ns)', String(ev.timestampNanos)],
      ['stream', ev.stream], ['key', ev.key], ['level', ev.level], ['logger', ev.logger],
      ['thread', ev.thread], ['id', ev.id], ['cursor', ev.cursor], ['message', ev.message]];
    for (const [k, v] of Object.entries(ev.attributes || {})) rows.push(['attr ' + k, v]);
    const table = el('table', { id: 'detail-fields' });
    for (const [k, v] of rows) {
      if (v !== null && v !== undefined) table.append(el('tr', {}, el('td', {}, k), el('td', {}, v)));
    }
    const parts = [table];
    if (ev.thrown) {
      parts.push(el('h2', {}, 'Thrown: ' + (ev.thrown.className || '') + (ev.thrown.message ? ': ' + ev.thrown.message : '')));
      parts.push(el('pre', { class: 'stack', id: 'stack-trace' }, ev.thrown.stackTrace || '(no stack trace)'));
    }
    $('detail-body').replaceChildren(...parts);
    $('detail').hidden = false;
    $('timeline').hidden = true;
  }

  async function showTimeline(key) {
    const p = new URLSearchParams();
    p.set('stream', $('stream').value);
    p.set('key', key);
    p.set('limit', '200');
    try {
      const r = await getJson('/api/query', p);
      $('timeline-title').textContent = 'Timeline of ' + key + ' (latest ' + r.events.length + ')';
      const items = r.events.map((ev, i) => {
        const older = r.events[i + 1];
        const gap = older ? gapLabel(ev.timestampNanos - older.timestampNanos) : '';
        const li = el('li', { class: 'timeline-item' },
          el('div', {}, el('strong', {}, fmtTime(ev.time)), ' ',
            el('span', { class: 'lvl lvl-' + (ev.level || '').replace(/[^A-Z]/g, '') }, ev.level || '')),
          el('div', {}, (ev.message || '').split('\n', 1)[0]),
          gap ? el('div', { class: 'gap' }, gap + ' after the previous event') : null);
        li.addEventListener('click', () => showDetail(ev));
        return li;
      });
      $('timeline-list').replaceChildren(...items);
      $('timeline').hidden = false;
      $('detail').hidden = true;
    } catch (e) {
      showError(e.message);
    }
  }

  function gapLabel(nanos) {
    const s = nanos / 1e9;
    if (s < 1) return Math.round(nanos / 1e6) + ' ms';
    if (s < 120) return s.toFixed(1) + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    return (s / 3600).toFixed(1) + ' h';
  }

  function liveStatus() {
    if (!state.source) return;
    $('status').textContent = state.paused
      ? 'live tail paused: ' + state.held.length + ' new events held'
        + (state.dropped ? ', ' + state.dropped + ' dropped (more than ' + MAX_HELD + ' held)' : '')
      : 'live tail: ' + state.liveCount + ' new events';
  }

  function addLive(ev) {
    const body = document.querySelector('#results tbody');
    body.prepend(row(ev, true));
    while (body.children.length > MAX_ROWS) body.lastChild.remove();
    state.liveCount++;
  }

  function startLive() {
    stopLive();
    state.paused = false;
    state.held = [];
    state.dropped = 0;
    state.liveCount = 0;
    const source = new EventSource('/api/tail?' + filterParams(false).toString());
    state.source = source;
    source.addEventListener('ready', () => {
      $('live').dataset.ready = 'true';
      liveStatus();
    });
    source.addEventListener('event', (m) => {
      const ev = JSON.parse(m.data);
      if (state.paused) {
        if (state.held.length < MAX_HELD) state.held.push(ev);
        else state.dropped++;
      } else {
        addLive(ev);
      }
      liveStatus();
    });
    source.addEventListener('failure', (m) => {
      showError(JSON.parse(m.data).error);
      stopLive();
    });
    $('live').classList.add('on');
    $('live').textContent = 'Stop live tail';
    $('pause').hidden = false;
    $('pause').textContent = 'Pause';
  }

  function stopLive() {
    if (state.source) state.source.close();
    state.source = null;
    $('live').dataset.ready = 'false';
    $('live').classList.remove('on');
    $('live').textContent = 'Live tail';
    $('pause').hidden = true;
  }

  function togglePause() {
    state.paused = !state.paused;
    $('pause').textContent = state.paused ? 'Resume' : 'Pause';
    if (!state.paused) {
      for (const ev of state.held) addLive(ev);
      state.held = [];
      state.dropped = 0;
    }
    liveStatus();
  }

  async function init() {
    if (new URLSearchParams(location.search).has('token')) {
      history.replaceState(null, '', location.pathname); // the cookie holds it now
    }
    $('filters').addEventListener('submit', (e) => { e.preventDefault(); search(); });
    $('range').addEventListener('change', () => {
      const custom = $('range').value === 'custom';
      $('custom-range').hidden = !custom;
      if (custom && !$('from').value && state.range) setCustomRange(state.range.from, state.range.to);
      if (!custom) search();
    });
    $('stream').addEventListener('change', () => { stopLive(); search(); });
    $('older').addEventListener('click', loadPage);
    $('live').addEventListener('click', () => (state.source ? stopLive() : startLive()));
    $('pause').addEventListener('click', togglePause);
    $('close-detail').addEventListener('click', () => { $('detail').hidden = true; });
    $('close-timeline').addEventListener('click', () => { $('timeline').hidden = true; });
    try {
      const r = await getJson('/api/streams', new URLSearchParams());
      $('stream').replaceChildren(...r.streams.map((s) => el('option', { value: s }, s)));
      $('store-status').textContent = r.streams.length + ' streams · read-only';
      if (r.streams.length) await search();
    } catch (e) {
      showError(e.message);
    }
    document.body.dataset.ready = 'true';
  }

  init();
})();
