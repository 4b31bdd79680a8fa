// What an application on the npm kurento-client sees when it misuses SDP and ICE: KMS's codes, on the
// error objects the client builds.
import type { KurentoError, MediaElement, MediaPipeline, WebRtcEndpoint } from '@kurento-fleet/kurento';
import { createKurentoClient, kurentoCall } from '@kurento-fleet/kurento';
import { afterEach, describe, expect, it } from 'vitest';
import { type KmsEmulator, startKmsEmulator } from '../emulator';

async function failure(promise: Promise<unknown>): Promise<Pick<KurentoError, 'code' | 'message'>> {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as KurentoError;
    return { code, message };
  }
  throw new Error('the call succeeded');
}

describe('SDP and ICE misuse through the npm kurento-client', () => {
  let emulator: KmsEmulator | undefined;
  afterEach(() => emulator?.stop());

  it('reaches the application with the KMS code and message', async () => {
    emulator = await startKmsEmulator({ gcIntervalMs: 0 });
    const client = createKurentoClient(emulator.url);
    await client;
    const pipeline = await kurentoCall<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
    // A qualified factory name, as ModuleManager registers it.
    const endpoint = (await kurentoCall<MediaElement>((cb) =>
      pipeline.create('kurento.WebRtcEndpoint', cb),
    )) as WebRtcEndpoint;

    expect(await failure(kurentoCall((cb) => endpoint.processOffer('nonsense', cb)))).toEqual({
      code: 40201,
      message: 'Invalid SDP',
    });
    expect(await failure(kurentoCall((cb) => endpoint.processAnswer('v=0', cb)))).toMatchObject({
      code: 40209,
    });
    const offer = await kurentoCall<string>((cb) => endpoint.generateOffer(cb));
    expect(offer).toMatch(/^v=0\r\n/);
    expect(await failure(kurentoCall((cb) => endpoint.generateOffer(cb)))).toEqual({
      code: 40208,
      message: 'Endpoint already negotiated',
    });
    await kurentoCall<void>((cb) => endpoint.gatherCandidates(cb));
    const candidate = {
      candidate: 'candidate:1 1 udp 1 192.0.2.9 9 typ host',
      sdpMid: 'x',
      sdpMLineIndex: 5,
    };
    expect(await failure(kurentoCall((cb) => endpoint.addIceCandidate(candidate, cb)))).toEqual({
      code: 40401,
      message: 'Error adding candidate',
    });
    client.close();
  });
});
