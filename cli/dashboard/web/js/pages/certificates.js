// Certificates: their state and days left, issue / renew / revoke as jobs whose progress
// (GET /api/v1/jobs/{id} every 500 ms) shows below the table.

import { get, post, list, enc, deleteObject } from '../api.js';
import { esc, announce, openDialog, confirmDialog, tags } from '../dom.js';
import { inputField, selectField, fieldValue, splitList, showErrors, clearErrors, savedMessage } from '../form.js';
import { deleteError } from './gateways.js';

const ISSUERS = [['internal', 'internal (gw\'s own CA, offline)'], ['letsencrypt', 'Let\'s Encrypt'],
  ['letsencrypt-staging', 'Let\'s Encrypt staging'], ['acme', 'another ACME CA']];
const POLL_MS = 500;
const MAX_POLLS = 1200; // ten minutes

function stateHtml(c) {
  const cls = { valid: 'ok', expiring: 'warn', expired: 'bad', missing: 'bad', failed: 'bad' }[c.state] || '';
  return `<span class="pill ${cls}" data-testid="cert-state" data-state="${esc(c.state)}">${esc(c.state || 'unknown')}</span>${c.reason ? `<br><span class="note">${esc(c.reason)}</span>` : ''}`;
}

async function loadTable(view, ctx) {
  const [certs, tls] = await Promise.all([list('certificates'), get('/tls').catch(() => ({ certificates: [] }))]);
  if (!ctx.isCurrent()) {
    return;
  }
  const states = new Map((tls.certificates || []).map((c) => [c.name, c]));
  const rows = (certs.items || []).map((c) => {
    const st = states.get(c.name) || {};
    const n = esc(c.name);
    return `<tr data-cert="${n}"><th scope="row">${n}</th><td>${tags(c.domains)}</td><td>${esc(c.issuer || 'letsencrypt')}</td>
      <td>${esc(c.gateway || 'every https gateway')}</td><td>${stateHtml(st)}</td>
      <td class="num" data-testid="cert-days">${st.daysLeft ?? '–'}</td><td>${st.notAfter ? esc(st.notAfter.slice(0, 10)) : '–'}</td>
      <td><button type="button" class="btn btn-small" data-renew="${n}" aria-label="Renew ${n}">Renew</button><button type="button"
        class="btn btn-small btn-danger" data-revoke="${n}" aria-label="Revoke ${n}">Revoke</button><button type="button"
        class="btn btn-small btn-danger" data-delete="${n}" aria-label="Delete ${n}">Delete</button></td></tr>`;
  }).join('');
  view.dataset.revision = certs.revision;
  view.querySelector('#cert-rows').innerHTML = rows || '<tr><td colspan="8" class="empty">No certificate yet.</td></tr>';
}

async function render(view, ctx) {
  view.innerHTML = `<div class="page-head"><h1>Certificates</h1>
    <div class="actions"><button type="button" class="btn btn-primary" data-issue>Issue a certificate</button></div></div>
    <div class="table-wrap"><table data-testid="certs-table"><thead><tr><th scope="col">Name</th><th scope="col">Domains</th>
      <th scope="col">Issuer</th><th scope="col">Gateway</th><th scope="col">State</th><th scope="col" class="num">Days left</th>
      <th scope="col">Expires</th><th scope="col">Actions</th></tr></thead>
      <tbody id="cert-rows"><tr><td colspan="8" class="muted">Loading…</td></tr></tbody></table></div>
    <div id="jobs" aria-live="polite"></div>`;
  const gws = await list('gateways');
  await loadTable(view, ctx);
  const jobs = view.querySelector('#jobs');
  const gwNames = (gws.items || []).map((g) => g.name);
  const jobCtx = { ...ctx, reload: () => loadTable(view, ctx) };
  view.querySelector('[data-issue]').addEventListener('click', () => openIssueForm(gwNames, jobs, jobCtx));
  view.addEventListener('click', async (ev) => {
    const renew = ev.target.closest('[data-renew]');
    const revoke = ev.target.closest('[data-revoke]');
    const remove = ev.target.closest('[data-delete]');
    try {
      if (renew) {
        const a = await post(`/certificates/${enc(renew.dataset.renew)}/renew`);
        followJob(a.job, jobs, jobCtx);
      } else if (revoke && await confirmDialog('Revoke certificate', `Revoke ${revoke.dataset.revoke}? Clients will no longer trust it.`, 'Revoke')) {
        const a = await post(`/certificates/${enc(revoke.dataset.revoke)}/revoke`);
        followJob(a.job, jobs, jobCtx);
      } else if (remove && await confirmDialog('Delete certificate', `Delete ${remove.dataset.delete} from the document?`)) {
        try {
          announce(savedMessage(`Deleted certificate ${remove.dataset.delete}`, await deleteObject('certificates', remove.dataset.delete, Number(view.dataset.revision))));
          ctx.refreshSession();
        } catch (e) {
          announce(deleteError(e), true);
        }
        loadTable(view, ctx);
      }
    } catch (e) {
      announce(e.message, true);
    }
  });
}

function openIssueForm(gateways, jobs, ctx) {
  const dlg = openDialog({
    title: 'Issue a certificate',
    body: `<div class="errors" data-errors role="alert" hidden></div>
      ${inputField({ label: 'Domains', field: 'domains', help: 'Comma-separated, e.g. shop.test, www.shop.test', attrs: 'required' })}
      <div class="field-row">${selectField({ label: 'Issuer', field: 'issuer', value: 'internal', options: ISSUERS })}
      ${selectField({ label: 'Gateway', field: 'gateway', value: gateways[0] || '', options: [['', 'every https gateway'], ...gateways] })}</div>
      ${inputField({ label: 'E-mail (ACME account contact)', field: 'email', type: 'email' })}
      <div data-acme>${inputField({ label: 'ACME directory URL', field: 'acmeDirectory', type: 'url', help: 'Required for another ACME CA' })}
      ${inputField({ label: 'CA file for the ACME API (optional)', field: 'caFile' })}</div>
      ${inputField({ label: 'Certificate name (optional)', field: 'name', help: 'Defaults to the first domain' })}`,
    foot: `<button type="button" class="btn" data-close>Cancel</button><button type="submit" class="btn btn-primary">Issue</button>`,
  });
  const acme = dlg.querySelector('[data-acme]');
  const issuer = dlg.querySelector('[data-field="issuer"]');
  const sync = () => {
    acme.hidden = issuer.value !== 'acme';
  };
  issuer.addEventListener('change', sync);
  sync();
  dlg.querySelector('[data-field="domains"]').focus();
  dlg.querySelector('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(dlg);
    const body = {
      domains: splitList(fieldValue(dlg, 'domains')), issuer: issuer.value, gateway: fieldValue(dlg, 'gateway'),
      email: fieldValue(dlg, 'email'), name: fieldValue(dlg, 'name'),
      acmeDirectory: issuer.value === 'acme' ? fieldValue(dlg, 'acmeDirectory') : '', caFile: issuer.value === 'acme' ? fieldValue(dlg, 'caFile') : '',
    };
    const errors = [];
    if (!body.domains.length) {
      errors.push({ field: 'domains', message: 'At least one domain is required.' });
    }
    if (body.issuer === 'acme' && !body.acmeDirectory) {
      errors.push({ field: 'acmeDirectory', message: 'Another ACME CA needs its directory URL.' });
    }
    if (errors.length) {
      showErrors(dlg, 'Please correct these fields:', errors);
      return;
    }
    try {
      const a = await post('/certificates/issue', body);
      dlg.close();
      followJob(a.job, jobs, ctx);
    } catch (e) {
      showErrors(dlg, e.message, (e.body && e.body.details) || []);
    }
  });
}

// Shows a job's log as it runs, then its result or the plain-sentence error.
export async function followJob(id, container, ctx) {
  const box = document.createElement('section');
  box.className = 'job';
  box.dataset.job = id;
  box.dataset.testid = 'job';
  box.innerHTML = `<h2 class="job-title">Job ${esc(id)}</h2><p data-state><span class="pill">starting</span></p><pre data-log aria-label="Log"></pre>`;
  container.prepend(box);
  const title = box.querySelector('.job-title');
  const stateEl = box.querySelector('[data-state]');
  const log = box.querySelector('[data-log]');
  for (let i = 0; i < MAX_POLLS; i += 1) {
    let job;
    try {
      job = await get(`/jobs/${enc(id)}`);
    } catch (e) {
      stateEl.innerHTML = `<span class="pill bad">unknown</span> ${esc(e.message)}`;
      return null;
    }
    title.textContent = job.title || `Job ${id}`;
    log.textContent = (job.log || []).join('\n');
    log.scrollTop = log.scrollHeight;
    if (job.state === 'succeeded') {
      stateEl.innerHTML = '<span class="pill ok" data-job-state="succeeded">succeeded</span>';
      announce(`${job.title || 'Job'}: done.`);
      ctx.refreshSession();
      if (ctx.isCurrent()) {
        ctx.reload();
      }
      return job;
    }
    if (job.state === 'failed') {
      stateEl.innerHTML = `<span class="pill bad" data-job-state="failed">failed</span> <span role="alert">${esc(job.error || 'The job failed.')}</span>`;
      announce(`${job.title || 'Job'} failed: ${job.error || ''}`, true);
      return job;
    }
    stateEl.innerHTML = `<span class="pill warn" data-job-state="running">${esc(job.state || 'running')}…</span>`;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  stateEl.innerHTML = '<span class="pill warn">still running; reload the page later to see the result</span>';
  return null;
}

export default { title: 'Certificates', render };
