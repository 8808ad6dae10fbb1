// Monitoring: live charts of a route (requests/s, p50/p99, status classes) and of each of its
// destinations, and the traffic view; GET /api/v1/traffic?since= every 2 seconds.

import { get, list } from '../api.js';
import { esc } from '../dom.js';
import { TrafficStore } from '../traffic_store.js';
import { timeChart, PALETTE, CLASS_COLORS } from '../charts.js';
import { trafficSvg } from '../traffic_view.js';

const POLL_MS = 2000;
const store = new TrafficStore(); // kept across visits: coming back shows the history
let timer = 0;
let selected = '';
let chosen = false; // the user picked a route: keep it

function perSecond(values, interval) {
  return values.map((v) => (v === null || v === undefined ? null : v / interval));
}

function routeCharts(name) {
  const s = store.route(name);
  const times = store.times;
  if (!s) {
    return `<p class="empty">No samples for route ${esc(name)} yet.</p>`;
  }
  const dests = store.destinationsOf(name);
  const rps = [{ name: 'route', values: s.rps, color: PALETTE[0] },
    ...dests.map((d, i) => ({ name: d.service, values: d.series.rps, color: PALETTE[(i + 1) % PALETTE.length] }))];
  const classes = (series) => ['2xx', '3xx', '4xx', '5xx', '1xx'].map((c) => ({ name: c, values: perSecond(series[c], store.interval), color: CLASS_COLORS[c] }));
  const main = [
    timeChart({ title: `Requests/s · ${name}`, times, series: rps, unit: '/s', testid: 'chart-rps' }),
    timeChart({ title: `Latency · ${name}`, times, series: [{ name: 'p50', values: s.p50, color: PALETTE[0] }, { name: 'p99', values: s.p99, color: PALETTE[1] }], unit: ' ms', testid: 'chart-latency' }),
    timeChart({ title: `Status classes/s · ${name}`, times, series: classes(s), stacked: true, unit: '/s', testid: 'chart-status' }),
  ];
  const small = dests.map((d) => timeChart({ title: `${d.service}: status classes/s and p99 ${latest(d.series.p99)}`, times, series: classes(d.series), stacked: true, unit: '/s', height: 140 }));
  return `<div class="charts">${main.join('')}</div>
    ${small.length ? `<h3>Per destination</h3><div class="charts">${small.join('')}</div>` : ''}`;
}

function latest(values) {
  const v = [...values].reverse().find((e) => e !== null && e !== undefined);
  return v === undefined ? '–' : `${v.toFixed(1)} ms`;
}

// The busiest route of the last 30 seconds, to show first.
function busiest() {
  const by = new Map();
  for (const e of store.edges) {
    by.set(e.route, (by.get(e.route) || 0) + (Number(e.requests) || 0));
  }
  return [...by.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] || '';
}

function routeNames(docRoutes) {
  const names = new Set(store.series.routes.keys());
  for (const r of docRoutes) {
    names.add(r.name);
  }
  return [...names].sort();
}

async function render(view, ctx) {
  const routes = await list('routes').catch(() => ({ items: [] }));
  if (!ctx.isCurrent()) {
    return;
  }
  const docRoutes = routes.items || [];
  const routeGateway = new Map(docRoutes.map((r) => [r.name, r.gateway]));
  view.innerHTML = `<div class="page-head"><h1>Monitoring</h1><span class="muted" id="mon-updated" aria-live="off"></span></div>
    <p class="banner" id="mon-no-proxy" hidden>No proxy is running: there is no traffic to show.</p>
    <section class="panel traffic" aria-labelledby="traffic-title"><h2 id="traffic-title">Traffic, last 30 seconds</h2>
      <div id="traffic-view" data-testid="traffic-view"><p class="muted">Waiting for the first sample…</p></div></section>
    <section aria-labelledby="charts-title"><div class="toolbar"><h2 id="charts-title">Route</h2>
      <label>Route <select id="mon-route" data-testid="mon-route"></select></label></div>
      <div id="mon-charts"></div></section>`;
  const select = view.querySelector('#mon-route');
  const chartsEl = view.querySelector('#mon-charts');
  const trafficEl = view.querySelector('#traffic-view');
  const fillSelect = () => {
    const names = routeNames(docRoutes);
    if (!chosen || !names.includes(selected)) {
      const hot = busiest();
      selected = ctx.arg && names.includes(ctx.arg) ? ctx.arg : (names.includes(hot) ? hot : names[0] || '');
    }
    select.value = selected;
    const html = names.map((n) => `<option${n === selected ? ' selected' : ''}>${esc(n)}</option>`).join('');
    if (select.dataset.names !== names.join('\n')) {
      select.innerHTML = html;
      select.dataset.names = names.join('\n');
    }
  };
  const draw = () => {
    fillSelect();
    chartsEl.innerHTML = selected ? routeCharts(selected) : '<p class="empty">No route yet.</p>';
    trafficEl.innerHTML = trafficSvg(store.edges, routeGateway);
    view.querySelector('#mon-no-proxy').hidden = store.proxyRunning;
    const t = store.last ? new Date(store.last * 1000).toLocaleTimeString() : '–';
    view.querySelector('#mon-updated').textContent = `Last sample ${t}, every ${store.interval} s`;
  };
  select.addEventListener('change', () => {
    selected = select.value;
    chosen = true;
    draw();
  });
  const poll = async () => {
    try {
      const answer = await get(`/traffic${store.last ? `?since=${store.last}` : ''}`);
      if (!ctx.isCurrent()) {
        return;
      }
      store.merge(answer);
      draw();
    } catch (e) {
      view.querySelector('#mon-updated').textContent = `Could not read the traffic: ${e.message}`;
    }
  };
  clearInterval(timer);
  draw();
  await poll();
  timer = setInterval(poll, POLL_MS);
}

export default {
  title: 'Monitoring',
  render,
  leave() {
    clearInterval(timer);
  },
};
