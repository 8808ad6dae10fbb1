// Editing an object of the document in a dialog: the form, a dry run that shows the diff,
// then Apply. Validation errors (422) go next to the field their `field` path names and in
// a summary; a 409 offers to reload.

import { saveObject, ApiError } from './api.js';
import { esc, openDialog, diffHtml, announce } from './dom.js';

let seq = 0;

export function uid(prefix = 'f') {
  seq += 1;
  return `${prefix}${seq}`;
}

// One labelled input. `field` is the object's field path (e.g. "destinations[0].weight").
export function inputField({ label, field, value = '', type = 'text', help = '', attrs = '', cls = '' }) {
  const id = uid('in');
  const helpId = help ? `${id}-help` : '';
  return `<div class="field ${cls}">
    <label for="${id}">${esc(label)}</label>
    <input id="${id}" name="${esc(field)}" type="${type}" value="${esc(value)}" data-field="${esc(field)}"
      ${helpId ? `aria-describedby="${helpId}"` : ''} ${attrs}>
    ${help ? `<span class="help" id="${helpId}">${esc(help)}</span>` : ''}
    <p class="field-error" id="${id}-err" data-error-for="${esc(field)}"></p>
  </div>`;
}

export function selectField({ label, field, value = '', options, cls = '', attrs = '' }) {
  const id = uid('sel');
  const opts = options.map((o) => {
    const [v, text] = Array.isArray(o) ? o : [o, o];
    return `<option value="${esc(v)}"${String(v) === String(value) ? ' selected' : ''}>${esc(text)}</option>`;
  }).join('');
  return `<div class="field ${cls}">
    <label for="${id}">${esc(label)}</label>
    <select id="${id}" name="${esc(field)}" data-field="${esc(field)}" ${attrs}>${opts}</select>
    <p class="field-error" id="${id}-err" data-error-for="${esc(field)}"></p>
  </div>`;
}

export function fieldValue(root, field) {
  const el = root.querySelector(`[data-field="${CSS.escape(field)}"]`);
  return el ? el.value.trim() : '';
}

export function splitList(text) {
  return String(text || '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

// Repeated rows (listeners, destinations, endpoints, header matches). `render(value, i)`
// returns a row's inner HTML with indexed data-field paths; `read(rowEl)` reads it back.
export class RowList {
  constructor(root, { render, read, blank, onChange, addLabel }) {
    this.root = root;
    this.opts = { render, read, blank, onChange };
    root.innerHTML = `<div class="rows"></div>
      <button type="button" class="btn btn-small" data-add>${esc(addLabel || 'Add')}</button>`;
    this.rows = root.querySelector('.rows');
    root.querySelector('[data-add]').addEventListener('click', () => {
      this.set([...this.values(), blank()]);
      const last = this.rows.lastElementChild;
      const first = last && last.querySelector('input, select');
      if (first) {
        first.focus();
      }
    });
    this.rows.addEventListener('click', (ev) => {
      const btn = ev.target.closest('[data-remove]');
      if (btn) {
        const values = this.values();
        values.splice(Number(btn.dataset.remove), 1);
        this.set(values);
        this.root.querySelector('[data-add]').focus();
      }
    });
    this.rows.addEventListener('input', () => this.changed());
    this.rows.addEventListener('change', () => this.changed());
  }

  set(values) {
    this.rows.innerHTML = values.map((v, i) => `<div class="row" data-row="${i}">${this.opts.render(v, i)}
      <button type="button" class="btn btn-small btn-danger" data-remove="${i}" aria-label="Remove row ${i + 1}">Remove</button></div>`).join('');
    this.changed();
  }

  values() {
    return Array.from(this.rows.children).map((row) => this.opts.read(row));
  }

  changed() {
    if (this.opts.onChange) {
      this.opts.onChange(this.values());
    }
  }
}

// Marks the fields named by `details` ([{field, message, path}]) and lists every problem.
export function showErrors(dlg, title, details, extraHtml = '') {
  clearErrors(dlg);
  const items = [];
  for (const d of details) {
    const el = findField(dlg, d.field || '');
    let link = '';
    if (el) {
      el.setAttribute('aria-invalid', 'true');
      const holder = errorHolder(el);
      if (holder) {
        holder.textContent = holder.textContent ? `${holder.textContent} ${d.message}` : d.message;
        const described = new Set((el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
        described.add(holder.id);
        el.setAttribute('aria-describedby', [...described].join(' '));
      }
      link = el.id;
    }
    const where = d.field || d.path || '';
    const text = `${where ? where + ': ' : ''}${d.message || ''}`;
    items.push(link ? `<li><a href="#${esc(link)}" data-focus="${esc(link)}">${esc(text)}</a></li>` : `<li>${esc(text)}</li>`);
  }
  const box = dlg.querySelector('[data-errors]');
  box.hidden = false;
  box.innerHTML = `<p><strong>${esc(title)}</strong></p>${items.length ? `<ul data-testid="error-summary">${items.join('')}</ul>` : ''}${extraHtml}`;
  box.querySelectorAll('[data-focus]').forEach((a) => a.addEventListener('click', (ev) => {
    ev.preventDefault();
    const target = dlg.querySelector(`#${CSS.escape(a.dataset.focus)}`);
    if (target) {
      target.focus();
    }
  }));
  box.scrollIntoView({ block: 'nearest' });
}

export function clearErrors(dlg) {
  dlg.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  dlg.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  const box = dlg.querySelector('[data-errors]');
  if (box) {
    box.hidden = true;
    box.innerHTML = '';
  }
}

// The input for a field path, or for the nearest enclosing path that has one
// ("destinations[1].weight" -> "destinations[1]" -> "destinations").
function findField(root, field) {
  let f = field;
  while (f) {
    const el = root.querySelector(`[data-field="${CSS.escape(f)}"]`);
    if (el) {
      return el;
    }
    const cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
    f = cut > 0 ? f.slice(0, cut) : '';
  }
  return null;
}

// The error paragraph of the field `el` is the input of: the one named for its field path,
// else the one of its .field wrapper.
function errorHolder(el) {
  const field = el.dataset.field;
  const named = el.closest('dialog, main')?.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
  if (named) {
    return named;
  }
  const wrapper = el.closest('.field');
  return wrapper ? wrapper.querySelector('.field-error') : null;
}

// Opens the editor. `collect(dlg)` returns {name, item, errors}; client-side errors are
// shown like the server's. `onSaved(answer)` runs after Apply; `onConflict()` reloads.
export function editObject({ kind, title, revision, body, setup, collect, onSaved, onConflict }) {
  const dlg = openDialog({
    title,
    body: `<div class="errors" data-errors role="alert" hidden></div>${body}
      <section class="preview" data-preview hidden aria-live="polite"></section>`,
    foot: `<span class="hint" data-hint>Review the change before it is saved.</span>
      <button type="button" class="btn" data-close>Cancel</button>
      <button type="submit" class="btn btn-primary" data-review>Review changes</button>
      <button type="button" class="btn btn-primary" data-apply hidden>Apply</button>`,
  });
  const form = dlg.querySelector('form');
  const preview = dlg.querySelector('[data-preview]');
  const reviewBtn = dlg.querySelector('[data-review]');
  const applyBtn = dlg.querySelector('[data-apply]');
  let pending = null;
  const invalidate = () => {
    if (pending) {
      pending = null;
      applyBtn.hidden = true;
      reviewBtn.classList.add('btn-primary');
      preview.hidden = true;
    }
  };
  if (setup) {
    setup(dlg);
  }
  form.addEventListener('input', invalidate);
  form.addEventListener('change', invalidate);
  const fail = (e) => {
    if (e instanceof ApiError && e.status === 422) {
      showErrors(dlg, e.message || 'The change would make the document invalid; nothing was saved.', e.body.details || []);
    } else if (e instanceof ApiError && e.status === 409) {
      showErrors(dlg, `The document changed meanwhile (saved revision ${e.body.revision ?? '?'}); nothing was saved.`, [],
        '<p>Reload to see the current version, then make the change again.</p><button type="button" class="btn" data-reload>Reload</button>');
      dlg.querySelector('[data-reload]').addEventListener('click', () => {
        dlg.close();
        if (onConflict) {
          onConflict();
        }
      });
    } else {
      showErrors(dlg, e.message || String(e), []);
    }
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(dlg);
    const { name, item, errors } = collect(dlg);
    if (errors && errors.length) {
      showErrors(dlg, 'Please correct these fields:', errors);
      return;
    }
    reviewBtn.disabled = true;
    try {
      const answer = await saveObject(kind, name, item, revision, true);
      pending = { name, item };
      preview.hidden = false;
      preview.innerHTML = `<h3>Changes to the document</h3>${diffHtml(answer.diff)}`;
      applyBtn.hidden = false;
      reviewBtn.classList.remove('btn-primary');
      applyBtn.focus();
      preview.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      fail(e);
    } finally {
      reviewBtn.disabled = false;
    }
  });
  applyBtn.addEventListener('click', async () => {
    if (!pending) {
      return;
    }
    applyBtn.disabled = true;
    try {
      const answer = await saveObject(kind, pending.name, pending.item, revision, false);
      dlg.close();
      announce(savedMessage(`Saved ${pending.name}`, answer));
      if (onSaved) {
        onSaved(answer);
      }
    } catch (e) {
      invalidate();
      fail(e);
    } finally {
      applyBtn.disabled = false;
    }
  });
  const first = dlg.querySelector('.dlg-body input:not([readonly]), .dlg-body select');
  if (first) {
    first.focus();
  }
  return dlg;
}

export function savedMessage(what, answer) {
  if (!answer) {
    return what;
  }
  const rev = answer.revision !== undefined ? ` (revision ${answer.revision})` : '';
  let served = '';
  if (answer.proxyRunning === false) {
    served = '; no proxy is running to serve it';
  } else if (answer.reloaded) {
    served = '; the proxy serves it';
  }
  return `${what}${rev}${served}.`;
}
