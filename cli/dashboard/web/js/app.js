// The shell: session and header state, and the hash router that loads one page module at
// a time (#/gateways, #/routes, ...). Pages export {title, render(main, ctx), leave()}.

import { get, setCsrf } from './api.js';
import { esc, announce } from './dom.js';

const PAGES = {
  gateways: () => import('./pages/gateways.js'),
  routes: () => import('./pages/routes.js'),
  services: () => import('./pages/services.js'),
  certificates: () => import('./pages/certificates.js'),
  consumers: () => import('./pages/consumers.js'),
  monitoring: () => import('./pages/monitoring.js'),
};
const DEFAULT_PAGE = 'gateways';

const state = { session: null, current: null, token: 0 };

export async function refreshSession() {
  try {
    const s = await get('/session');
    state.session = s;
    setCsrf(s.csrf);
    showSession(s);
    return s;
  } catch (e) {
    announce(`Could not read the session: ${e.message}`, true);
    return null;
  }
}

function showSession(s) {
  const pill = document.getElementById('proxy-state');
  const banner = document.getElementById('no-proxy');
  const running = !!(s.proxy && s.proxy.running);
  pill.textContent = running ? `Proxy running · serves revision ${s.proxy.revision ?? '?'}` : 'Proxy not running';
  pill.className = `pill ${running ? 'ok' : 'warn'}`;
  banner.hidden = running;
  document.getElementById('revision').textContent = `Document revision ${s.revision}`;
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [name, ...rest] = raw.split('/');
  return { name: PAGES[name] ? name : DEFAULT_PAGE, arg: decodeURIComponent(rest.join('/')) };
}

async function route() {
  const { name, arg } = parseHash();
  const token = ++state.token;
  delete document.getElementById('main').dataset.ready;
  if (state.current && state.current.leave) {
    state.current.leave();
  }
  state.current = null;
  document.querySelectorAll('.nav a').forEach((a) => {
    if (a.dataset.page === name) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  });
  const main = document.getElementById('main');
  let mod;
  try {
    mod = (await PAGES[name]()).default;
  } catch (e) {
    main.innerHTML = `<h1>Error</h1><p>${esc(e.message)}</p>`;
    return;
  }
  if (token !== state.token) {
    return;
  }
  state.current = mod;
  document.title = `${mod.title} · gw dashboard`;
  main.dataset.page = name;
  // A fresh element per visit: listeners a page adds to it go away with it.
  const view = document.createElement('div');
  view.className = 'view';
  view.innerHTML = `<h1>${esc(mod.title)}</h1><p class="muted">Loading…</p>`;
  main.replaceChildren(view);
  const ctx = {
    arg,
    session: () => state.session,
    refreshSession,
    isCurrent: () => token === state.token,
    reload: () => route(),
  };
  try {
    await mod.render(view, ctx);
  } catch (e) {
    if (token === state.token) {
      view.innerHTML = `<h1>${esc(mod.title)}</h1><p class="errors" role="alert">${esc(e.message)}</p>`;
    }
  }
  if (token === state.token) {
    main.dataset.ready = name; // the page has its data (tests wait for this)
    performance.mark(`gw:ready:${name}`);
  }
  if (token === state.token && state.focusOnRoute) {
    const h1 = main.querySelector('h1');
    if (h1) {
      h1.tabIndex = -1;
      h1.focus({ preventScroll: true });
    }
  }
  state.focusOnRoute = true;
}

window.addEventListener('hashchange', route);
// The link of the page shown reloads it (a hash that does not change fires no hashchange).
document.querySelector('.nav').addEventListener('click', (ev) => {
  const a = ev.target.closest('a[href^="#/"]');
  if (a && a.getAttribute('href') === location.hash) {
    ev.preventDefault();
    route();
  }
});
route();
refreshSession();
// The header follows changes made elsewhere (the CLI, another browser).
setInterval(() => {
  if (document.visibilityState === 'visible') {
    refreshSession();
  }
}, 5000);
