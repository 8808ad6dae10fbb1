// Routes: a filterable table per gateway (rendered as one string, at most ROW_LIMIT rows),
// the route editor (route_form.js) and "Explain a URL".

import { list, post, deleteObject } from '../api.js';
import { esc, announce, confirmDialog, tags } from '../dom.js';
import { savedMessage } from '../form.js';
import { deleteError } from './gateways.js';
import { openRouteForm } from './route_form.js';

const ROW_LIMIT = 200;

export function filtersSummary(r) {
  const out = [];
  if (r.auth) {
    out.push(`auth ${(r.auth.methods || []).join('/')}`);
  }
  if (r.authorization) {
    out.push('authorization');
  }
  for (const l of r.rateLimits || []) {
    out.push(`rate ${l.rate}${l.mode === 'shadow' ? ' (shadow)' : ''}`);
  }
  if (r.cache) {
    out.push('cache');
  }
  if (r.compress) {
    out.push('compress');
  }
  if (r.cors) {
    out.push('CORS');
  }
  if (r.ipAllow || r.ipDeny) {
    out.push('IP lists');
  }
  if (r.rewrite) {
    out.push('rewrite');
  }
  if (r.requestHeaders || r.responseHeaders) {
    out.push('headers');
  }
  if (r.mirror) {
    out.push(`mirror ${r.mirror.service}`);
  }
  if (r.retries && r.retries.attempts) {
    out.push(`retries ${r.retries.attempts}`);
  }
  if (r.timeout) {
    out.push(`timeout ${r.timeout}`);
  }
  if (r.priority !== undefined) {
    out.push(`priority ${r.priority}`);
  }
  return out;
}

export function targetSummary(r) {
  if (r.redirect) {
    const to = typeof r.redirect === 'string' ? r.redirect : `${r.redirect.scheme ? r.redirect.scheme + '://' : ''}${r.redirect.host || ''}${r.redirect.path || r.redirect.prefix || ''}`;
    return `<span>redirect → <span class="mono">${esc(to)}</span>${r.redirect.code ? ` (${esc(r.redirect.code)})` : ''}</span>`;
  }
  if (r.directResponse) {
    return `<span>answers ${esc(r.directResponse.status)}</span>`;
  }
  if (r.aggregate) {
    return '<span>aggregate</span>';
  }
  return (r.destinations || []).map((d) => `<span class="tag">${esc(d.service)} <strong>${esc(d.weight ?? 100)}%</strong></span>`).join(' ');
}

function matchText(r) {
  const m = r.match || {};
  return `<span class="mono">${esc(m.path || '/')}</span> <span class="muted">${esc(m.type || 'prefix')}</span>${(r.headers || []).length ? `<br><span class="muted">headers: ${r.headers.map((h) => esc(`${h.name}=${h.value}`)).join(', ')}</span>` : ''}`;
}

function rowHtml(r) {
  const n = esc(r.name);
  return `<tr data-route="${n}"><th scope="row">${n}</th><td>${esc(r.gateway)}</td>
    <td>${tags(r.hosts && r.hosts.length ? r.hosts : ['*'])}</td><td>${matchText(r)}</td>
    <td>${r.methods && r.methods.length ? esc(r.methods.join(' ')) : '<span class="muted">any</span>'}</td>
    <td>${tags(filtersSummary(r))}</td><td><span class="tags">${targetSummary(r)}</span></td>
    <td><button type="button" class="btn btn-small" data-edit="${n}" aria-label="Edit route ${n}">Edit</button><button
      type="button" class="btn btn-small btn-danger" data-delete="${n}" aria-label="Delete route ${n}">Delete</button></td></tr>`;
}

function searchText(r) {
  return [r.name, r.gateway, ...(r.hosts || []), r.match && r.match.path, ...(r.methods || []),
    ...(r.destinations || []).map((d) => d.service), ...filtersSummary(r)].join(' ').toLowerCase();
}

async function render(view, ctx) {
  const [routes, gws, services] = await Promise.all([list('routes'), list('gateways'), list('services')]);
  if (!ctx.isCurrent()) {
    return;
  }
  const items = routes.items || [];
  const index = items.map((r) => ({ r, text: searchText(r) }));
  const gwNames = (gws.items || []).map((g) => g.name);
  const gwOptions = ['<option value="">All gateways</option>', ...gwNames.map((g) => `<option value="${esc(g)}"${g === ctx.arg ? ' selected' : ''}>${esc(g)}</option>`)].join('');
  view.innerHTML = `<div class="page-head"><h1>Routes</h1>
    <div class="actions"><button type="button" class="btn btn-primary" data-new>New route</button></div></div>
    <div class="toolbar" role="search">
      <label>Gateway <select id="route-gateway" data-testid="route-gateway">${gwOptions}</select></label>
      <label>Filter <input id="route-filter" type="search" size="36" placeholder="name, host, path, service…" data-testid="route-filter"></label>
    </div>
    <p class="note" id="route-count" aria-live="polite" data-testid="route-count"></p>
    <div class="table-wrap"><table data-testid="routes-table"><caption class="muted" hidden>Routes</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Gateway</th><th scope="col">Hosts</th><th scope="col">Match</th>
      <th scope="col">Methods</th><th scope="col">Filters</th><th scope="col">Destinations</th><th scope="col">Actions</th></tr></thead>
      <tbody id="route-rows"></tbody></table></div>
    <section class="panel" aria-labelledby="explain-title">
      <h2 id="explain-title">Explain a URL</h2>
      <form class="toolbar" id="explain-form" novalidate>
        <label>URL <input id="explain-url" type="url" size="40" required value="http://${esc(firstHost(items))}/"></label>
        <label>Method <select id="explain-method">${['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => `<option>${m}</option>`).join('')}</select></label>
        <label>Headers <textarea id="explain-headers" rows="1" cols="28" placeholder="x-canary: 1" aria-describedby="explain-headers-help"></textarea></label>
        <button type="submit" class="btn btn-primary">Explain</button>
      </form>
      <p class="note" id="explain-headers-help">Headers: one <code>name: value</code> a line.</p>
      <div id="explain-out" aria-live="polite" data-testid="explain-result"></div>
    </section>`;
  const tbody = view.querySelector('#route-rows');
  const count = view.querySelector('#route-count');
  const filterInput = view.querySelector('#route-filter');
  const gwSelect = view.querySelector('#route-gateway');
  const draw = () => {
    const words = filterInput.value.toLowerCase().split(/\s+/).filter(Boolean);
    const gw = gwSelect.value;
    const shown = [];
    let matched = 0;
    for (const { r, text } of index) {
      if ((gw && r.gateway !== gw) || !words.every((w) => text.includes(w))) {
        continue;
      }
      matched += 1;
      if (shown.length < ROW_LIMIT) {
        shown.push(rowHtml(r));
      }
    }
    tbody.innerHTML = shown.length ? shown.join('') : '<tr><td colspan="8" class="empty">No route matches.</td></tr>';
    count.textContent = matched > shown.length
      ? `Showing ${shown.length} of ${matched} matching routes (${items.length} in all); refine the filter to see the others.`
      : `${matched} route${matched === 1 ? '' : 's'}${matched !== items.length ? ` of ${items.length}` : ''}.`;
  };
  let timer = 0;
  filterInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(draw, 60);
  });
  gwSelect.addEventListener('change', draw);
  draw();
  const byName = new Map(items.map((r) => [r.name, r]));
  const formCtx = { revision: routes.revision, gateways: gwNames, services: (services.items || []).map((s) => s.name), ctx };
  view.querySelector('[data-new]').addEventListener('click', () => openRouteForm(null, { ...formCtx, gateway: gwSelect.value }));
  tbody.addEventListener('click', async (ev) => {
    const edit = ev.target.closest('[data-edit]');
    const remove = ev.target.closest('[data-delete]');
    if (edit) {
      openRouteForm(byName.get(edit.dataset.edit), formCtx);
    } else if (remove) {
      const name = remove.dataset.delete;
      if (await confirmDialog('Delete route', `Delete route ${name}? Its requests will no longer match it.`)) {
        try {
          announce(savedMessage(`Deleted route ${name}`, await deleteObject('routes', name, routes.revision)));
          ctx.refreshSession();
        } catch (e) {
          announce(deleteError(e), true);
        }
        ctx.reload();
      }
    }
  });
  view.querySelector('#explain-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    explain(view);
  });
}

function firstHost(items) {
  const r = items.find((x) => x.hosts && x.hosts.length && !x.hosts[0].includes('*'));
  return r ? r.hosts[0] : 'example.test';
}

async function explain(view) {
  const out = view.querySelector('#explain-out');
  const headers = {};
  for (const line of view.querySelector('#explain-headers').value.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) {
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
  }
  out.innerHTML = '<p class="muted">Asking…</p>';
  try {
    const a = await post('/explain', { url: view.querySelector('#explain-url').value.trim(), method: view.querySelector('#explain-method').value, headers });
    const cands = (a.candidates || []).map((c) => `<tr><td>${esc(c.route)}</td><td>${c.matched ? '<span class="ok-text">yes</span>' : 'no'}</td><td>${esc(c.reason)}</td></tr>`).join('');
    out.innerHTML = `<p>${a.winner ? `Route <strong data-testid="explain-winner">${esc(a.winner)}</strong> of gateway ${esc(a.gateway)} wins` : '<strong>No route matches</strong>'}${a.hostRule ? ` (host rule: ${esc(a.hostRule)})` : ''}.</p>
      ${a.answer ? `<p>Answer: ${esc(a.answer)}</p>` : ''}
      ${(a.filters || []).length ? `<p>Filters on the way: ${tags(a.filters)}</p>` : ''}
      ${cands ? `<table><thead><tr><th scope="col">Route</th><th scope="col">Matched</th><th scope="col">Why</th></tr></thead><tbody>${cands}</tbody></table>` : ''}`;
  } catch (e) {
    out.innerHTML = `<p class="errors" role="alert">${esc(e.message)}</p>`;
  }
}

export default { title: 'Routes', render };
