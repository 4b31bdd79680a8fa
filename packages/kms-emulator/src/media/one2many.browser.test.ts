// Kurento's one2many, with a PassThrough fanning out: one Chromium presents its fake camera, two Chromium
// viewers receive its frames through the emulator in media mode, run as its own process (its command line),
// as the gateway's end-to-end tests run emulators.
import type { WebRtcEndpoint } from '@kurento-fleet/kurento';
import { kurentoCall } from '@kurento-fleet/kurento';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/browser';
import { freePort, spawnTsx, type TsxProcess } from '../../../../test/support/processes';
import { openCallPage } from '../testing/call-page';
import { startTutorialApp, type TutorialApp } from '../testing/tutorial-app';
import type { Call } from '../testing/tutorial-calls';

describe('one2many in media mode: a presenter, a PassThrough, two viewers', () => {
  let kms: TsxProcess;
  let app: TutorialApp;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    kms = spawnTsx('packages/kms-emulator/src/cli.ts', ['--port', String(port), '--media'], {});
    const [, appStarted, browserStarted] = await Promise.all([
      kms.waitForLine((line) => line.includes('serving') && line.includes('media')),
      startTutorialApp(`ws://127.0.0.1:${port}/kurento`),
      launchChromium({ webrtc: true }),
    ]);
    [app, browser] = [appStarted, browserStarted];
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    expect(await kms?.stop()).toBe(0);
  });

  it('delivers the presenter’s frames to both viewers, one of them joining late', async () => {
    const presenter = await openCallPage(browser, app.url, {
      role: 'presenter',
      audio: true,
      video: true,
      sendonly: true,
    });
    await presenter.waitFor((s) => s.answerAccepted && s.connectionState === 'connected', 15_000);

    const first = await openCallPage(browser, app.url, {
      role: 'viewer',
      audio: false,
      video: false,
      recvonly: true,
    });
    const firstState = await first.waitFor((s) => s.framesDecoded > 0, 15_000);
    // A viewer that joins later still gets a keyframe: the emulator asks the presenter for one.
    const started = performance.now();
    const second = await openCallPage(browser, app.url, {
      role: 'viewer',
      audio: false,
      video: false,
      recvonly: true,
    });
    const secondState = await second.waitFor((s) => s.framesDecoded > 0, 15_000);
    console.log(`one2many: late viewer's first frame after ${(performance.now() - started).toFixed(0)} ms`);

    expect(firstState.error).toBeUndefined();
    expect(secondState.error).toBeUndefined();
    // The presenter sends only: nothing comes back to it.
    expect((await presenter.read()).packetsReceived).toBe(0);

    const [presenting, viewing] = [app.calls[0] as Call, app.calls[1] as Call];
    expect(presenting.eventsOf('MediaFlowOutStateChanged').map((e) => e.data.state)).toContain('FLOWING');
    expect(viewing.eventsOf('MediaFlowInStateChanged').map((e) => e.data.state)).toContain('FLOWING');
    const viewerStats = Object.values(
      await kurentoCall<Record<string, Record<string, unknown>>>((cb) =>
        (viewing.endpoint as WebRtcEndpoint).getStats(cb),
      ),
    );
    expect(viewerStats.some((s) => s.type === 'outboundrtp' && Number(s.packetsSent) > 0)).toBe(true);
    expect(viewerStats.some((s) => s.type === 'inboundrtp' && Number(s.packetsReceived) > 0)).toBe(false);
    for (const page of [presenter, first, second]) expect(page.problems).toEqual([]);
  });
});
