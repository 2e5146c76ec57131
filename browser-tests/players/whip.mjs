// Publisher adapter for WHIP (RFC 9725): sends a generated stream with the browser's own
// RTCPeerConnection, no library and no camera. The video is a 320x240 canvas (a moving counter
// on a changing colour, 25 fps) preferring H.264, the audio a 440 Hz tone. POSTs a sendonly
// offer to the WHIP URL and applies the answer. The video element shows the local stream, so
// play.mjs's checks pass while it publishes; every 500 ms the outbound-rtp video stats
// (framesEncoded, packetsSent, codec, encoder) are reported. A failed connection or a non-201
// answer is an error.
export async function start({ video, url, report }) {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const g = canvas.getContext('2d');
  let n = 0;
  setInterval(() => {
    n++;
    g.fillStyle = `hsl(${(n * 7) % 360}, 80%, 45%)`;
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#fff';
    g.fillRect((n * 4) % 320, 200, 40, 40);
    g.font = '64px sans-serif';
    g.fillText(String(n), 40, 120);
  }, 40);
  const stream = canvas.captureStream(25);
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  const sink = audio.createMediaStreamDestination();
  tone.connect(sink);
  tone.start();
  stream.addTrack(sink.stream.getAudioTracks()[0]);

  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  for (const track of stream.getTracks()) {
    const t = pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    if (track.kind === 'video') {
      const codecs = RTCRtpSender.getCapabilities('video').codecs;
      const h264 = codecs.filter((c) => c.mimeType === 'video/H264' && /packetization-mode=1/.test(c.sdpFmtpLine ?? ''));
      t.setCodecPreferences([...h264, ...codecs.filter((c) => c.mimeType !== 'video/H264')]);
    }
  }
  pc.onconnectionstatechange = () => {
    report.info('connectionState', pc.connectionState);
    report.event(`pc-${pc.connectionState}`);
    if (pc.connectionState === 'failed') {
      report.error('RTCPeerConnection failed (ICE or DTLS)');
    }
  };

  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp' },
    body: offer.sdp,
  });
  const body = await res.text();
  if (res.status !== 201) {
    throw new Error(`WHIP POST answered ${res.status}: ${body}`);
  }
  report.info('location', res.headers.get('Location'));
  await pc.setRemoteDescription({ type: 'answer', sdp: body });

  setInterval(async () => {
    try {
      const stats = await pc.getStats();
      const codecs = new Map();
      stats.forEach((s) => { if (s.type === 'codec') codecs.set(s.id, s); });
      stats.forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') {
          report.info('video', {
            framesEncoded: s.framesEncoded, packetsSent: s.packetsSent, frameWidth: s.frameWidth,
            frameHeight: s.frameHeight, nackCount: s.nackCount, pliCount: s.pliCount,
            encoderImplementation: s.encoderImplementation, codec: codecs.get(s.codecId)?.mimeType ?? null,
          });
        }
      });
    } catch (e) {
      report.error(`getStats failed: ${e}`);
    }
  }, 500);

  video.srcObject = stream;
  const played = video.play();
  if (played && typeof played.catch === 'function') {
    played.catch((e) => report.info('playRejected', String(e)));
  }
  return pc;
}
