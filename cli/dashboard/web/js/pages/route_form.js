// The route editor: match, destinations with weights (their sum shown live), timeout,
// retries, or a redirect instead of destinations. Keys the form does not show are kept.

import { esc } from '../dom.js';
import { editObject, inputField, selectField, RowList, fieldValue, splitList, uid } from '../form.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const CODES = [301, 302, 303, 307, 308];

function redirectParts(r) {
  if (!r) {
    return { to: '', code: 302 };
  }
  if (typeof r === 'string') {
    return { to: r, code: 302 };
  }
  const port = r.port ? `:${r.port}` : '';
  const origin = r.host ? `${r.scheme || 'https'}://${r.host}${port}` : '';
  return { to: `${origin}${r.path || r.prefix || ''}`, code: r.code || 302 };
}

// The document's redirect from the form: the URL shorthand for 302, the mapping otherwise.
function redirectOf(to, code) {
  if (code === 302) {
    return to;
  }
  if (to.startsWith('/')) {
    return { path: to, code };
  }
  try {
    const u = new URL(to);
    const out = { scheme: u.protocol.replace(':', ''), host: u.hostname };
    if (u.port) {
      out.port = Number(u.port);
    }
    if (u.pathname && u.pathname !== '/' || to.endsWith('/')) {
      out.path = u.pathname + u.search;
    }
    out.code = code;
    return out;
  } catch {
    return { path: to, code };
  }
}

function modeOf(r) {
  if (!r) {
    return 'forward';
  }
  if (r.redirect) {
    return 'redirect';
  }
  if (r.directResponse || r.aggregate) {
    return 'keep';
  }
  return 'forward';
}

export function openRouteForm(route, { revision, gateways, services, gateway, ctx }) {
  const editing = !!route;
  const r = route || { gateway: gateway || gateways[0] || '', destinations: [{ service: services[0] || '', weight: 100 }] };
  const m = r.match || {};
  const red = redirectParts(r.redirect);
  const mode = modeOf(route);
  const radio = (value, label) => {
    const id = uid('mode');
    return `<label for="${id}"><input type="radio" id="${id}" name="mode" value="${value}"${mode === value ? ' checked' : ''}> ${esc(label)}</label>`;
  };
  const methodsId = uid('methods');
  const body = `<div class="field-row">
      ${inputField({ label: 'Name', field: 'name', value: r.name || '', attrs: editing ? 'readonly' : 'required' })}
      ${selectField({ label: 'Gateway', field: 'gateway', value: r.gateway, options: gateways.length ? gateways : [''] })}
    </div>
    <div class="field-row">
      ${inputField({ label: 'Hosts', field: 'hosts', value: (r.hosts || []).join(', '), help: 'Comma-separated; empty: any host', cls: 'wide' })}
      ${inputField({ label: 'Path', field: 'match.path', value: m.path || '/' })}
      ${selectField({ label: 'Match type', field: 'match.type', value: m.type || 'prefix', options: ['prefix', 'exact', 'regex'] })}
    </div>
    <fieldset class="field" data-field="methods" id="${methodsId}"><legend>Methods (none checked: any)</legend>
      <div class="checks">${METHODS.map((x) => {
    const id = uid('m');
    return `<label for="${id}"><input type="checkbox" id="${id}" value="${x}"${(r.methods || []).includes(x) ? ' checked' : ''}> ${x}</label>`;
  }).join('')}</div><p class="field-error" id="${methodsId}-err" data-error-for="methods"></p></fieldset>
    <fieldset><legend>Header matches (all must match)</legend><div data-headers></div></fieldset>
    <fieldset class="field" role="radiogroup" aria-label="What the route does"><legend>What the route does</legend>
      <div class="checks">${radio('forward', 'Forward to services')}${radio('redirect', 'Redirect')}${mode === 'keep' ? radio('keep', 'Keep its answer (direct response or aggregate)') : ''}</div></fieldset>
    <fieldset class="field" data-part="forward" data-field="destinations" id="dest-set"><legend>Destinations</legend>
      <div data-destinations></div>
      <p class="sum" data-sum aria-live="polite" data-testid="weight-sum"></p>
      <p class="field-error" id="dest-set-err" data-error-for="destinations"></p></fieldset>
    <fieldset data-part="redirect"><legend>Redirect</legend><div class="field-row">
      ${inputField({ label: 'Redirect to (URL or path)', field: 'redirect', value: red.to, help: 'https://shop.test/v2 or /v2' })}
      ${selectField({ label: 'Status code', field: 'redirect.code', value: red.code, options: CODES })}</div></fieldset>
    <div class="field-row" data-part="forward">
      ${inputField({ label: 'Timeout', field: 'timeout', value: r.timeout || '', help: 'e.g. 10s (empty: 15s)' })}
      ${inputField({ label: 'Retries (attempts)', field: 'retries.attempts', value: (r.retries && r.retries.attempts) || 0, type: 'number', attrs: 'min="0" max="10"' })}
    </div>`;
  let dests;
  let headers;
  const updateSum = (dlg, values) => {
    const sum = values.reduce((a, d) => a + (Number(d.weight) || 0), 0);
    const p = dlg.querySelector('[data-sum]');
    p.textContent = sum === 100 ? `Sum of weights: ${sum}.` : `Sum of weights: ${sum}. Weights must sum to 100.`;
    p.className = `sum ${sum === 100 ? 'ok' : 'bad'}`;
  };
  const showMode = (dlg) => {
    const current = dlg.querySelector('input[name="mode"]:checked').value;
    dlg.querySelectorAll('[data-part]').forEach((el) => {
      el.hidden = el.dataset.part !== current;
    });
  };
  editObject({
    kind: 'routes',
    title: editing ? `Edit route ${r.name}` : 'New route',
    revision,
    body,
    setup(dlg) {
      dlg.classList.add('route-form');
      headers = new RowList(dlg.querySelector('[data-headers]'), {
        addLabel: 'Add header match',
        blank: () => ({ name: '', value: '' }),
        render: (h, i) => `${inputField({ label: 'Header', field: `headers[${i}].name`, value: h.name, cls: 'grow' })}
          ${inputField({ label: 'Value', field: `headers[${i}].value`, value: h.value, cls: 'grow' })}`,
        read: (row) => {
          const [n, v] = row.querySelectorAll('input');
          return { name: n.value.trim(), value: v.value.trim() };
        },
      });
      headers.set(r.headers || []);
      dests = new RowList(dlg.querySelector('[data-destinations]'), {
        addLabel: 'Add destination',
        blank: () => ({ service: services[0] || '', weight: 0 }),
        render: (d, i) => `${selectField({ label: 'Service', field: `destinations[${i}].service`, value: d.service, options: services.includes(d.service) || !d.service ? services : [d.service, ...services], cls: 'grow' })}
          ${inputField({ label: 'Weight', field: `destinations[${i}].weight`, value: d.weight ?? 100, type: 'number', attrs: 'min="0" max="100" step="1"' })}`,
        read: (row) => ({ service: row.querySelector('select').value, weight: row.querySelector('input').value }),
        onChange: (values) => updateSum(dlg, values),
      });
      dests.set((r.destinations || []).map((d) => ({ service: d.service, weight: d.weight ?? 100 })));
      dlg.querySelectorAll('input[name="mode"]').forEach((el) => el.addEventListener('change', () => showMode(dlg)));
      showMode(dlg);
    },
    collect(dlg) {
      const errors = [];
      const name = fieldValue(dlg, 'name');
      if (!name) {
        errors.push({ field: 'name', message: 'A name is required.' });
      }
      const item = { ...(route || {}), name, gateway: fieldValue(dlg, 'gateway') };
      for (const k of ['hosts', 'match', 'methods', 'headers', 'destinations', 'redirect', 'timeout']) {
        delete item[k];
      }
      const hosts = splitList(fieldValue(dlg, 'hosts'));
      if (hosts.length) {
        item.hosts = hosts;
      }
      const path = fieldValue(dlg, 'match.path') || '/';
      const type = fieldValue(dlg, 'match.type');
      if (path !== '/' || type !== 'prefix') {
        item.match = { path, type };
      }
      const methods = Array.from(dlg.querySelectorAll('.checks input[type="checkbox"]:checked')).map((c) => c.value);
      if (methods.length) {
        item.methods = methods;
      }
      const hs = headers.values().filter((h) => h.name || h.value);
      if (hs.length) {
        item.headers = hs;
      }
      const mode = dlg.querySelector('input[name="mode"]:checked').value;
      if (mode === 'forward') {
        const ds = dests.values();
        ds.forEach((d, i) => {
          if (d.weight === '' || !Number.isFinite(Number(d.weight))) {
            errors.push({ field: `destinations[${i}].weight`, message: 'A weight (0 to 100) is required.' });
          }
        });
        const sum = ds.reduce((a, d) => a + (Number(d.weight) || 0), 0);
        if (ds.length === 0) {
          errors.push({ field: 'destinations', message: 'Add at least one destination.' });
        } else if (sum !== 100) {
          errors.push({ field: 'destinations', message: `Weights must sum to 100 (they sum to ${sum}).` });
        }
        item.destinations = ds.map((d) => ({ service: d.service, weight: Number(d.weight) }));
      } else if (mode === 'redirect') {
        const to = fieldValue(dlg, 'redirect');
        if (!to) {
          errors.push({ field: 'redirect', message: 'Where to redirect is required.' });
        }
        item.redirect = redirectOf(to, Number(fieldValue(dlg, 'redirect.code')));
      } else {
        item.destinations = route.destinations;
        item.redirect = route.redirect;
      }
      const timeout = fieldValue(dlg, 'timeout');
      if (timeout) {
        item.timeout = timeout;
      }
      const attempts = Number(fieldValue(dlg, 'retries.attempts') || 0);
      const retries = { ...(item.retries || {}), attempts };
      if (attempts === 0 && Object.keys(retries).length === 1) {
        delete item.retries;
      } else {
        item.retries = retries;
      }
      for (const k of Object.keys(item)) {
        if (item[k] === undefined) {
          delete item[k];
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
