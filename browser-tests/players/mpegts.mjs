// Player adapter for mpegts.js: plays an HTTP-FLV (or MPEG-TS) live URL through Media Source
// Extensions. Every mpegts.js ERROR event is reported as an error.
import { loadScript } from './load-script.mjs';

export async function start({ video, url, report }) {
  await loadScript('/vendor/mpegts.js/dist/mpegts.js');
  const mpegts = window.mpegts;
  report.info('library', `mpegts.js ${mpegts.version}`);
  const features = mpegts.getFeatureList();
  report.info('features', features);
  if (!features.mseLivePlayback) {
    throw new Error('mpegts.js: this browser cannot play live streams through MSE');
  }
  const type = new URL(url, location.href).pathname.endsWith('.ts') ? 'mpegts' : 'flv';
  const player = mpegts.createPlayer({ type, isLive: true, url });
  player.on(mpegts.Events.ERROR, (type, detail, info) => {
    report.error(`mpegts.js ${type} ${detail}: ${JSON.stringify(info)}`);
  });
  player.on(mpegts.Events.MEDIA_INFO, (mediaInfo) => {
    const m = mediaInfo ?? {};
    report.info('mediaInfo', {
      mimeType: m.mimeType, hasAudio: m.hasAudio, hasVideo: m.hasVideo,
      audioCodec: m.audioCodec, videoCodec: m.videoCodec,
      width: m.width, height: m.height, fps: m.fps,
      audioSampleRate: m.audioSampleRate, audioChannelCount: m.audioChannelCount,
    });
  });
  player.on(mpegts.Events.STATISTICS_INFO, (s) => {
    report.info('statistics', { speed: s.speed, decodedFrames: s.decodedFrames, droppedFrames: s.droppedFrames });
  });
  player.attachMediaElement(video);
  player.load();
  const played = player.play();
  if (played && typeof played.catch === 'function') {
    played.catch((e) => report.error(`play() rejected: ${e}`));
  }
  return player;
}
