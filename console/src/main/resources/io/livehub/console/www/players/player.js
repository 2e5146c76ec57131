// Plays /{app}/{stream}.flv with mpegts.js or /{app}/{stream}.m3u8 with hls.js (or the
// browser's own HLS) in a muted, autoplaying video element. window.livehubPlayer tells what
// happened, for people and for tests: {type, url, errors}.
'use strict';

const params = new URLSearchParams(location.search);
const app = params.get('app') || 'live';
const stream = params.get('stream') || 'livestream';
const video = document.getElementById('video');
const state = { type: null, url: null, errors: [] };
window.livehubPlayer = state;
let current = null;

function status(text) {
  document.getElementById('status').textContent = text;
}

function fail(text) {
  state.errors.push(text);
  status(text);
}

function stop() {
  if (current) {
    current.destroy();
    current = null;
  }
  video.removeAttribute('src');
  video.load();
}

function playFlv(url) {
  if (!window.mpegts || !mpegts.getFeatureList().mseLivePlayback) {
    fail('this browser cannot play HTTP-FLV (no Media Source Extensions)');
    return;
  }
  const p = mpegts.createPlayer({ type: 'flv', isLive: true, url },
    { enableStashBuffer: false, liveBufferLatencyChasing: true });
  p.on(mpegts.Events.ERROR, (type, detail, info) => fail(`mpegts.js: ${type} ${detail} ${info && info.msg ? info.msg : ''}`));
  p.attachMediaElement(video);
  p.load();
  current = { destroy: () => { p.pause(); p.unload(); p.detachMediaElement(); p.destroy(); } };
}

function playHls(url) {
  if (window.Hls && Hls.isSupported()) {
    const h = new Hls({ lowLatencyMode: true });
    h.on(Hls.Events.ERROR, (event, data) => {
      if (data.fatal) fail(`hls.js: ${data.type} ${data.details}`);
    });
    h.loadSource(url);
    h.attachMedia(video);
    current = { destroy: () => h.destroy() };
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = url; // Safari plays HLS itself
  } else {
    fail('this browser cannot play HLS');
  }
}

function start(type) {
  stop();
  state.type = type;
  state.errors = [];
  const url = `${location.origin}/${app}/${stream}.${type === 'hls' ? 'm3u8' : 'flv'}`;
  state.url = url;
  document.getElementById('url').textContent = url;
  document.querySelector(`input[name=type][value=${type}]`).checked = true;
  const q = new URLSearchParams(location.search);
  q.set('type', type);
  history.replaceState(null, '', `?${q}`);
  status('loading');
  if (type === 'hls') playHls(url);
  else playFlv(url);
  // Muted autoplay is allowed everywhere; play() covers browsers that ignore the attribute.
  video.play().catch(() => {});
}

video.addEventListener('playing', () => status('playing'));
video.addEventListener('waiting', () => status('buffering'));
video.addEventListener('error', () => fail(`video: ${video.error ? video.error.message || video.error.code : 'error'}`));
document.getElementById('title').textContent = `${app}/${stream}`;
document.title = `${app}/${stream} - Livehub player`;
for (const r of document.querySelectorAll('input[name=type]')) {
  r.onchange = () => start(r.value);
}
const wanted = params.get('type');
const mse = 'MediaSource' in window || 'ManagedMediaSource' in window;
start(wanted === 'hls' || wanted === 'flv' ? wanted : mse ? 'flv' : 'hls');
