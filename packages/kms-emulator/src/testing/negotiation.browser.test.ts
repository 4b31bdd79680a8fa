// Chromium's own offers, answered by the emulator through the real npm kurento-client: every answer passes
// setRemoteDescription, and ICE candidates go both ways, in signalling-only mode and in media mode.
import type { Browser } from 'playwright-core';
import { parse } from 'sdp-transform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/browser';
import type { WireFrame } from '../connection';
import { type KmsEmulator, startKmsEmulator } from '../emulator';
import { openCallPage, type Scenario } from './call-page';
import { startTutorialApp, type TutorialApp } from './tutorial-app';
import type { Call } from './tutorial-calls';

const offers: Array<[string, Omit<Scenario, 'role'>, string[]]> = [
  ['audio and video', { audio: true, video: true }, ['sendrecv', 'sendrecv']],
  ['audio only', { audio: true, video: false }, ['sendrecv']],
  ['receive only', { audio: false, video: false, recvonly: true }, ['sendonly', 'sendonly']],
  ['a data channel', { audio: false, video: false, dataChannel: true }, []],
  [
    'audio, video and a data channel',
    { audio: true, video: true, dataChannel: true },
    ['sendrecv', 'sendrecv'],
  ],
];

describe.each([
  ['signalling-only', false],
  ['media', true],
])('%s mode: Chromium accepts every answer', (_mode, media) => {
  let kms: KmsEmulator;
  let app: TutorialApp;
  let browser: Browser;
  const frames: WireFrame[] = [];

  beforeAll(async () => {
    kms = await startKmsEmulator({ media, gcIntervalMs: 0, onFrame: (frame) => frames.push(frame) });
    [app, browser] = await Promise.all([startTutorialApp(kms.url), launchChromium({ webrtc: true })]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await kms?.stop();
  });

  it.each(offers)('an offer with %s', async (_name, scenario, directions) => {
    const callIndex = app.calls.length;
    const page = await openCallPage(browser, app.url, { role: 'negotiate', ...scenario });
    const state = await page.waitFor(
      (s) => s.answerAccepted && s.localCandidates > 0 && s.remoteCandidatesAdded > 0,
      15_000,
    );
    expect(state.error).toBeUndefined();

    const offer = parse(state.offer ?? '');
    const answer = parse(state.answer ?? '');
    expect(answer.media.map((m) => [m.type, String(m.mid)])).toEqual(
      offer.media.map((m) => [m.type, String(m.mid)]),
    );
    expect(answer.media.filter((m) => m.type !== 'application').map((m) => m.direction)).toEqual(directions);
    // The application asked for data channels exactly when the page offered one: accepted, not refused.
    expect(answer.media.filter((m) => m.type === 'application').every((m) => m.port !== 0)).toBe(true);

    // The page's candidates reached the emulator through the application.
    const call = app.calls[callIndex] as Call;
    const added = frames.filter(
      (f) =>
        f.direction === 'in' &&
        f.text.includes('"addIceCandidate"') &&
        f.text.includes(String(call.endpoint?.id)),
    );
    expect(added.length).toBeGreaterThan(0);

    if (media) {
      // A real peer behind the answer: ICE and DTLS complete, and a data channel opens.
      const connected = await page.waitFor((s) => s.connectionState === 'connected', 15_000);
      if (scenario.dataChannel) {
        await page.waitFor((s) => s.dataChannelState === 'open', 15_000);
        expect(call.eventsOf('DataChannelOpened').length).toBeGreaterThan(0);
      }
      expect(connected.error).toBeUndefined();
    } else {
      // Nothing listens behind a signalling-only answer.
      expect(state.connectionState).not.toBe('connected');
    }
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('an offer with audio and a data channel to an endpoint without data channels: m=application refused', async () => {
    const page = await openCallPage(browser, app.url, {
      role: 'negotiate',
      audio: true,
      video: false,
      dataChannel: true,
      endpointDataChannels: false,
    });
    const state = await page.waitFor((s) => s.answerAccepted && s.remoteCandidatesAdded > 0, 15_000);
    const answer = parse(state.answer ?? '');
    expect(answer.media.map((m) => [m.type, m.port === 0])).toEqual([
      ['audio', false],
      ['application', true],
    ]);
    expect(String(answer.groups?.[0]?.mids)).toBe(String(answer.media[0]?.mid));
    if (media)
      expect(
        (await page.waitFor((s) => s.connectionState === 'connected', 15_000)).dataChannelState,
      ).not.toBe('open');
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
