// Small DOM helpers: escaping, the live status region, dialogs.

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $$(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

// Announces a message in the aria-live region (and shows it as a toast for a while).
export function announce(message, bad = false) {
  const region = document.getElementById('status');
  if (!region) {
    return;
  }
  const p = document.createElement('p');
  p.textContent = message;
  if (bad) {
    p.className = 'bad';
  }
  region.append(p);
  while (region.children.length > 3) {
    region.firstElementChild.remove();
  }
  setTimeout(() => p.remove(), bad ? 9000 : 5000);
}

let dialogSeq = 0;

// A modal <dialog> with a head, a body (HTML string) and a foot; Escape closes it (the
// browser's own cancel), and it is removed from the page when closed.
export function openDialog({ title, body, foot = '', onClose }) {
  const id = `dlg-${++dialogSeq}`;
  const dlg = document.createElement('dialog');
  dlg.setAttribute('aria-labelledby', `${id}-title`);
  dlg.innerHTML = `<form class="dlg" method="dialog" novalidate>
    <div class="dlg-head"><h2 id="${id}-title">${esc(title)}</h2>
      <button type="button" class="btn btn-quiet" data-close aria-label="Close">✕</button></div>
    <div class="dlg-body">${body}</div>
    <div class="dlg-foot">${foot}</div></form>`;
  document.body.append(dlg);
  dlg.addEventListener('click', (ev) => {
    if (ev.target.closest('[data-close]')) {
      dlg.close();
    }
  });
  dlg.addEventListener('close', () => {
    dlg.remove();
    if (onClose) {
      onClose();
    }
  });
  dlg.showModal();
  return dlg;
}

// Resolves true when the user confirms, false when they cancel or press Escape.
export function confirmDialog(title, message, confirmLabel = 'Delete') {
  return new Promise((resolve) => {
    let answer = false;
    const dlg = openDialog({
      title,
      body: `<p>${esc(message)}</p>`,
      foot: `<button type="button" class="btn" data-close>Cancel</button>
        <button type="button" class="btn btn-danger" data-confirm>${esc(confirmLabel)}</button>`,
      onClose: () => resolve(answer),
    });
    dlg.querySelector('[data-confirm]').addEventListener('click', () => {
      answer = true;
      dlg.close();
    });
    dlg.querySelector('[data-close].btn:not(.btn-quiet)').focus();
  });
}

// Renders a unified diff with added and removed lines marked.
export function diffHtml(diff) {
  if (!diff) {
    return '<p class="muted">Nothing changes.</p>';
  }
  const lines = diff.split('\n').map((line) => {
    if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@')) {
      return `<span class="hunk">${esc(line)}</span>`;
    }
    if (line.startsWith('+')) {
      return `<span class="add">${esc(line)}</span>`;
    }
    if (line.startsWith('-')) {
      return `<span class="del">${esc(line)}</span>`;
    }
    return esc(line) + '\n';
  });
  return `<pre class="diff" data-testid="diff" tabindex="0" aria-label="Changes">${lines.join('')}</pre>`;
}

export function fmtNumber(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) {
    return '–';
  }
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function tags(list) {
  if (!list || list.length === 0) {
    return '<span class="muted">–</span>';
  }
  return `<span class="tags">${list.map((t) => `<span class="tag">${esc(t)}</span>`).join('')}</span>`;
}
