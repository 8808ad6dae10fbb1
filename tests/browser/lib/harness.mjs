// The stack a browser test runs against: a temporary gw home with two gw-echo backends
// (frontend, frontendv2), a running proxy with gateway shop-ingress, and `gw dashboard`.
// Every wait is bounded; stop() undoes everything even after a failure.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const GW = process.env.GW_BIN || path.join(REPO, 'build/gw');
export const ECHO = process.env.GW_ECHO || path.join(REPO, 'build/tests/gw-echo');
export const ARTIFACTS = process.env.GW_ARTIFACTS || path.join(REPO, 'build/browser-artifacts');

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Runs gw with --home; resolves {code, stdout, stderr}; rejects on a non-zero exit unless
// allowFail.
export function gw(home, args, { timeout = 60_000, allowFail = false, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    execFile(GW, ['--home', home, '--no-color', ...args], { timeout, env: { ...process.env, ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        if (code !== 0 && !allowFail) {
          reject(new Error(`gw ${args.join(' ')} exited ${code}: ${stderr || stdout || (err && err.message)}`));
        } else {
          resolve({ code, stdout, stderr });
        }
      });
  });
}

export async function gwJson(home, args) {
  const { stdout } = await gw(home, [...args, '-o', 'json']);
  return JSON.parse(stdout);
}

// Starts a long-running process and resolves with its first stdout line matching `ready`.
export function startProcess(cmd, args, { ready, timeout = 20_000, env = {} }) {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${path.basename(cmd)} printed no ready line within ${timeout} ms: ${out}${err}`));
    }, timeout);
    proc.stderr.on('data', (d) => { err = (err + d).slice(-4000); });
    proc.stdout.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        const m = ready.exec(line);
        if (m) {
          clearTimeout(timer);
          proc.stdout.removeAllListeners('data');
          proc.stdout.resume();
          resolve({ proc, line, match: m });
          return;
        }
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(cmd)} exited ${code} before it was ready: ${out}${err}`));
    });
  });
}

function stopProcess(proc, ms = 5000) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

// One plain HTTP request; resolves {status, headers, body}.
export function request(url, { method = 'GET', headers = {}, body, timeout = 10_000, agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout, agent }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeout} ms`)));
    req.on('error', reject);
    if (body !== undefined) {
      req.write(body);
    }
    req.end();
  });
}

// `count` requests through the gateway with Host: shop.test, over kept-alive connections;
// resolves how many each backend answered ({frontend: N, frontendv2: M}).
export async function sendTraffic(port, count, { host = 'shop.test', path: p = '/product/1', concurrency = 4 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const seen = {};
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const r = await request(`http://127.0.0.1:${port}${p}`, { headers: { Host: host }, agent });
      const who = r.headers['x-backend'] || `status ${r.status}`;
      seen[who] = (seen[who] || 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return seen;
}

// Polls `fn` until it returns a truthy value or `timeout` passes (then throws with `what`).
export async function eventually(fn, { timeout = 10_000, interval = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) {
        return v;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      throw new Error(`${what}: not true within ${timeout} ms${last ? ` (${last.message})` : ''}`);
    }
    await sleep(interval);
  }
}

export async function startStack({ routes = true } = {}) {
  await fs.access(GW).catch(() => { throw new Error(`no gw binary at ${GW} (set GW_BIN, or build first)`); });
  await fs.access(ECHO).catch(() => { throw new Error(`no gw-echo at ${ECHO} (set GW_ECHO, or build first)`); });
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'gw-browser-'));
  const stack = { home, procs: [], ports: {}, installed: false };
  stack.stop = () => stopStack(stack);
  try {
    for (const name of ['frontend', 'frontendv2']) {
      const port = await freePort();
      const b = await startProcess(ECHO, ['--name', name, '--port', String(port)], { ready: /^listening \S+:(\d+)/ });
      stack.procs.push(b.proc);
      stack.ports[name] = Number(b.match[1]);
    }
    stack.ports.http = await freePort();
    stack.ports.https = await freePort();
    await gw(home, ['install']);
    stack.installed = true;
    await gw(home, ['service', 'add', 'frontend', '--endpoint', `127.0.0.1:${stack.ports.frontend}`]);
    await gw(home, ['service', 'add', 'frontendv2', '--endpoint', `127.0.0.1:${stack.ports.frontendv2}`]);
    await gw(home, ['gateway', 'create', 'shop-ingress', '--port', `http:${stack.ports.http}`,
      '--port', `https:${stack.ports.https}`, '--address', '127.0.0.1']);
    if (routes) {
      await gw(home, ['route', 'add', 'shop', '--gateway', 'shop-ingress', '--host', 'shop.test', '--to', 'frontend']);
    }
    const d = await startProcess(GW, ['--home', home, 'dashboard', '--port', '0'], { ready: /^(https?:\/\/\S+\/login\?token=\S+)/, timeout: 20_000 });
    stack.procs.push(d.proc);
    stack.dashboard = d.proc;
    stack.loginUrl = d.match[1];
    stack.base = new URL(stack.loginUrl).origin;
    return stack;
  } catch (e) {
    await stopStack(stack);
    throw e;
  }
}

async function stopStack(stack) {
  for (const p of [...stack.procs].reverse()) {
    await stopProcess(p);
  }
  if (stack.installed) {
    await gw(stack.home, ['uninstall'], { allowFail: true, timeout: 30_000 });
  }
  await fs.rm(stack.home, { recursive: true, force: true });
}
