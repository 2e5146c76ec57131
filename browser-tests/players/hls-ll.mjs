// Player adapter for hls.js in low-latency mode: plays a Low-Latency HLS playlist (parts,
// blocking playlist reload, preload hints, delta updates) and reports what hls.js saw of it:
// the part target, blocking reload, how many parts it loaded and its latency estimate.
import { loadScript } from './load-script.mjs';

export async function start({ video, url, report }) {
  await loadScript('/vendor/hls.js/dist/hls.js');
  const Hls = window.Hls;
  report.info('library', `hls.js ${Hls.version}`);
  if (!Hls.isSupported()) {
    throw new Error('hls.js: this browser has no Media Source Extensions');
  }
  const hls = new Hls({ enableWorker: false, lowLatencyMode: true });
  const nonFatal = [];
  hls.on(Hls.Events.ERROR, (event, data) => {
    const line = `hls.js ${data.type} ${data.details}${data.response ? ` (HTTP ${data.response.code})` : ''}`;
    if (data.fatal) {
      report.error(`${line} fatal`);
    } else {
      nonFatal.push(line);
      report.info('nonFatalErrors', nonFatal);
    }
  });
  let levelsLoaded = 0;
  let blockingReloads = 0;
  let deltaUpdates = 0;
  hls.on(Hls.Events.LEVEL_LOADED, (event, data) => {
    const d = data.details;
    levelsLoaded += 1;
    const u = data.details.url || '';
    if (u.includes('_HLS_msn=')) {
      blockingReloads += 1;
    }
    if (d.skippedSegments > 0) {
      deltaUpdates += 1;
    }
    report.info('level', {
      live: d.live, version: d.version, targetduration: d.targetduration, partTarget: d.partTarget,
      canBlockReload: d.canBlockReload, canSkipUntil: d.canSkipUntil, partHoldBack: d.partHoldBack,
      parts: d.partList ? d.partList.length : 0, preloadHint: !!d.preloadHint,
      startSN: d.startSN, endSN: d.endSN, fragments: d.fragments.length,
      levelsLoaded, blockingReloads, deltaUpdates,
    });
  });
  hls.on(Hls.Events.BUFFER_CODECS, (event, data) => {
    const tracks = {};
    for (const [name, t] of Object.entries(data)) {
      tracks[name] = { codec: t.codec, container: t.container };
    }
    report.info('tracks', tracks);
  });
  let fragments = 0;
  let parts = 0;
  hls.on(Hls.Events.FRAG_LOADED, (event, data) => {
    if (data.part) {
      parts += 1;
      report.info('partsLoaded', parts);
    } else {
      fragments += 1;
      report.info('fragmentsLoaded', fragments);
    }
  });
  // hls.js's own estimate of the distance to the live edge, sampled while playing.
  const latencies = [];
  const timer = setInterval(() => {
    if (!video.paused && Number.isFinite(hls.latency) && hls.latency > 0) {
      latencies.push(Math.round(hls.latency * 1000) / 1000);
      report.info('latency', {
        last: latencies[latencies.length - 1],
        max: Math.max(...latencies),
        samples: latencies.length,
        target: hls.targetLatency,
      });
    }
  }, 250);
  hls.on(Hls.Events.DESTROYING, () => clearInterval(timer));
  hls.attachMedia(video);
  hls.loadSource(url);
  const played = video.play();
  if (played && typeof played.catch === 'function') {
    played.catch((e) => report.info('playRejected', String(e)));
  }
  return hls;
}
