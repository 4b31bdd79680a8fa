import { describe, expect, it } from 'vitest';
import { kurentoRegistry } from './kmd';

const registry = kurentoRegistry();

describe('the kmd registry', () => {
  it.each([
    ['ServerManager', ['kurento.MediaObject']],
    ['MediaPipeline', ['kurento.MediaObject']],
    [
      'WebRtcEndpoint',
      [
        'kurento.BaseRtpEndpoint',
        'kurento.SdpEndpoint',
        'kurento.SessionEndpoint',
        'kurento.Endpoint',
        'kurento.MediaElement',
        'kurento.MediaObject',
      ],
    ],
    ['PassThrough', ['kurento.MediaElement', 'kurento.MediaObject']],
    ['HubPort', ['kurento.MediaElement', 'kurento.MediaObject']],
    ['Composite', ['kurento.Hub', 'kurento.MediaObject']],
    [
      'PlayerEndpoint',
      ['kurento.UriEndpoint', 'kurento.Endpoint', 'kurento.MediaElement', 'kurento.MediaObject'],
    ],
    ['ZBarFilter', ['kurento.Filter', 'kurento.MediaElement', 'kurento.MediaObject']],
  ])('%s has the hierarchy KMS describes, nearest ancestor first', (name, hierarchy) => {
    const mediaClass = registry.classes.get(name);
    expect(mediaClass?.qualifiedType).toBe(`kurento.${name}`);
    expect(mediaClass?.hierarchy).toEqual(hierarchy);
  });

  it('lists the factories of core, elements and filters; abstract classes have none', () => {
    expect(registry.modules.map((m) => [m.name, m.factories])).toEqual([
      ['core', ['HubPort', 'MediaPipeline', 'PassThrough']],
      [
        'elements',
        [
          'AlphaBlending',
          'Composite',
          'Dispatcher',
          'DispatcherOneToMany',
          'HttpPostEndpoint',
          'Mixer',
          'PlayerEndpoint',
          'RecorderEndpoint',
          'RtpEndpoint',
          'WebRtcEndpoint',
        ],
      ],
      ['filters', ['FaceOverlayFilter', 'GStreamerFilter', 'ImageOverlayFilter', 'ZBarFilter']],
    ]);
    expect(registry.factory('MediaElement')).toBeUndefined();
    expect(registry.factory('ServerManager')).toBeUndefined();
  });

  it('finds factories by their qualified names too, as ModuleManager registers them', () => {
    expect(registry.factory('kurento.WebRtcEndpoint')?.name).toBe('WebRtcEndpoint');
    expect(registry.factory('kurento.MediaPipeline')?.name).toBe('MediaPipeline');
    expect(registry.factory('kurento.ZBarFilter')?.name).toBe('ZBarFilter');
    expect(registry.factory('kurento.MediaElement')).toBeUndefined();
    expect(registry.factory('elements.WebRtcEndpoint')).toBeUndefined();
    expect(registry.factory('kurento.')).toBeUndefined();
  });

  it('resolves operations like the generated invoker: methods, getters for all properties, setters when writable', () => {
    const webRtc = registry.classes.get('WebRtcEndpoint');
    expect(webRtc?.operations.get('connect')).toMatchObject({ kind: 'method', owner: 'MediaElement' });
    expect(webRtc?.operations.get('getStunServerAddress')).toMatchObject({
      kind: 'get',
      owner: 'WebRtcEndpoint',
    });
    expect(webRtc?.operations.get('setStunServerAddress')).toMatchObject({ kind: 'set' });
    expect(webRtc?.operations.get('getMediaPipeline')).toMatchObject({ kind: 'get', owner: 'MediaObject' });
    // Final and read-only properties have no setter.
    expect(webRtc?.operations.has('setMediaPipeline')).toBe(false);
    expect(webRtc?.operations.has('setChildren')).toBe(false);
    // A derived declaration shadows an inherited one.
    expect(registry.classes.get('Dispatcher')?.operations.get('connect')).toMatchObject({
      owner: 'Dispatcher',
    });
  });

  it('collects events along the hierarchy and knows which carry a media type field', () => {
    const webRtc = registry.classes.get('WebRtcEndpoint');
    for (const event of ['Error', 'ElementConnected', 'MediaStateChanged', 'IceCandidateFound']) {
      expect(webRtc?.events.has(event)).toBe(true);
    }
    expect(registry.classes.get('ServerManager')?.events).toEqual(
      new Set(['Error', 'ObjectCreated', 'ObjectDestroyed']),
    );
    expect(registry.isMediaEvent('ElementConnected')).toBe(true);
    expect(registry.isMediaEvent('ObjectCreated')).toBe(false);
  });
});
