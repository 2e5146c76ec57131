// Player adapter for WHEP (draft-ietf-wish-whep): plays a WebRTC stream with the browser's own
// RTCPeerConnection, no library. POSTs a recvonly video + audio offer to the WHEP URL, applies
// the answer, and shows the received tracks in the video element. Every 500 ms it reports the
// video's inbound-rtp stats (framesDecoded and its history, frame size, loss, NACK/PLI counts)
// and the audio's (packets, samples).
// A failed ICE/DTLS connection or a non-201 answer is reported as an error.
export async function start({ video, url, report }) {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  const stream = new MediaStream();
  pc.ontrack = (e) => {
    stream.addTrack(e.track);
    report.event(`track-${e.track.kind}`);
    if (video.srcObject !== stream) {
      video.srcObject = stream;
    }
  };
  pc.oniceconnectionstatechange = () => {
    report.info('iceConnectionState', pc.iceConnectionState);
    report.event(`ice-${pc.iceConnectionState}`);
  };
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
    throw new Error(`WHEP POST answered ${res.status}: ${body}`);
  }
  report.info('location', res.headers.get('Location'));
  report.info('etag', res.headers.get('ETag'));
  await pc.setRemoteDescription({ type: 'answer', sdp: body });

  const history = [];
  const poll = async () => {
    const stats = await pc.getStats();
    const codecs = new Map();
    stats.forEach((s) => { if (s.type === 'codec') codecs.set(s.id, s); });
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        history.push(s.framesDecoded ?? 0);
        report.info('framesDecodedHistory', history.slice(-40));
        report.info('video', {
          framesDecoded: s.framesDecoded, framesReceived: s.framesReceived,
          frameWidth: s.frameWidth, frameHeight: s.frameHeight,
          packetsReceived: s.packetsReceived, packetsLost: s.packetsLost,
          nackCount: s.nackCount, pliCount: s.pliCount, firCount: s.firCount,
          keyFramesDecoded: s.keyFramesDecoded, decoderImplementation: s.decoderImplementation,
          codec: codecs.get(s.codecId)?.mimeType ?? null,
          sdpFmtpLine: codecs.get(s.codecId)?.sdpFmtpLine ?? null,
        });
      } else if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        report.info('audio', {
          packetsReceived: s.packetsReceived, packetsLost: s.packetsLost,
          totalSamplesReceived: s.totalSamplesReceived, concealedSamples: s.concealedSamples,
          codec: codecs.get(s.codecId)?.mimeType ?? null,
        });
      }
    });
  };
  setInterval(() => poll().catch((e) => report.error(`getStats failed: ${e}`)), 500);

  const played = video.play();
  if (played && typeof played.catch === 'function') {
    played.catch((e) => report.info('playRejected', String(e)));
  }
  return pc;
}
