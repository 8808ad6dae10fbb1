// Hand-written SVG time charts: lines (gaps where a value is null) or stacked areas.

import { esc, fmtNumber } from './dom.js';

export const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7c3aed', '#be123c', '#0f766e', '#a16207', '#475569'];
export const CLASS_COLORS = { '1xx': '#64748b', '2xx': '#15803d', '3xx': '#0b5cad', '4xx': '#c2410c', '5xx': '#b91c1c' };

const W = 400;
const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

function niceMax(v) {
  if (!(v > 0)) {
    return 1;
  }
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 2.5, 5, 10]) {
    if (v <= f * p) {
      return f * p;
    }
  }
  return 10 * p;
}

function clock(t) {
  const d = new Date(t * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

// {title, times, series: [{name, values, color}], unit, stacked, height, digits}
export function timeChart({ title, times, series, unit = '', stacked = false, height = 170, digits = 1, testid = '' }) {
  const H = height;
  const x0 = PAD.left;
  const x1 = W - PAD.right;
  const y0 = H - PAD.bottom;
  const y1 = PAD.top;
  const n = times.length;
  const tEnd = n ? times[n - 1] : 0;
  const tStart = n ? Math.min(times[0], tEnd - 60) : 0;
  const span = Math.max(1, tEnd - tStart);
  const x = (t) => x0 + ((t - tStart) / span) * (x1 - x0);
  let max = 0;
  const stacks = [];
  if (stacked) {
    const acc = new Array(n).fill(0);
    for (const s of series) {
      const lower = acc.slice();
      s.values.forEach((v, i) => { acc[i] += Number(v) || 0; });
      stacks.push({ lower, upper: acc.slice() });
    }
    max = Math.max(0, ...acc);
  } else {
    for (const s of series) {
      for (const v of s.values) {
        if (v !== null && v !== undefined && v > max) {
          max = v;
        }
      }
    }
  }
  const top = niceMax(max);
  const y = (v) => y0 - (v / top) * (y0 - y1);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = top * f;
    return `<line class="grid" x1="${x0}" x2="${x1}" y1="${y(v)}" y2="${y(v)}"/>
      <text x="${x0 - 6}" y="${y(v) + 4}" text-anchor="end">${fmtNumber(v, v < 10 && v % 1 ? 1 : 0)}</text>`;
  }).join('');
  const xLabels = n ? `<text x="${x0}" y="${H - 6}">${clock(tStart)}</text><text x="${x1}" y="${H - 6}" text-anchor="end">${clock(tEnd)}</text>` : '';
  let marks = '';
  if (stacked) {
    marks = series.map((s, k) => {
      if (n === 0) {
        return '';
      }
      const up = times.map((t, i) => `${x(t).toFixed(1)},${y(stacks[k].upper[i]).toFixed(1)}`);
      const down = times.map((t, i) => `${x(t).toFixed(1)},${y(stacks[k].lower[i]).toFixed(1)}`).reverse();
      return `<polygon points="${up.concat(down).join(' ')}" fill="${s.color}" fill-opacity="0.8" stroke="${s.color}" stroke-width="0.5"/>`;
    }).join('');
  } else {
    marks = series.map((s) => {
      const runs = [];
      let run = [];
      s.values.forEach((v, i) => {
        if (v === null || v === undefined) {
          if (run.length) {
            runs.push(run);
          }
          run = [];
        } else {
          run.push(`${x(times[i]).toFixed(1)},${y(v).toFixed(1)}`);
        }
      });
      if (run.length) {
        runs.push(run);
      }
      return runs.map((r) => (r.length === 1
        ? `<circle cx="${r[0].split(',')[0]}" cy="${r[0].split(',')[1]}" r="2" fill="${s.color}"/>`
        : `<polyline points="${r.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round"/>`)).join('');
    }).join('');
  }
  const latest = series.map((s) => {
    const v = [...s.values].reverse().find((e) => e !== null && e !== undefined);
    return { name: s.name, color: s.color, text: v === undefined ? '–' : `${fmtNumber(v, digits)}${unit}` };
  });
  const summary = `${title}: ${latest.map((l) => `${l.name} ${l.text}`).join(', ') || 'no data'}`;
  return `<figure class="chart panel"${testid ? ` data-testid="${esc(testid)}"` : ''}><figcaption>${esc(title)}</figcaption>
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(summary)}">
      ${grid}<line class="axis" x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}"/>${xLabels}${marks}
      ${n === 0 ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">waiting for samples…</text>` : ''}
    </svg>
    <div class="legend">${latest.map((l) => `<span>${swatch(l.color)}${esc(l.name)}: <strong>${esc(l.text)}</strong></span>`).join('')}</div>
  </figure>`;
}

export function swatch(color) {
  return `<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${esc(color)}"/></svg>`;
}
