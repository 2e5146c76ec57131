// Player adapter for hls.js: plays an HLS (MPEG-TS or fMP4 segments) live playlist through
// Media Source Extensions. Fatal hls.js errors are reported as errors; non-fatal ones (a
// retried fragment load, a buffer stall hls.js recovers from) are counted in info only.
import { loadScript } from './load-script.mjs';

export async function start({ video, url, report }) {
  await loadScript('/vendor/hls.js/dist/hls.js');
  const Hls = window.Hls;
  report.info('library', `hls.js ${Hls.version}`);
  if (!Hls.isSupported()) {
    throw new Error('hls.js: this browser has no Media Source Extensions');
  }
  // The worker would be loaded from a blob URL; the main thread keeps the page simple.
  const hls = new Hls({ enableWorker: false, lowLatencyMode: false });
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
  hls.on(Hls.Events.MANIFEST_PARSED, (event, data) => {
    report.event('manifestParsed');
    report.info('manifest', { levels: data.levels.length });
  });
  hls.on(Hls.Events.LEVEL_LOADED, (event, data) => {
    const d = data.details;
    report.info('level', {
      live: d.live, version: d.version, targetduration: d.targetduration,
      startSN: d.startSN, endSN: d.endSN, fragments: d.fragments.length,
    });
  });
  hls.on(Hls.Events.BUFFER_CODECS, (event, data) => {
    const tracks = {};
    for (const [name, t] of Object.entries(data)) {
      tracks[name] = { codec: t.codec, container: t.container };
    }
    report.info('tracks', tracks);
  });
  let loaded = 0;
  hls.on(Hls.Events.FRAG_LOADED, () => {
    loaded += 1;
    report.info('fragmentsLoaded', loaded);
  });
  hls.attachMedia(video);
  hls.loadSource(url);
  const played = video.play();
  if (played && typeof played.catch === 'function') {
    played.catch((e) => report.info('playRejected', String(e)));
  }
  return hls;
}
