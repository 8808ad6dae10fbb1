// Services: endpoints with their live health from the proxy's status, the load balancer.

import { get, list, deleteObject } from '../api.js';
import { esc, announce, confirmDialog } from '../dom.js';
import { editObject, inputField, selectField, RowList, fieldValue, savedMessage } from '../form.js';
import { deleteError } from './gateways.js';

const POLICIES = ['round-robin', 'least-request', 'random', 'hash'];
let timer = 0;

function endpointOf(e) {
  return typeof e === 'string' ? { address: e, weight: 1 } : { address: e.address, weight: e.weight ?? 1 };
}

function healthHtml(ep) {
  if (!ep) {
    return '<span class="pill" data-health="unknown">unknown</span>';
  }
  if (ep.ejected) {
    return '<span class="pill bad" data-health="ejected">ejected</span>';
  }
  if (ep.healthy === false) {
    return '<span class="pill bad" data-health="unhealthy">unhealthy</span>';
  }
  return `<span class="pill ok" data-health="healthy">healthy</span>${ep.inFlight ? ` <span class="muted">${esc(ep.inFlight)} in flight</span>` : ''}`;
}

function liveIndex(status) {
  const out = new Map();
  const services = (status && status.status && status.status.services) || [];
  for (const s of services) {
    for (const e of s.endpoints || []) {
      out.set(`${s.name} ${e.address}`, e);
    }
  }
  return out;
}

function serviceSection(s, live, running) {
  const rows = (s.endpoints || []).map(endpointOf).map((e) => `<tr><td class="mono">${esc(e.address)}</td>
    <td class="num">${esc(e.weight)}</td><td data-live="${esc(`${s.name} ${e.address}`)}">${running ? healthHtml(live.get(`${s.name} ${e.address}`)) : '<span class="muted">no proxy running</span>'}</td></tr>`).join('');
  const hc = s.healthCheck ? `active check <span class="mono">GET ${esc(s.healthCheck.path || '(tcp)')}</span> every ${esc(s.healthCheck.interval || '5s')}` : 'passive only (no active check)';
  return `<section class="panel" data-service="${esc(s.name)}" aria-labelledby="svc-${esc(s.name)}">
    <div class="card-head"><h2 id="svc-${esc(s.name)}">${esc(s.name)}</h2>
      <span class="tag">${esc(s.loadBalancer || 'round-robin')}${s.hashOn ? ` on ${esc(s.hashOn)}` : ''}</span>
      ${s.tls ? '<span class="tag">TLS upstream</span>' : ''}
      <div class="actions"><button type="button" class="btn btn-small" data-edit="${esc(s.name)}">Edit</button>
      <button type="button" class="btn btn-small btn-danger" data-delete="${esc(s.name)}">Delete</button></div></div>
    <table><thead><tr><th scope="col">Endpoint</th><th scope="col" class="num">Weight</th><th scope="col">Health</th></tr></thead>
      <tbody>${rows || '<tr><td colspan="3" class="empty">No endpoints.</td></tr>'}</tbody></table>
    <p class="note">Health: ${hc}.</p></section>`;
}

async function render(view, ctx) {
  const [services, status] = await Promise.all([list('services'), get('/status').catch(() => ({ running: false }))]);
  if (!ctx.isCurrent()) {
    return;
  }
  const items = services.items || [];
  const live = liveIndex(status);
  view.innerHTML = `<div class="page-head"><h1>Services</h1>
    <div class="actions"><button type="button" class="btn btn-primary" data-new>New service</button></div></div>
    ${status.running ? '' : '<p class="note">No proxy is running, so there is no live health to show.</p>'}
    ${items.length ? `<div class="cards">${items.map((s) => serviceSection(s, live, status.running)).join('')}</div>` : '<p class="empty">No service yet.</p>'}`;
  const byName = new Map(items.map((s) => [s.name, s]));
  view.querySelector('[data-new]').addEventListener('click', () => openServiceForm(null, services.revision, ctx));
  view.addEventListener('click', async (ev) => {
    const edit = ev.target.closest('[data-edit]');
    const remove = ev.target.closest('[data-delete]');
    if (edit) {
      openServiceForm(byName.get(edit.dataset.edit), services.revision, ctx);
    } else if (remove) {
      const name = remove.dataset.delete;
      if (await confirmDialog('Delete service', `Delete service ${name}?`)) {
        try {
          announce(savedMessage(`Deleted service ${name}`, await deleteObject('services', name, services.revision)));
          ctx.refreshSession();
        } catch (e) {
          announce(deleteError(e), true);
        }
        ctx.reload();
      }
    }
  });
  clearInterval(timer);
  timer = setInterval(async () => {
    const fresh = await get('/status').catch(() => null);
    if (!fresh || !fresh.running || !ctx.isCurrent()) {
      return;
    }
    const idx = liveIndex(fresh);
    view.querySelectorAll('[data-live]').forEach((td) => {
      td.innerHTML = healthHtml(idx.get(td.dataset.live));
    });
  }, 5000);
}

function openServiceForm(svc, revision, ctx) {
  const editing = !!svc;
  const s = svc || { endpoints: [''] };
  let rows;
  editObject({
    kind: 'services',
    title: editing ? `Edit service ${s.name}` : 'New service',
    revision,
    body: `<div class="field-row">${inputField({ label: 'Name', field: 'name', value: s.name || '', attrs: editing ? 'readonly' : 'required' })}
      ${selectField({ label: 'Load balancer', field: 'loadBalancer', value: s.loadBalancer || 'round-robin', options: POLICIES })}
      ${inputField({ label: 'Hash on (with hash)', field: 'hashOn', value: s.hashOn || '', help: 'client-ip, header:NAME or cookie:NAME' })}</div>
      <fieldset><legend>Endpoints</legend><div data-endpoints></div></fieldset>
      ${inputField({ label: 'Health check path', field: 'healthCheck.path', value: (s.healthCheck && s.healthCheck.path) || '', help: 'e.g. /healthz; empty: no active check' })}`,
    setup(dlg) {
      rows = new RowList(dlg.querySelector('[data-endpoints]'), {
        addLabel: 'Add endpoint',
        blank: () => ({ address: '', weight: 1 }),
        render: (e, i) => `${inputField({ label: 'Address (HOST:PORT)', field: `endpoints[${i}]`, value: e.address, cls: 'grow' })}
          ${inputField({ label: 'Weight', field: `endpoints[${i}].weight`, value: e.weight, type: 'number', attrs: 'min="1" max="100"' })}`,
        read: (row) => {
          const [a, w] = row.querySelectorAll('input');
          return { address: a.value.trim(), weight: w.value };
        },
      });
      rows.set((s.endpoints || []).map(endpointOf));
    },
    collect(dlg) {
      const name = fieldValue(dlg, 'name');
      const errors = name ? [] : [{ field: 'name', message: 'A name is required.' }];
      const item = { ...(svc || {}), name };
      item.endpoints = rows.values().map((e, i) => {
        if (!e.address) {
          errors.push({ field: `endpoints[${i}]`, message: 'An address is required.' });
        }
        const w = Number(e.weight || 1);
        return w === 1 ? e.address : { address: e.address, weight: w };
      });
      const lb = fieldValue(dlg, 'loadBalancer');
      if (lb === 'round-robin') {
        delete item.loadBalancer;
      } else {
        item.loadBalancer = lb;
      }
      const hashOn = fieldValue(dlg, 'hashOn');
      if (hashOn) {
        item.hashOn = hashOn;
      } else {
        delete item.hashOn;
      }
      const path = fieldValue(dlg, 'healthCheck.path');
      if (path) {
        item.healthCheck = { ...(item.healthCheck || {}), path };
      } else if (item.healthCheck) {
        delete item.healthCheck.path;
        if (!Object.keys(item.healthCheck).length) {
          delete item.healthCheck;
        }
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

export default {
  title: 'Services',
  render,
  leave() {
    clearInterval(timer);
  },
};
