// Player adapter for hls.js: plays an HLS (MPEG-TS or fMP4 segments) live playlist through
// Media Source Extensions. Fatal hls.js errors are reported as errors; non-fatal ones (a
// retried fragment load, a buffer stall hls.js recovers from) are counted in info only.
import { attachAndPlay, createHls } from './hls-common.mjs';

export async function start({ video, url, report }) {
  const { Hls, hls } = await createHls(report, { lowLatencyMode: false });
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
  let loaded = 0;
  hls.on(Hls.Events.FRAG_LOADED, () => {
    loaded += 1;
    report.info('fragmentsLoaded', loaded);
  });
  return attachAndPlay(hls, video, url, report);
}
