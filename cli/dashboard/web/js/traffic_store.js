// The last 15 minutes of GET /api/v1/traffic, kept client-side: each poll asks ?since= the
// last sample it has and appends what is new, aligned on one `times` array.

export const METRICS = ['rps', 'p50', 'p99', '1xx', '2xx', '3xx', '4xx', '5xx'];
// What a sample without requests holds: counts are 0, percentiles have no value.
const IDLE = { rps: 0, p50: null, p99: null, '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
const KINDS = ['gateways', 'routes', 'services'];
const WINDOW_SECONDS = 15 * 60;

export class TrafficStore {
  constructor() {
    this.times = [];
    this.series = { gateways: new Map(), routes: new Map(), services: new Map(), destinations: new Map() };
    this.edges = [];
    this.interval = 2;
    this.proxyRunning = true;
  }

  get last() {
    return this.times.length ? this.times[this.times.length - 1] : 0;
  }

  // Appends an answer; samples at or before the last one kept are ignored.
  merge(answer) {
    this.proxyRunning = answer.proxyRunning !== false;
    this.interval = answer.interval || this.interval;
    this.edges = Array.isArray(answer.edges) ? answer.edges : [];
    const times = Array.isArray(answer.times) ? answer.times : [];
    const keep = [];
    times.forEach((t, i) => {
      if (t > this.last && (keep.length === 0 || t > times[keep[keep.length - 1]])) {
        keep.push(i);
      }
    });
    if (keep.length === 0) {
      return false;
    }
    const incoming = { destinations: new Map() };
    for (const kind of KINDS) {
      incoming[kind] = new Map(Object.entries(answer[kind] || {}));
    }
    for (const [route, byService] of Object.entries(answer.destinations || {})) {
      for (const [service, s] of Object.entries(byService || {})) {
        incoming.destinations.set(`${route}\u0000${service}`, s);
      }
    }
    const before = this.times.length;
    for (const kind of [...KINDS, 'destinations']) {
      const mine = this.series[kind];
      for (const [name, s] of incoming[kind]) {
        if (!mine.has(name)) {
          mine.set(name, emptySeries(before));
        }
        const target = mine.get(name);
        for (const m of METRICS) {
          const values = Array.isArray(s[m]) ? s[m] : [];
          for (const i of keep) {
            target[m].push(values[i] ?? null);
          }
        }
      }
      // A name the answer leaves out had no requests in these samples.
      for (const [name, target] of mine) {
        if (!incoming[kind].has(name)) {
          for (const m of METRICS) {
            for (let i = 0; i < keep.length; i += 1) {
              target[m].push(IDLE[m]);
            }
          }
        }
      }
    }
    for (const i of keep) {
      this.times.push(times[i]);
    }
    this.trim();
    return true;
  }

  trim() {
    const from = this.last - WINDOW_SECONDS;
    let cut = 0;
    while (cut < this.times.length && this.times[cut] <= from) {
      cut += 1;
    }
    if (cut === 0) {
      return;
    }
    this.times.splice(0, cut);
    for (const kind of Object.keys(this.series)) {
      for (const s of this.series[kind].values()) {
        for (const m of METRICS) {
          s[m].splice(0, cut);
        }
      }
    }
  }

  route(name) {
    return this.series.routes.get(name);
  }

  destinationsOf(route) {
    const out = [];
    for (const [key, s] of this.series.destinations) {
      const [r, service] = key.split('\u0000');
      if (r === route) {
        out.push({ service, series: s });
      }
    }
    return out;
  }
}

function emptySeries(n) {
  const s = {};
  for (const m of METRICS) {
    s[m] = new Array(n).fill(IDLE[m]);
  }
  return s;
}
