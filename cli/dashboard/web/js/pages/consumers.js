// Consumers and plans: API keys (a new key is shown once), usage this period against the
// plan's quota (GET /api/v1/usage: what `gw usage -o json` prints, read defensively).

import { get, post, del, list, enc, deleteObject } from '../api.js';
import { esc, announce, openDialog, confirmDialog, tags, fmtNumber } from '../dom.js';
import { editObject, inputField, selectField, fieldValue, splitList, savedMessage } from '../form.js';
import { deleteError } from './gateways.js';

function usageRows(u) {
  if (Array.isArray(u)) {
    return u;
  }
  for (const k of ['items', 'rows', 'usage']) {
    if (u && Array.isArray(u[k])) {
      return u[k];
    }
  }
  return [];
}

// "1000/day" -> {limit: 1000, per: 'day'}; anything else -> null.
export function parseQuota(q) {
  const m = /^\s*([\d_,]+)\s*\/\s*(?:1\s*)?(day|d|month|mo|m)\b/i.exec(String(q || ''));
  if (!m) {
    return null;
  }
  return { limit: Number(m[1].replace(/[_,]/g, '')), per: /^d/i.test(m[2]) ? 'day' : 'month' };
}

// This period's billable requests of a consumer: today (UTC) or this month.
function usedThisPeriod(rows, consumer, per) {
  const now = new Date().toISOString();
  const key = per === 'day' ? now.slice(0, 10) : now.slice(0, 7);
  let used = 0;
  for (const r of rows) {
    const period = String(r.day || r.month || r.period || '');
    if (r.consumer === consumer && period.startsWith(key)) {
      used += Number(r.billable ?? r.requests ?? 0);
    }
  }
  return used;
}

function usageCell(c, plan, rows) {
  const quota = plan && parseQuota(plan.quota);
  if (!quota) {
    const total = rows.filter((r) => r.consumer === c.name).reduce((a, r) => a + Number(r.billable ?? r.requests ?? 0), 0);
    return `${fmtNumber(total)} <span class="muted">requests metered${plan ? ', no quota' : ''}</span>`;
  }
  const used = usedThisPeriod(rows, c.name, quota.per);
  const pct = quota.limit ? Math.min(100, Math.round((used / quota.limit) * 100)) : 0;
  const cls = pct >= 100 ? 'bad' : pct >= 80 ? 'warn' : 'ok';
  return `<span class="pill ${cls}">${fmtNumber(used)} / ${fmtNumber(quota.limit)} this ${quota.per}</span>
    <meter min="0" max="${quota.limit}" value="${Math.min(used, quota.limit)}" aria-label="Quota used by ${esc(c.name)}">${pct}%</meter>`;
}

function keysCell(c) {
  const keys = (c.apiKeys || []).map((k) => `<li><span class="mono">${esc(k.id)}</span>${k.created ? ` <span class="muted">${esc(String(k.created).slice(0, 10))}</span>` : ''}
    <button type="button" class="btn btn-small btn-danger" data-revoke="${esc(c.name)}" data-key="${esc(k.id)}" aria-label="Revoke key ${esc(k.id)} of ${esc(c.name)}">Revoke</button></li>`).join('');
  const basic = (c.basicAuth || []).map((b) => `<li>basic user <span class="mono">${esc(b.user)}</span></li>`).join('');
  return `<ul class="host-list plain">${keys}${basic}</ul>${keys || basic ? '' : '<span class="muted">no credentials</span>'}`;
}

async function render(view, ctx) {
  const [consumers, plans, usage] = await Promise.all([list('consumers'), list('plans'),
    get('/usage').catch((e) => ({ error: e.message }))]);
  if (!ctx.isCurrent()) {
    return;
  }
  const rows = usageRows(usage);
  const planMap = new Map((plans.items || []).map((p) => [p.name, p]));
  const cRows = (consumers.items || []).map((c) => `<tr data-consumer="${esc(c.name)}"><th scope="row">${esc(c.name)}</th>
    <td>${c.plan ? esc(c.plan) : '<span class="muted">none</span>'}</td><td>${tags(c.groups)}</td><td>${keysCell(c)}</td>
    <td>${usageCell(c, planMap.get(c.plan), rows)}</td>
    <td><button type="button" class="btn btn-small" data-newkey="${esc(c.name)}">New API key</button><button type="button"
      class="btn btn-small" data-edit="${esc(c.name)}">Edit</button><button type="button" class="btn btn-small btn-danger"
      data-delete="${esc(c.name)}">Delete</button></td></tr>`).join('');
  const pRows = (plans.items || []).map((p) => `<tr><th scope="row">${esc(p.name)}</th><td>${esc(p.quota || '–')}</td>
    <td>${p.rateLimit ? esc(`${p.rateLimit.rate}${p.rateLimit.burst ? ` (burst ${p.rateLimit.burst})` : ''}`) : '–'}</td>
    <td>${p.price ? esc(`${p.price.monthly} ${p.price.currency || ''}/month${p.price.included ? `, ${p.price.included} included` : ''}${p.price.perRequest ? `, ${p.price.perRequest} per request` : ''}`) : '–'}</td>
    <td class="num">${(consumers.items || []).filter((c) => c.plan === p.name).length}</td></tr>`).join('');
  view.innerHTML = `<div class="page-head"><h1>Consumers</h1>
    <div class="actions"><button type="button" class="btn btn-primary" data-new>New consumer</button></div></div>
    <div class="table-wrap"><table data-testid="consumers-table"><thead><tr><th scope="col">Name</th><th scope="col">Plan</th>
      <th scope="col">Groups</th><th scope="col">Credentials</th><th scope="col">Usage this period</th><th scope="col">Actions</th></tr></thead>
      <tbody>${cRows || '<tr><td colspan="6" class="empty">No consumer yet.</td></tr>'}</tbody></table></div>
    ${usage && usage.error ? `<p class="note">Usage could not be read: ${esc(usage.error)}</p>` : ''}
    <h2>Plans</h2>
    <div class="table-wrap"><table><thead><tr><th scope="col">Plan</th><th scope="col">Quota</th><th scope="col">Rate limit</th>
      <th scope="col">Price</th><th scope="col" class="num">Consumers</th></tr></thead>
      <tbody>${pRows || '<tr><td colspan="5" class="empty">No plan. Create them with <code>gw plan add</code>.</td></tr>'}</tbody></table></div>`;
  const byName = new Map((consumers.items || []).map((c) => [c.name, c]));
  const planNames = (plans.items || []).map((p) => p.name);
  view.querySelector('[data-new]').addEventListener('click', () => openConsumerForm(null, planNames, consumers.revision, ctx));
  view.addEventListener('click', async (ev) => {
    const t = (sel) => ev.target.closest(sel);
    try {
      if (t('[data-newkey]')) {
        const a = await post(`/consumers/${enc(t('[data-newkey]').dataset.newkey)}/keys`);
        showKey(a, ctx);
      } else if (t('[data-revoke]')) {
        const b = t('[data-revoke]');
        if (await confirmDialog('Revoke API key', `Revoke key ${b.dataset.key} of ${b.dataset.revoke}? Requests with it will be refused.`, 'Revoke')) {
          const a = await del(`/consumers/${enc(b.dataset.revoke)}/keys/${enc(b.dataset.key)}`);
          announce(`Revoked key ${b.dataset.key} (revision ${a.revision}).`);
          ctx.refreshSession();
          ctx.reload();
        }
      } else if (t('[data-edit]')) {
        openConsumerForm(byName.get(t('[data-edit]').dataset.edit), planNames, consumers.revision, ctx);
      } else if (t('[data-delete]')) {
        const name = t('[data-delete]').dataset.delete;
        if (await confirmDialog('Delete consumer', `Delete consumer ${name} and its credentials?`)) {
          try {
            announce(savedMessage(`Deleted consumer ${name}`, await deleteObject('consumers', name, consumers.revision)));
          } catch (e) {
            announce(deleteError(e), true);
          }
          ctx.refreshSession();
          ctx.reload();
        }
      }
    } catch (e) {
      announce(e.message, true);
    }
  });
}

function showKey(a, ctx) {
  const dlg = openDialog({
    title: `New API key for ${a.consumer}`,
    body: `<p class="warning" role="alert"><strong>Copy this key now: it will not be shown again.</strong> gw keeps only its SHA-256.</p>
      <div class="field"><label for="new-key">Key <span class="mono">${esc(a.id)}</span></label>
      <div class="secret"><input id="new-key" readonly value="${esc(a.key)}" data-testid="new-key">
      <button type="button" class="btn" data-copy>Copy</button></div><p class="note" data-copied aria-live="polite"></p></div>`,
    foot: '<button type="button" class="btn btn-primary" data-close>I have copied it</button>',
    onClose: () => {
      ctx.refreshSession();
      ctx.reload();
    },
  });
  const input = dlg.querySelector('#new-key');
  input.select();
  dlg.querySelector('[data-copy]').addEventListener('click', async () => {
    const out = dlg.querySelector('[data-copied]');
    try {
      await navigator.clipboard.writeText(a.key);
      out.textContent = 'Copied to the clipboard.';
    } catch {
      input.select();
      out.textContent = 'Select the key and copy it with Ctrl+C.';
    }
  });
}

function openConsumerForm(c, plans, revision, ctx) {
  const editing = !!c;
  editObject({
    kind: 'consumers',
    title: editing ? `Edit consumer ${c.name}` : 'New consumer',
    revision,
    body: `${inputField({ label: 'Name', field: 'name', value: editing ? c.name : '', attrs: editing ? 'readonly' : 'required' })}
      ${selectField({ label: 'Plan', field: 'plan', value: (c && c.plan) || '', options: [['', 'none'], ...plans] })}
      ${inputField({ label: 'Groups', field: 'groups', value: ((c && c.groups) || []).join(', '), help: 'Comma-separated; routes can allow groups.' })}`,
    collect(dlg) {
      const name = fieldValue(dlg, 'name');
      const item = { ...(c || {}), name };
      const plan = fieldValue(dlg, 'plan');
      const groups = splitList(fieldValue(dlg, 'groups'));
      if (plan) {
        item.plan = plan;
      } else {
        delete item.plan;
      }
      if (groups.length) {
        item.groups = groups;
      } else {
        delete item.groups;
      }
      return { name, item, errors: name ? [] : [{ field: 'name', message: 'A name is required.' }] };
    },
    onSaved() {
      ctx.refreshSession();
      ctx.reload();
    },
    onConflict: () => ctx.reload(),
  });
}

export default { title: 'Consumers', render };
