// Gateways: listeners, the hosts of their routes and each host's TLS state.

import { get, list, deleteObject, ApiError } from '../api.js';
import { esc, announce, confirmDialog, tags } from '../dom.js';
import { editObject, inputField, selectField, RowList, fieldValue, savedMessage } from '../form.js';

const STATE_TEXT = {
  missing: 'No certificate',
  expiring: 'Expiring',
  expired: 'Expired',
  failed: 'Certificate failed',
};

export function tlsBadge(h) {
  if (!h) {
    return '<span class="muted">–</span>';
  }
  const host = esc(h.host || h.name || '');
  if (h.https === false || h.state === '') {
    return `<span class="muted" data-testid="tls-none" data-host="${host}">http only</span>`;
  }
  if (h.state === 'valid') {
    const days = h.daysLeft ?? '?';
    return `<span class="tls tls-ok" data-testid="tls-valid" data-host="${host}">
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="8" fill="#116329"/>
      <path d="M4.5 8.2l2.2 2.2 4.8-4.8" stroke="#fff" stroke-width="2" fill="none"/></svg>
      <span>Valid · ${esc(days)} day${days === 1 ? '' : 's'} left</span></span>`;
  }
  const cls = h.state === 'expiring' ? 'tls-warn' : 'tls-bad';
  const label = STATE_TEXT[h.state] || h.state || 'Unknown';
  const days = h.daysLeft !== undefined && h.daysLeft !== null && h.state === 'expiring' ? ` (${esc(h.daysLeft)} days left)` : '';
  return `<span class="tls ${cls}" data-testid="tls-problem" data-host="${host}" data-state="${esc(h.state)}">
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1l7.5 13.5h-15z" fill="currentColor"/>
    <path d="M8 6v4M8 11.5v1.5" stroke="#fff" stroke-width="1.8"/></svg>
    <strong>Warning: ${esc(label)}${days}</strong>${h.reason ? `<span class="reason">— ${esc(h.reason)}</span>` : ''}</span>`;
}

function hostsOf(gw, routes, tls) {
  const byHost = new Map();
  for (const h of tls.hosts || []) {
    if (h.gateway === gw.name) {
      byHost.set(h.host, h);
    }
  }
  for (const r of routes) {
    if (r.gateway === gw.name) {
      for (const host of r.hosts && r.hosts.length ? r.hosts : ['*']) {
        if (!byHost.has(host)) {
          byHost.set(host, { host, gateway: gw.name, https: null });
        }
      }
    }
  }
  return [...byHost.values()];
}

function gatewayCard(gw, routes, tls) {
  const listeners = (gw.listeners || []).map((l) => `<tr><td>${esc(l.protocol || 'http')}</td>
    <td class="mono">${esc(gw.address || '127.0.0.1')}</td><td class="num">${esc(l.port)}</td>
    <td>${esc(l.name || '')}</td></tr>`).join('');
  const hosts = hostsOf(gw, routes, tls);
  const hostItems = hosts.map((h) => `<li data-host="${esc(h.host)}"><span class="mono">${esc(h.host)}</span>
    ${h.https === null ? '<span class="muted">no TLS state reported</span>' : tlsBadge(h)}</li>`).join('');
  const nRoutes = routes.filter((r) => r.gateway === gw.name).length;
  return `<section class="panel" data-gateway="${esc(gw.name)}" aria-labelledby="gw-${esc(gw.name)}">
    <div class="card-head"><h2 id="gw-${esc(gw.name)}">${esc(gw.name)}</h2>
      <a href="#/routes/${encodeURIComponent(gw.name)}">${nRoutes} route${nRoutes === 1 ? '' : 's'}</a>
      <div class="actions">
        <button type="button" class="btn btn-small" data-edit="${esc(gw.name)}">Edit</button>
        <button type="button" class="btn btn-small btn-danger" data-delete="${esc(gw.name)}">Delete</button>
      </div></div>
    <h3>Listeners</h3>
    ${listeners ? `<table><thead><tr><th scope="col">Protocol</th><th scope="col">Address</th>
      <th scope="col" class="num">Port</th><th scope="col">Name</th></tr></thead><tbody>${listeners}</tbody></table>`
    : '<p class="empty">No listeners.</p>'}
    <h3>Hosts</h3>
    ${hostItems ? `<ul class="host-list">${hostItems}</ul>` : '<p class="empty">No route serves a host on this gateway yet.</p>'}
    ${gw.httpsRedirect || gw.hsts || gw.tls ? `<p class="note">${tags([
    gw.httpsRedirect ? 'https redirect' : '', gw.hsts ? 'HSTS' : '', gw.tls ? `TLS ${gw.tls.mode || 'manual'}` : ''].filter(Boolean))}</p>` : ''}
  </section>`;
}

async function render(main, ctx) {
  const [gws, routes, tls] = await Promise.all([
    list('gateways'), list('routes'), get('/tls').catch(() => ({ hosts: [], certificates: [] })),
  ]);
  if (!ctx.isCurrent()) {
    return;
  }
  const items = gws.items || [];
  main.innerHTML = `<div class="page-head"><h1>Gateways</h1>
    <div class="actions"><button type="button" class="btn btn-primary" data-new>New gateway</button></div></div>
    ${items.length ? `<div class="cards">${items.map((g) => gatewayCard(g, routes.items || [], tls)).join('')}</div>`
    : '<p class="empty">No gateway yet. Create one to open listeners.</p>'}`;
  const byName = new Map(items.map((g) => [g.name, g]));
  main.querySelector('[data-new]').addEventListener('click', () => openGatewayForm(null, gws.revision, ctx));
  main.addEventListener('click', async (ev) => {
    const edit = ev.target.closest('[data-edit]');
    const remove = ev.target.closest('[data-delete]');
    if (edit) {
      openGatewayForm(byName.get(edit.dataset.edit), gws.revision, ctx);
    } else if (remove) {
      const name = remove.dataset.delete;
      if (await confirmDialog('Delete gateway', `Delete gateway ${name}? Its listeners close.`)) {
        try {
          const answer = await deleteObject('gateways', name, gws.revision);
          announce(savedMessage(`Deleted gateway ${name}`, answer));
          ctx.refreshSession();
          ctx.reload();
        } catch (e) {
          announce(deleteError(e), true);
        }
      }
    }
  });
}

export function deleteError(e) {
  if (e instanceof ApiError && e.status === 422) {
    const first = (e.body.details || [])[0];
    return `Not deleted: ${first ? `${first.path ? first.path + ': ' : ''}${first.message}` : e.message}`;
  }
  if (e instanceof ApiError && e.status === 409) {
    return 'Not deleted: the document changed meanwhile. The page was reloaded; try again.';
  }
  return `Not deleted: ${e.message}`;
}

function openGatewayForm(gw, revision, ctx) {
  const editing = !!gw;
  const body = `${inputField({ label: 'Name', field: 'name', value: editing ? gw.name : '', attrs: editing ? 'readonly' : 'required' })}
    ${inputField({ label: 'Address', field: 'address', value: editing ? gw.address || '' : '127.0.0.1', help: 'The IP address the listeners bind to (127.0.0.1: this machine only; 0.0.0.0: every interface).' })}
    <fieldset><legend>Listeners</legend><div data-listeners></div></fieldset>`;
  let rows;
  editObject({
    kind: 'gateways',
    title: editing ? `Edit gateway ${gw.name}` : 'New gateway',
    revision,
    body,
    setup(dlg) {
      rows = new RowList(dlg.querySelector('[data-listeners]'), {
        addLabel: 'Add listener',
        blank: () => ({ protocol: 'http', port: '' }),
        render: (l, i) => `${selectField({ label: 'Protocol', field: `listeners[${i}].protocol`, value: l.protocol || 'http', options: ['http', 'https'] })}
          ${inputField({ label: 'Port', field: `listeners[${i}].port`, value: l.port ?? '', type: 'number', attrs: 'min="1" max="65535"' })}
          ${inputField({ label: 'Name (optional)', field: `listeners[${i}].name`, value: l.name || '' })}`,
        read: (row) => {
          const sel = row.querySelector('select');
          const inputs = row.querySelectorAll('input');
          return { protocol: sel.value, port: inputs[0].value, name: inputs[1].value.trim() };
        },
      });
      rows.set(editing && gw.listeners ? gw.listeners : [{ protocol: 'http', port: '' }]);
    },
    collect(dlg) {
      const name = fieldValue(dlg, 'name');
      const errors = [];
      if (!name) {
        errors.push({ field: 'name', message: 'A name is required.' });
      }
      const listeners = rows.values().map((l, i) => {
        const port = Number(l.port);
        if (!Number.isInteger(port) || l.port === '') {
          errors.push({ field: `listeners[${i}].port`, message: 'A port number is required.' });
        }
        const out = { protocol: l.protocol, port };
        if (l.name) {
          out.name = l.name;
        }
        return out;
      });
      const item = { ...(gw || {}), name, listeners };
      const address = fieldValue(dlg, 'address');
      if (address) {
        item.address = address;
      } else {
        delete item.address;
      }
      return { name, item, errors };
    },
    onSaved() {
      ctx.refreshSession();
      ctx.reload();
    },
    onConflict: () => ctx.reload(),
  });
}

export default { title: 'Gateways', render };
