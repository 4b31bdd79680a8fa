// Kurento's hello-world, for real: Chromium sends its fake camera to an application that connects a
// WebRtcEndpoint to itself, and gets its own video back through the emulator in media mode.
import type { WebRtcEndpoint } from '@kurento-fleet/kurento';
import { kurentoCall } from '@kurento-fleet/kurento';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/browser';
import { type KmsEmulator, startKmsEmulator } from '../emulator';
import { openCallPage } from '../testing/call-page';
import { startTutorialApp, type TutorialApp } from '../testing/tutorial-app';
import type { Call } from '../testing/tutorial-calls';

/** Polls until `read` returns something truthy; generous, because the machine is shared. */
async function eventually<T>(read: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('hello-world in media mode: Chromium gets its own video back', () => {
  let kms: KmsEmulator;
  let app: TutorialApp;
  let browser: Browser;

  beforeAll(async () => {
    kms = await startKmsEmulator({ media: true, gcIntervalMs: 0 });
    [app, browser] = await Promise.all([startTutorialApp(kms.url), launchChromium({ webrtc: true })]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await kms?.stop();
  });

  it('decodes its own frames within 15 s; the endpoint reports the media events KMS raises', async () => {
    const started = performance.now();
    const page = await openCallPage(browser, app.url, { role: 'loopback', audio: true, video: true });
    const state = await page.waitFor((s) => s.framesDecoded > 0, 15_000);
    const firstFrameMs = performance.now() - started;
    expect(state).toMatchObject({ answerAccepted: true, error: undefined, connectionState: 'connected' });
    expect(state.localCandidates).toBeGreaterThan(0);
    expect(state.remoteCandidatesAdded).toBeGreaterThan(0);
    console.log(`loopback: first decoded frame after ${firstFrameMs.toFixed(0)} ms`);

    const loop = app.calls[0] as Call;
    const flowingIn = (type: string) =>
      loop.eventsOf(type).find((e) => e.data.state === 'FLOWING' && e.data.mediaType === 'VIDEO');
    const flowIn = await eventually(() => flowingIn('MediaFlowInStateChanged'), 5000);
    expect(flowIn.data).toMatchObject({ padName: 'default', source: loop.endpoint?.id });
    expect(String(flowIn.data.timestampMillis)).toMatch(/^\d+$/);
    expect(flowingIn('MediaFlowOutStateChanged')).toBeDefined();
    expect(
      loop.eventsOf('ConnectionStateChanged').map((e) => [e.data.oldState, e.data.newState]),
    ).toContainEqual(['DISCONNECTED', 'CONNECTED']);
    expect(loop.eventsOf('MediaStateChanged').map((e) => e.data.newState)).toContain('CONNECTED');
    expect(loop.eventsOf('MediaSessionStarted')).toHaveLength(1);
    expect(loop.eventsOf('IceGatheringDone')).toHaveLength(1);
    // libnice's order, whatever werift did first: gathering starts with gatherCandidates.
    const ice = loop.eventsOf('IceComponentStateChanged').map((e) => e.data.state);
    expect(ice).toEqual(['GATHERING', 'CONNECTING', 'CONNECTED', 'READY']);
    const [pair] = loop.eventsOf('NewCandidatePairSelected');
    expect(pair?.data.candidatePair).toMatchObject({
      componentId: 1,
      localCandidate: expect.stringMatching(/^candidate:/),
      remoteCandidate: expect.stringMatching(/^candidate:/),
    });

    const endpoint = loop.endpoint as WebRtcEndpoint;
    const stats = Object.values(
      await kurentoCall<Record<string, Record<string, unknown>>>((cb) => endpoint.getStats(cb)),
    );
    const types = stats.map((s) => s.type);
    expect(types).toEqual(expect.arrayContaining(['inboundrtp', 'outboundrtp', 'candidatepair', 'endpoint']));
    const inbound = stats.filter((s) => s.type === 'inboundrtp');
    expect(inbound.some((s) => Number(s.packetsReceived) > 0 && Number(s.bytesReceived) > 0)).toBe(true);
    const outbound = stats.filter((s) => s.type === 'outboundrtp');
    expect(outbound.some((s) => Number(s.packetsSent) > 0)).toBe(true);
    expect(page.problems).toEqual([]);
  });
});
