// What both hls.js adapters share: loading hls.js, the error report (fatal errors fail the check,
// non-fatal ones are only counted), the tracks report, and attaching to the video element.
import { loadScript } from './load-script.mjs';

export async function createHls(report, config) {
  await loadScript('/vendor/hls.js/dist/hls.js');
  const Hls = window.Hls;
  report.info('library', `hls.js ${Hls.version}`);
  if (!Hls.isSupported()) {
    throw new Error('hls.js: this browser has no Media Source Extensions');
  }
  // The worker would be loaded from a blob URL; the main thread keeps the page simple.
  const hls = new Hls({ enableWorker: false, ...config });
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
  hls.on(Hls.Events.BUFFER_CODECS, (event, data) => {
    const tracks = {};
    for (const [name, t] of Object.entries(data)) {
      tracks[name] = { codec: t.codec, container: t.container };
    }
    report.info('tracks', tracks);
  });
  return { Hls, hls };
}

export function attachAndPlay(hls, video, url, report) {
  hls.attachMedia(video);
  hls.loadSource(url);
  const played = video.play();
  if (played && typeof played.catch === 'function') {
    played.catch((e) => report.info('playRejected', String(e)));
  }
  return hls;
}
