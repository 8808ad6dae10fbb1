// The dashboard's JSON API (docs/dashboard-api.md): every call goes through `api`, which
// adds the session's X-GW-CSRF header to changes and turns error answers into ApiError.

let csrf = '';

export function setCsrf(token) {
  csrf = token || '';
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `the server answered ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

export async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (method !== 'GET') {
    init.headers['X-GW-CSRF'] = csrf;
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch('/api/v1' + path, init);
  } catch (e) {
    throw new ApiError(0, { error: 'The dashboard does not answer (is `gw dashboard` still running?).' });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { error: text.slice(0, 200) };
    }
  }
  if (res.status === 401) {
    location.assign('/login');
  }
  if (!res.ok) {
    throw new ApiError(res.status, data);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const put = (path, body) => api('PUT', path, body);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const del = (path) => api('DELETE', path);

const enc = encodeURIComponent;

// PUT /api/v1/{kind}/{name}: create or replace, or only compute the diff with dryRun.
export function saveObject(kind, name, item, revision, dryRun) {
  return put(`/${kind}/${enc(name)}`, { revision, item, dryRun: !!dryRun });
}

export function deleteObject(kind, name, revision, dryRun) {
  return del(`/${kind}/${enc(name)}?revision=${revision || 0}${dryRun ? '&dryRun=1' : ''}`);
}

export function list(kind) {
  return get(`/${kind}`);
}

export { enc };
