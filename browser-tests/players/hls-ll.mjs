// Player adapter for hls.js in low-latency mode: plays a Low-Latency HLS playlist (parts,
// blocking playlist reload, preload hints, delta updates) and reports what hls.js saw of it:
// the part target, blocking reload, how many parts it loaded and its latency estimate.
import { attachAndPlay, createHls } from './hls-common.mjs';

export async function start({ video, url, report }) {
  const { Hls, hls } = await createHls(report, { lowLatencyMode: true });
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
  return attachAndPlay(hls, video, url, report);
}
