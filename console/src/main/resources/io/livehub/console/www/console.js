// The Livehub console: lists the live streams from the management API every few seconds and
// shows the URLs to publish and play them. No framework, no build step.
'use strict';

const TOKEN_KEY = 'livehub.apiToken';
const REFRESH_MS = 3000;
let config = { ports: {}, version: '' };

function apiHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c);
  return e;
}

function host() {
  return location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
}

/** The URLs of app/stream for every protocol whose port the server reports. */
function urls(app, stream, mode) {
  const p = config.ports;
  const h = host();
  const out = [];
  if (p.rtmp) out.push(['RTMP', `rtmp://${h}:${p.rtmp}/${app}/${stream}`]);
  if (p.srt) {
    out.push(['SRT', `srt://${h}:${p.srt}?streamid=#!::r=${app}/${stream},m=${mode === 'publish' ? 'publish' : 'request'}`]);
  }
  if (mode !== 'publish' && p.http) {
    const base = `${location.protocol}//${h}:${p.http}/${app}/${stream}`;
    out.push(['HTTP-FLV', `${base}.flv`]);
    out.push(['HLS', `${base}.m3u8`]);
  }
  return out;
}

function copyButton(text) {
  return el('button', {
    type: 'button', textContent: 'Copy', title: 'Copy to the clipboard',
    onclick: async (ev) => {
      try {
        await navigator.clipboard.writeText(text);
        ev.target.textContent = 'Copied';
      } catch {
        // No clipboard permission (plain HTTP on another host): select the text instead.
        const code = ev.target.previousSibling;
        const range = document.createRange();
        range.selectNodeContents(code);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        ev.target.textContent = 'Selected';
      }
      setTimeout(() => { ev.target.textContent = 'Copy'; }, 1500);
    },
  });
}

function urlList(list) {
  const dl = el('dl', { class: 'urls' });
  for (const [name, url] of list) {
    dl.append(el('dt', {}, name), el('dd', {}, el('code', {}, url), copyButton(url)));
  }
  return dl;
}

function kbps(n) {
  return n >= 1000 ? `${(n / 1000).toFixed(1)} Mb/s` : `${n} kb/s`;
}

function uptime(liveMs) {
  if (!liveMs) return '';
  let s = Math.max(0, Math.floor((Date.now() - liveMs) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  s %= 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

function videoText(v) {
  if (!v) return '';
  const size = v.width && v.height ? ` ${v.width}x${v.height}` : '';
  return `${v.codec}${v.profile ? ` ${v.profile}` : ''}${size}`;
}

function audioText(a) {
  if (!a) return '';
  return `${a.codec}${a.sample_rate ? ` ${a.sample_rate / 1000} kHz` : ''}${a.channel ? ` ${a.channel} ch` : ''}`;
}

function playerLink(app, stream, type, label) {
  const q = new URLSearchParams({ app, stream, type });
  return el('a', { class: 'play', href: `/players/?${q}`, target: '_blank', rel: 'noopener', textContent: label });
}

function renderStreams(streams) {
  const body = document.querySelector('#streams tbody');
  // Rows whose URLs the user opened stay open across refreshes.
  const open = new Set([...body.querySelectorAll('tr.urls-row')].filter((r) => !r.hidden).map((r) => r.dataset.for));
  body.replaceChildren();
  const live = streams.filter((s) => s.publish && s.publish.active);
  document.getElementById('empty').hidden = live.length > 0;
  for (const s of live) {
    const id = `${s.app}/${s.name}`;
    const viewers = Math.max(0, s.clients - 1);
    const toggle = el('button', { type: 'button', textContent: 'URLs' });
    const row = el('tr', { 'data-stream': id },
      el('td', {}, id),
      el('td', {}, videoText(s.video)),
      el('td', {}, audioText(s.audio)),
      el('td', { class: 'num' }, kbps(s.kbps.recv_30s)),
      el('td', { class: 'num' }, kbps(s.kbps.send_30s)),
      el('td', { class: 'num' }, String(viewers)),
      el('td', { class: 'num' }, uptime(s.live_ms)),
      el('td', {}, playerLink(s.app, s.name, 'flv', 'HTTP-FLV'), playerLink(s.app, s.name, 'hls', 'HLS'), toggle));
    const urlsRow = el('tr', { class: 'urls-row', 'data-for': id },
      el('td', { colSpan: 8 }, urlList(urls(s.app, s.name, 'play'))));
    urlsRow.hidden = !open.has(id);
    toggle.onclick = () => { urlsRow.hidden = !urlsRow.hidden; };
    body.append(row, urlsRow);
  }
}

function status(text) {
  document.getElementById('status').textContent = text;
}

async function refresh() {
  try {
    // credentials 'omit': the API's 401 also offers Basic, and a request that may send
    // credentials would make the browser pop up its own login box (Fetch, HTTP-network-or-cache
    // fetch); the token goes in our own Authorization header instead.
    const r = await fetch('/api/v1/streams', { headers: apiHeaders(), cache: 'no-store', credentials: 'omit' });
    if (r.status === 401 || r.status === 403) {
      document.getElementById('token-form').hidden = false;
      status(r.status === 401 ? 'token needed' : 'the API answers on loopback only: set LIVEHUB_API_TOKEN');
      return;
    }
    if (!r.ok) {
      status(`API answered ${r.status}`);
      return;
    }
    document.getElementById('token-form').hidden = true;
    const json = await r.json();
    renderStreams(json.streams || []);
    status(`updated ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    status(`API unreachable: ${e.message}`);
  }
}

function renderPublish() {
  const app = document.getElementById('publish-app').value.trim() || 'live';
  const stream = document.getElementById('publish-stream').value.trim() || 'livestream';
  document.getElementById('publish-urls').replaceWith(
    Object.assign(urlList(urls(app, stream, 'publish')), { id: 'publish-urls' }));
}

async function main() {
  try {
    const r = await fetch('/console/config.json', { cache: 'no-store' });
    config = await r.json();
    document.getElementById('version').textContent = `${config.version} (${config.commit})`;
  } catch (e) {
    status(`cannot read the server's ports: ${e.message}`);
  }
  document.getElementById('token-form').onsubmit = (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value);
    refresh();
  };
  for (const id of ['publish-app', 'publish-stream']) {
    document.getElementById(id).oninput = renderPublish;
  }
  document.getElementById('publish-form').onsubmit = (ev) => ev.preventDefault();
  renderPublish();
  await refresh();
  setInterval(refresh, REFRESH_MS);
}

main();
