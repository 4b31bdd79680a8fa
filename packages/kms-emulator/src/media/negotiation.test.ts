// Media mode without a browser: two WebRtcEndpoints of the emulator negotiate with each other (one offers,
// the other answers), trickle their candidates through IceCandidateFound/addIceCandidate, and connect.

import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { describe, expect, it } from 'vitest';
import { createPipeline, resultOf, useEmulator } from '../conformance/helpers';
import type { RawKmsClient } from '../raw-client';

async function create(client: RawKmsClient, pipeline: string): Promise<string> {
  const params = { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } };
  return resultOf(await client.request('create', params)).value as string;
}

async function invoke(client: RawKmsClient, object: string, operation: string, operationParams?: JsonObject) {
  return resultOf(
    await client.request('invoke', { object, operation, ...(operationParams ? { operationParams } : {}) }),
  ).value;
}

describe('media mode between two emulated endpoints', () => {
  const kms = useEmulator();

  it('generateOffer → processOffer → processAnswer, candidates both ways, then both connect', async () => {
    const client = await kms.client(await kms.start({ media: true }));
    const pipeline = await createPipeline(client);
    const [offerer, answerer] = [await create(client, pipeline), await create(client, pipeline)];
    for (const object of [offerer, answerer]) {
      for (const type of ['IceCandidateFound', 'ConnectionStateChanged', 'MediaSessionStarted']) {
        resultOf(await client.request('subscribe', { type, object }));
      }
    }
    const offer = (await invoke(client, offerer, 'generateOffer')) as string;
    const answer = (await invoke(client, answerer, 'processOffer', { offer })) as string;
    await invoke(client, offerer, 'processAnswer', { answer });
    await invoke(client, offerer, 'gatherCandidates');
    await invoke(client, answerer, 'gatherCandidates');

    // Each side's candidates go to the other, as an application relays them.
    const relayed = new Set<JsonObject>();
    const relay = async () => {
      for (const event of client.events('IceCandidateFound')) {
        const candidate = event.data.candidate as JsonObject;
        if (relayed.has(candidate)) continue;
        relayed.add(candidate);
        await invoke(client, event.object === offerer ? answerer : offerer, 'addIceCandidate', { candidate });
      }
    };
    const connected = (object: string) =>
      client
        .events('ConnectionStateChanged')
        .some((e) => e.object === object && e.data.newState === 'CONNECTED');
    const deadline = performance.now() + 15_000;
    while (!(connected(offerer) && connected(answerer))) {
      if (performance.now() > deadline) throw new Error('the two endpoints did not connect within 15 s');
      await relay();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(
      client
        .events('MediaSessionStarted')
        .map((e) => e.object)
        .sort(),
    ).toEqual([offerer, answerer].sort());
    expect(await invoke(client, offerer, 'getConnectionState')).toBe('CONNECTED');
    const pairs = (await invoke(client, answerer, 'getICECandidatePairs')) as JsonObject[];
    expect(pairs[0]).toMatchObject({ __type__: 'IceCandidatePair', streamId: '1', componentId: 1 });
  });

  it('answers an offer it cannot carry as KMS does (every m-line rejected), not with an error', async () => {
    const client = await kms.client(await kms.start({ media: true }));
    const endpoint = await create(client, await createPipeline(client));
    // kurento-client-js's own test offer: plain RTP/AVP, no ICE, no DTLS.
    const offer = [
      'v=0',
      'o=- 12345 12345 IN IP4 95.125.31.136',
      's=-',
      'c=IN IP4 95.125.31.136',
      't=0 0',
      'm=video 52126 RTP/AVP 96 97 98',
      'a=rtpmap:96 H264/90000',
      'a=recvonly',
      '',
    ].join('\r\n');
    const answer = (await invoke(client, endpoint, 'processOffer', { offer })) as string;
    expect(answer).toContain('m=video 0 RTP/AVP 96');
  });
});
