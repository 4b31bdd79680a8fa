import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { describe, expect, it } from 'vitest';
import { createPipeline, expectKurentoError, resultOf, useEmulator } from '../conformance/helpers';
import type { RawKmsClient } from '../raw-client';

async function create(client: RawKmsClient, type: string, constructorParams: JsonObject): Promise<string> {
  return resultOf(await client.request('create', { type, constructorParams })).value as string;
}

async function invoke(client: RawKmsClient, object: string, operation: string, operationParams?: JsonObject) {
  const params: JsonObject = { object, operation };
  if (operationParams !== undefined) params.operationParams = operationParams;
  return client.request('invoke', params);
}

async function value(client: RawKmsClient, object: string, operation: string, operationParams?: JsonObject) {
  return resultOf(await invoke(client, object, operation, operationParams)).value;
}

function marshall(message: string) {
  return { code: 40001, message, data: { type: 'MARSHALL_ERROR' } };
}

describe('operations: unmarshalling like the generated KMS code', () => {
  const kms = useEmulator();

  it('rejects missing or mistyped parameters with 40001 MARSHALL_ERROR', async () => {
    const client = await kms.client(await kms.start());
    const pipeline = await createPipeline(client);
    const endpoint = await create(client, 'WebRtcEndpoint', { mediaPipeline: pipeline });

    expect((await invoke(client, endpoint, 'connect')).error).toStrictEqual(
      marshall("'operationParams' is required"),
    );
    expect((await invoke(client, endpoint, 'connect', {})).error).toStrictEqual(
      marshall("'sink' parameter should be a string"),
    );
    expect(
      (await invoke(client, endpoint, 'connect', { sink: endpoint, mediaType: 'SMELL' })).error,
    ).toStrictEqual(marshall("Invalid value for 'MediaType'"));
    expect((await invoke(client, endpoint, 'setMtu', { mtu: 'big' })).error).toStrictEqual(
      marshall("'mtu' parameter should be a integer"),
    );
    expect((await invoke(client, endpoint, 'setMtu')).error).toStrictEqual(
      marshall("'mtu' parameter should be a integer"),
    );
    const missing = await invoke(client, endpoint, 'connect', { sink: 'nope' });
    expectKurentoError(
      missing,
      missing.id as number,
      40101,
      "Object 'nope' not found",
      'MEDIA_OBJECT_NOT_FOUND',
    );
  });

  it('checks constructor parameters: required ones, types, and the parent object', async () => {
    const client = await kms.client(await kms.start());
    const pipeline = await createPipeline(client);
    expect((await client.request('create', { type: 'WebRtcEndpoint' })).error).toStrictEqual(
      marshall("'constructorParams' is required"),
    );
    expect(
      (
        await client.request('create', {
          type: 'PlayerEndpoint',
          constructorParams: { mediaPipeline: pipeline },
        })
      ).error,
    ).toStrictEqual(marshall("'uri' parameter should be a string"));
    const unknown = await client.request('create', {
      type: 'PassThrough',
      constructorParams: { mediaPipeline: 'x' },
    });
    expectKurentoError(
      unknown,
      unknown.id as number,
      40101,
      "Object 'x' not found",
      'MEDIA_OBJECT_NOT_FOUND',
    );

    const player = await create(client, 'PlayerEndpoint', {
      mediaPipeline: pipeline,
      uri: 'file:///tmp/a.webm',
    });
    expect(await value(client, player, 'getUri')).toBe('file:///tmp/a.webm');
    expect(await value(client, player, 'getState')).toBe('STOP');
  });
});

describe('operations: MediaObject identity, names and tags', () => {
  const kms = useEmulator();

  it('answers the inherited MediaObject getters and keeps names and tags', async () => {
    const client = await kms.client(await kms.start());
    const pipeline = await createPipeline(client);
    const composite = await create(client, 'Composite', { mediaPipeline: pipeline });
    const port = await create(client, 'HubPort', { hub: composite });

    expect(await value(client, port, 'getParent')).toBe(composite);
    expect(await value(client, port, 'getMediaPipeline')).toBe(pipeline);
    expect(await value(client, pipeline, 'getMediaPipeline')).toBe(pipeline);
    expect(await value(client, pipeline, 'getParent')).toBeNull();
    expect(await value(client, pipeline, 'getChildren')).toEqual([composite]);
    expect(await value(client, composite, 'getChildren')).toEqual([port]);
    expect(Number.isInteger(await value(client, port, 'getCreationTime'))).toBe(true);

    expect(await value(client, pipeline, 'getName')).toBe(pipeline);
    expect(await value(client, pipeline, 'setName', { name: 'room-7' })).toBeNull();
    expect(await value(client, pipeline, 'getName')).toBe('room-7');

    const missing = await invoke(client, pipeline, 'getTag', { key: 'session' });
    expectKurentoError(
      missing,
      missing.id as number,
      40110,
      'Tag key not found',
      'MEDIA_OBJECT_TAG_KEY_NOT_FOUND',
    );
    await value(client, pipeline, 'addTag', { key: 'session', value: 'abc' });
    await value(client, pipeline, 'addTag', { key: 'tenant', value: 't1' });
    await value(client, pipeline, 'addTag', { key: 'session', value: 'def' });
    expect(await value(client, pipeline, 'getTag', { key: 'session' })).toBe('def');
    await value(client, pipeline, 'removeTag', { key: 'tenant' });
    await value(client, pipeline, 'removeTag', { key: 'never-set' });
    expect(await value(client, pipeline, 'getTags')).toStrictEqual([
      { __module__: 'kurento', __type__: 'Tag', key: 'session', value: 'def' },
    ]);
  });

  it('stores writable properties and reports believable defaults', async () => {
    const client = await kms.client(await kms.start());
    const pipeline = await createPipeline(client);
    const endpoint = await create(client, 'WebRtcEndpoint', { mediaPipeline: pipeline });
    expect(await value(client, endpoint, 'getMaxVideoSendBandwidth')).toBe(500);
    expect(await value(client, endpoint, 'getStunServerAddress')).toBe('');
    expect(
      await value(client, endpoint, 'setStunServerAddress', { stunServerAddress: '10.0.0.1' }),
    ).toBeNull();
    expect(await value(client, endpoint, 'getStunServerAddress')).toBe('10.0.0.1');
    expect(await value(client, endpoint, 'getMediaState')).toBe('DISCONNECTED');
    expect(await value(client, endpoint, 'getStats')).toEqual({});
    expect(await value(client, endpoint, 'isMediaFlowingIn', { mediaType: 'VIDEO' })).toBe(false);
    const offer = (await value(client, endpoint, 'generateOffer')) as string;
    expect(offer).toMatch(/^v=0\r\n/);
    expect(await value(client, endpoint, 'getLocalSessionDescriptor')).toBe(offer);
  });
});

describe('operations: media connections', () => {
  const kms = useEmulator();

  it('connects all three media types by default, one source per sink pad, with events', async () => {
    const client = await kms.client(await kms.start());
    const pipeline = await createPipeline(client);
    const [a, b, c] = await Promise.all(
      [0, 1, 2].map(() => create(client, 'PassThrough', { mediaPipeline: pipeline })),
    );
    await client.request('subscribe', { type: 'ElementConnected', object: a as string });
    await client.request('subscribe', { type: 'ElementDisconnected', object: a as string });

    await value(client, a as string, 'connect', { sink: b as string });
    const sinks = (await value(client, a as string, 'getSinkConnections')) as JsonObject[];
    expect(sinks.map((s) => s.type)).toEqual(['AUDIO', 'VIDEO', 'DATA']);
    expect(sinks[1]).toStrictEqual({
      __module__: 'kurento',
      __type__: 'ElementConnectionData',
      sink: b,
      sinkDescription: 'default',
      source: a,
      sourceDescription: 'default',
      type: 'VIDEO',
    });
    expect(await value(client, b as string, 'getSourceConnections', { mediaType: 'AUDIO' })).toHaveLength(1);
    const connected = await client.waitForEvent('ElementConnected', (e) => e.data.mediaType === 'DATA');
    expect(connected.data).toMatchObject({
      sink: b,
      source: a,
      mediaType: 'DATA',
      sourceMediaDescription: 'default',
      sinkMediaDescription: 'default',
      type: 'ElementConnected',
    });

    // c takes over b's video sink pad: a loses its video connection to b.
    await value(client, c as string, 'connect', { sink: b as string, mediaType: 'VIDEO' });
    expect(
      ((await value(client, a as string, 'getSinkConnections')) as JsonObject[]).map((s) => s.type),
    ).toEqual(['AUDIO', 'DATA']);
    await client.waitForEvent('ElementDisconnected', (e) => e.data.mediaType === 'VIDEO');

    // Releasing the sink disconnects it from its sources.
    await client.request('release', { object: b as string });
    expect(await value(client, a as string, 'getSinkConnections')).toEqual([]);
    expect(await value(client, c as string, 'getSinkConnections')).toEqual([]);
  });

  it('refuses to connect elements of different pipelines with 40004 CONNECT_ERROR', async () => {
    const client = await kms.client(await kms.start());
    const first = await create(client, 'PassThrough', { mediaPipeline: await createPipeline(client) });
    const second = await create(client, 'PassThrough', { mediaPipeline: await createPipeline(client) });
    const response = await invoke(client, first, 'connect', { sink: second });
    expectKurentoError(
      response,
      response.id as number,
      40004,
      'Media elements do not share pipeline',
      'CONNECT_ERROR',
    );
  });
});
