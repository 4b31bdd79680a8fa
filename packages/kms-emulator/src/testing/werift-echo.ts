import type * as Werift from 'werift';
import { type PageServer, startPageServer } from './tutorial-app';

/**
 * The cheapest WebRTC loopback Node can do: one bare werift peer per page that sends back what it receives,
 * with no KMS protocol, objects or events around it. Benchmarks measure media mode against it (same page,
 * same browser, same machine), so that the ratio shows what the emulator adds to werift's own cost.
 */
export async function startWeriftEcho(host = '127.0.0.1'): Promise<PageServer> {
  const werift = await import('werift');
  const peers = new Set<Werift.RTCPeerConnection>();
  const server = await startPageServer((page) => {
    const pc = new werift.RTCPeerConnection({
      iceServers: [],
      iceUseIpv6: false,
      codecs: { audio: [werift.useOPUS()], video: [werift.useVP8()] },
      iceInterfaceAddresses: { udp4: host },
      iceAdditionalHostAddresses: [host],
    });
    peers.add(pc);
    pc.onIceCandidate.subscribe((candidate) => {
      if (candidate?.candidate) {
        const { sdpMid, sdpMLineIndex } = candidate;
        page.send({
          id: 'iceCandidate',
          candidate: {
            candidate: candidate.candidate,
            sdpMid: String(sdpMid),
            sdpMLineIndex: sdpMLineIndex ?? 0,
          },
        });
      }
    });
    pc.onTrack.subscribe((track) => {
      const sender = pc.getTransceivers().find((t) => t.kind === track.kind)?.sender;
      track.onReceiveRtp.subscribe((rtp) => sender?.sendRtp(rtp).catch(() => {}));
      if (track.kind === 'video') {
        // The same keyframe requests the emulator makes, so both sides decode equally soon.
        const receiver = pc.getTransceivers().find((t) => t.kind === 'video')?.receiver;
        const pli = () => receiver?.sendRtcpPLI(track.ssrc ?? 0).catch(() => {});
        track.onReceiveRtp.once(pli);
        sender?.onReady.subscribe(pli);
        sender?.onPictureLossIndication.subscribe(pli);
      }
    });
    page.onMessage(async (message) => {
      if (message.id === 'onIceCandidate') {
        await pc.addIceCandidate(message.candidate as Werift.RTCIceCandidateInit).catch(() => {});
      } else if (message.id === 'start') {
        await pc.setRemoteDescription({ type: 'offer', sdp: message.sdpOffer });
        for (const transceiver of pc.getTransceivers()) transceiver.setDirection('sendrecv');
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        page.send({ id: 'startResponse', response: 'accepted', sdpAnswer: pc.localDescription?.sdp ?? '' });
      }
    });
    page.onClose(() => {
      peers.delete(pc);
      pc.close().catch(() => {});
    });
  });
  return {
    url: server.url,
    close: async () => {
      await Promise.all([...peers].map((pc) => pc.close().catch(() => {})));
      await server.close();
    },
  };
}
