// The traffic view: gateways -> routes -> services in three columns; an edge's width follows
// its share of the last 30 seconds, and route -> service edges carry their percentage
// (edges[].share of GET /api/v1/traffic).

import { esc, fmtNumber } from './dom.js';

const W = 900;
const NODE_W = 190;
const NODE_H = 34;
const GAP = 16;
const COLS = [20, 355, 690];
const MAX_ROUTES = 40;

function edgePath(xa, ya, xb, yb) {
  const mid = (xa + xb) / 2;
  return `M${xa},${ya} C${mid},${ya} ${mid},${yb} ${xb},${yb}`;
}

function clip(text, n = 24) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

// `edges`: the answer's edges; `routeGateway`: Map route -> gateway from the document.
export function trafficSvg(edges, routeGateway) {
  const byRoute = new Map();
  for (const e of edges) {
    if (!byRoute.has(e.route)) {
      byRoute.set(e.route, { gateway: e.gateway || routeGateway.get(e.route) || '', edges: [], requests: 0 });
    }
    const r = byRoute.get(e.route);
    r.edges.push(e);
    r.requests += Number(e.requests) || 0;
  }
  let routes = [...byRoute.entries()].map(([name, r]) => ({ name, ...r }));
  routes.sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
  const hidden = Math.max(0, routes.length - MAX_ROUTES);
  routes = routes.slice(0, MAX_ROUTES);
  routes.sort((a, b) => a.gateway.localeCompare(b.gateway) || a.name.localeCompare(b.name));
  const gateways = [...new Set(routes.map((r) => r.gateway))].sort();
  const services = [...new Set(routes.flatMap((r) => r.edges.map((e) => e.service)))].sort();
  if (routes.length === 0) {
    return '<p class="empty">No route forwards to a service yet.</p>';
  }
  const rows = Math.max(gateways.length, routes.length, services.length);
  const H = 40 + rows * (NODE_H + GAP);
  const place = (list) => {
    const total = list.length * (NODE_H + GAP) - GAP;
    const start = 36 + (rows * (NODE_H + GAP) - GAP - total) / 2;
    return new Map(list.map((name, i) => [name, start + i * (NODE_H + GAP) + NODE_H / 2]));
  };
  const gy = place(gateways);
  const ry = place(routes.map((r) => r.name));
  const sy = place(services);
  const gwTotal = new Map();
  for (const r of routes) {
    gwTotal.set(r.gateway, (gwTotal.get(r.gateway) || 0) + r.requests);
  }
  const parts = [];
  for (const r of routes) {
    const total = gwTotal.get(r.gateway) || 0;
    const share = total ? r.requests / total : 0;
    parts.push(`<g class="edge${r.requests ? '' : ' idle'}" data-gateway="${esc(r.gateway)}" data-route="${esc(r.name)}" data-share="${share.toFixed(2)}">
      <path d="${edgePath(COLS[0] + NODE_W, gy.get(r.gateway), COLS[1], ry.get(r.name))}" stroke-width="${(1.5 + share * 14).toFixed(1)}"/>
      <title>${esc(`${r.gateway} → ${r.name}: ${r.requests} requests (${Math.round(share * 100)}%)`)}</title></g>`);
  }
  for (const r of routes) {
    r.edges.forEach((e) => {
      const share = Number(e.share) || 0;
      const xa = COLS[1] + NODE_W;
      const xb = COLS[2];
      const ya = ry.get(r.name);
      const yb = sy.get(e.service);
      const pct = `${Math.round(share * 100)}%`;
      const lx = (xa + xb) / 2;
      const ly = (ya + yb) / 2;
      parts.push(`<g class="edge${e.requests ? '' : ' idle'}" data-testid="traffic-edge" data-route="${esc(r.name)}" data-service="${esc(e.service)}" data-share="${share.toFixed(2)}" data-requests="${esc(e.requests)}">
        <path d="${edgePath(xa, ya, xb, yb)}" stroke-width="${(1.5 + share * 18).toFixed(1)}"/>
        ${e.requests ? `<rect class="label-bg" x="${lx - 22}" y="${ly - 10}" width="44" height="19" rx="4"/>
        <text x="${lx}" y="${ly + 4}" text-anchor="middle">${pct}</text>` : ''}
        <title>${esc(`${r.name} → ${e.service}: ${e.requests} requests, ${pct} of the route's last 30 s`)}</title></g>`);
    });
  }
  const node = (x, yc, name, kind, extra = '') => `<g class="node" data-${kind}="${esc(name)}">
    <rect x="${x}" y="${yc - NODE_H / 2}" width="${NODE_W}" height="${NODE_H}" rx="6"/>
    <text x="${x + 10}" y="${yc + 4}">${esc(clip(name))}${extra}</text><title>${esc(name)}</title></g>`;
  for (const g of gateways) {
    parts.push(node(COLS[0], gy.get(g), g, 'node-gateway'));
  }
  for (const r of routes) {
    parts.push(node(COLS[1], ry.get(r.name), r.name, 'node-route'));
  }
  for (const s of services) {
    parts.push(node(COLS[2], sy.get(s), s, 'node-service'));
  }
  const titles = ['Gateways', 'Routes', 'Services'].map((t, i) => `<text class="col-title" x="${COLS[i]}" y="18">${t}</text>`).join('');
  const summary = routes.map((r) => `${r.name}: ${r.edges.map((e) => `${e.service} ${Math.round((Number(e.share) || 0) * 100)}%`).join(', ')}`).join('; ');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`Traffic over the last 30 seconds. ${summary}`)}" data-testid="traffic-svg">
    ${titles}${parts.join('')}</svg>
    ${hidden ? `<p class="note">The ${fmtNumber(hidden)} quietest routes are left out.</p>` : ''}`;
}
