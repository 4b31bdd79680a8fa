import { readFileSync } from 'node:fs';
import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { createPipeline, resultOf, useEmulator } from '../conformance/helpers';
import type { RawKmsClient } from '../raw-client';

const chromiumOffer = readFileSync(new URL('../sdp/fixtures/chromium-av.sdp', import.meta.url), 'utf8');

async function endpoint(
  client: RawKmsClient,
  constructorParams: JsonObject = {},
  pipeline?: string,
): Promise<string> {
  pipeline ??= await createPipeline(client);
  const params = {
    type: 'WebRtcEndpoint',
    constructorParams: { mediaPipeline: pipeline, ...constructorParams },
  };
  return resultOf(await client.request('create', params)).value as string;
}

function invoke(client: RawKmsClient, object: string, operation: string, operationParams?: JsonObject) {
  return client.request('invoke', { object, operation, ...(operationParams ? { operationParams } : {}) });
}

async function value(client: RawKmsClient, object: string, operation: string, operationParams?: JsonObject) {
  return resultOf(await invoke(client, object, operation, operationParams)).value;
}

async function error(client: RawKmsClient, object: string, operation: string, operationParams?: JsonObject) {
  return (await invoke(client, object, operation, operationParams)).error;
}

const kurento = (code: number, message: string, type: string) => ({ code, message, data: { type } });

describe('SDP and ICE misuse answers what KMS 7.3 answers', () => {
  const kms = useEmulator();

  it('processOffer: empty 40201, no v= line 40201, a second offer 40208; generateOffer after it 40208', async () => {
    const client = await kms.client(await kms.start());
    const webrtc = await endpoint(client);
    expect(await error(client, webrtc, 'processOffer', { offer: '' })).toStrictEqual(
      kurento(40201, 'Empty offer not valid', 'SDP_PARSE_ERROR'),
    );
    expect(await error(client, webrtc, 'processOffer', { offer: 'garbage, not SDP' })).toStrictEqual(
      kurento(40201, 'Invalid SDP', 'SDP_PARSE_ERROR'),
    );
    // Failed offers leave the endpoint free to negotiate.
    expect(typeof (await value(client, webrtc, 'processOffer', { offer: chromiumOffer }))).toBe('string');
    const negotiated = kurento(40208, 'Endpoint already negotiated', 'SDP_END_POINT_ALREADY_NEGOTIATED');
    expect(await error(client, webrtc, 'processOffer', { offer: chromiumOffer })).toStrictEqual(negotiated);
    expect(await error(client, webrtc, 'generateOffer')).toStrictEqual(negotiated);
    // A garbage offer is a parse error even on a negotiated endpoint: KMS parses before it checks the state.
    expect((await error(client, webrtc, 'processOffer', { offer: 'x' }))?.code).toBe(40201);
  });

  it('processAnswer: empty 40201, without an offer 40209, twice 40210, not fitting the offer 40206', async () => {
    const client = await kms.client(await kms.start());
    const fresh = await endpoint(client);
    expect(await error(client, fresh, 'processAnswer', { answer: '' })).toStrictEqual(
      kurento(40201, 'Empty answer not valid', 'SDP_PARSE_ERROR'),
    );
    expect(await error(client, fresh, 'processAnswer', { answer: chromiumOffer })).toStrictEqual(
      kurento(
        40209,
        'Offer not generated. It is not possible to process an answer.',
        'SDP_END_POINT_NOT_OFFER_GENERATED',
      ),
    );

    const offerer = await endpoint(client);
    const answerer = await endpoint(client);
    const offer = (await value(client, offerer, 'generateOffer')) as string;
    const answer = (await value(client, answerer, 'processOffer', { offer })) as string;
    expect(await error(client, offerer, 'processAnswer', { answer: 'not sdp' })).toStrictEqual(
      kurento(40201, 'Invalid SDP', 'SDP_PARSE_ERROR'),
    );
    // processAnswer answers the local description.
    expect(await value(client, offerer, 'processAnswer', { answer })).toBe(offer);
    expect(await error(client, offerer, 'processAnswer', { answer })).toStrictEqual(
      kurento(40210, 'Sdp Answer already processed', 'SDP_END_POINT_ANSWER_ALREADY_PROCCESED'),
    );

    const other = await endpoint(client);
    await value(client, other, 'generateOffer', { options: { offerToReceiveAudio: false } });
    // Two m-lines answering a one-line offer.
    expect(await error(client, other, 'processAnswer', { answer })).toStrictEqual(
      kurento(40206, 'Error processing answer', 'SDP_END_POINT_PROCESS_ANSWER_ERROR'),
    );
  });

  it('getLocal/RemoteSessionDescriptor before negotiating: 40202 and 40203; after, the SDPs exchanged', async () => {
    const client = await kms.client(await kms.start());
    const webrtc = await endpoint(client);
    expect(await error(client, webrtc, 'getLocalSessionDescriptor')).toStrictEqual(
      kurento(40202, 'No local SDP', 'SDP_END_POINT_NO_LOCAL_SDP_ERROR'),
    );
    expect(await error(client, webrtc, 'getRemoteSessionDescriptor')).toStrictEqual(
      kurento(40203, 'No remote SDP', 'SDP_END_POINT_NO_REMOTE_SDP_ERROR'),
    );
    const answer = await value(client, webrtc, 'processOffer', { offer: chromiumOffer });
    expect(await value(client, webrtc, 'getLocalSessionDescriptor')).toBe(answer);
    expect(await value(client, webrtc, 'getRemoteSessionDescriptor')).toBe(chromiumOffer);
  });

  it('addIceCandidate: the IceCandidate type checked like the generated code; 40401 for an m-line the SDP lacks', async () => {
    const client = await kms.client(await kms.start());
    const webrtc = await endpoint(client);
    const marshall = (message: string) => kurento(40001, message, 'MARSHALL_ERROR');
    const line = 'candidate:1 1 udp 2122194687 192.0.2.2 50000 typ host generation 0';
    expect(await error(client, webrtc, 'addIceCandidate', { candidate: 'x' })).toStrictEqual(
      marshall("'candidate' parameter should be a object"),
    );
    expect(
      await error(client, webrtc, 'addIceCandidate', { candidate: { sdpMid: '0', sdpMLineIndex: 0 } }),
    ).toStrictEqual(marshall("'candidate' property should be a string"));
    expect(
      await error(client, webrtc, 'addIceCandidate', {
        candidate: { candidate: line, sdpMid: '0', sdpMLineIndex: 'zero' },
      }),
    ).toStrictEqual(marshall("'sdpMLineIndex' property should be a integer"));
    expect(
      await error(client, webrtc, 'addIceCandidate', {
        candidate: { __module__: 'kurento', __type__: 'Tag', candidate: line, sdpMid: '0', sdpMLineIndex: 0 },
      }),
    ).toStrictEqual(kurento(40003, 'Type Tag is not compatible', 'UNEXPECTED_ERROR'));
    expect(
      await error(client, webrtc, 'addIceCandidate', {
        candidate: {
          __module__: 'nope',
          __type__: 'IceCandidate',
          candidate: line,
          sdpMid: '0',
          sdpMLineIndex: 0,
        },
      }),
    ).toStrictEqual(kurento(40003, 'Type IceCandidate does not exist in module nope', 'UNEXPECTED_ERROR'));

    // Before negotiation and gathering, KMS holds candidates, even for m-lines that will not exist.
    const held = { candidate: line, sdpMid: '7', sdpMLineIndex: 7 };
    expect(await value(client, webrtc, 'addIceCandidate', { candidate: held })).toBeNull();
    await value(client, webrtc, 'processOffer', { offer: chromiumOffer });
    await value(client, webrtc, 'gatherCandidates');
    expect(await error(client, webrtc, 'addIceCandidate', { candidate: held })).toStrictEqual(
      kurento(40401, 'Error adding candidate', 'ICE_ADD_CANDIDATE_ERROR'),
    );
    // End-of-candidates (empty) and lines KMS cannot parse (an mDNS name, a bad component) pass silently.
    for (const candidate of [
      '',
      'candidate:1 1 udp 1 abc.local 9 typ host',
      'candidate:1 3 udp 1 1.2.3.4 9 typ host',
    ]) {
      expect(
        await value(client, webrtc, 'addIceCandidate', {
          candidate: { candidate, sdpMid: '9', sdpMLineIndex: 9 },
        }),
      ).toBeNull();
    }
    expect(
      await value(client, webrtc, 'addIceCandidate', {
        candidate: { candidate: line, sdpMid: '1', sdpMLineIndex: 1 },
      }),
    ).toBeNull();
  });

  it('data channels only with useDataChannels (40111), never with both limits (40107); requestKeyframe only downstream (40111)', async () => {
    const client = await kms.client(await kms.start());
    const pipeline = await createPipeline(client);
    const plain = await endpoint(client, {}, pipeline);
    expect(await error(client, plain, 'createDataChannel', { label: 'chat' })).toStrictEqual(
      kurento(40111, 'Data channels are not supported', 'MEDIA_OBJECT_OPERATION_NOT_SUPPORTED'),
    );
    const data = await endpoint(client, { useDataChannels: true }, pipeline);
    expect(
      await error(client, data, 'createDataChannel', { maxPacketLifeTime: 10, maxRetransmits: 2 }),
    ).toStrictEqual(kurento(40107, 'Syntax error', 'MEDIA_OBJECT_ILLEGAL_PARAM_ERROR'));
    expect(await value(client, data, 'createDataChannel', { label: 'chat', maxRetransmits: 2 })).toBeNull();
    expect(await error(client, plain, 'requestKeyframe')).toStrictEqual(
      kurento(
        40111,
        'Keyframe request failed (must be requested from a subscriber element)',
        'MEDIA_OBJECT_OPERATION_NOT_SUPPORTED',
      ),
    );
    await value(client, data, 'connect', { sink: plain });
    expect(await value(client, plain, 'requestKeyframe')).toBeNull();
  });
});

describe('SDP events in signalling-only mode', () => {
  const kms = useEmulator();

  it('raises MediaSessionStarted on processOffer, candidates for the first bundled m-line, then IceGatheringDone', async () => {
    const client = await kms.client(await kms.start());
    const webrtc = await endpoint(client);
    for (const type of ['MediaSessionStarted', 'IceCandidateFound', 'IceGatheringDone']) {
      resultOf(await client.request('subscribe', { type, object: webrtc }));
    }
    // gatherCandidates first, as the tutorials may: the candidates wait for the local SDP.
    await value(client, webrtc, 'gatherCandidates');
    expect(client.events('IceCandidateFound')).toEqual([]);
    const answer = parse((await value(client, webrtc, 'processOffer', { offer: chromiumOffer })) as string);
    const started = await client.waitForEvent('MediaSessionStarted');
    expect(started.data).toStrictEqual({
      source: webrtc,
      tags: [],
      timestampMillis: expect.stringMatching(/^\d+$/),
      type: 'MediaSessionStarted',
    });
    await client.waitForEvent('IceGatheringDone');
    const candidates = client.events('IceCandidateFound').map((e) => e.data.candidate as JsonObject);
    expect(candidates.length).toBeGreaterThan(0);
    for (const candidate of candidates) {
      expect(candidate).toMatchObject({ __module__: 'kurento', __type__: 'IceCandidate', sdpMLineIndex: 0 });
      expect(candidate.sdpMid).toBe(String(answer.media[0]?.mid));
      expect(candidate.candidate).toMatch(/^candidate:\d+ 1 (UDP|TCP) \d+ 127\.0\.0\.1 \d+ typ host/);
    }
  });
});
