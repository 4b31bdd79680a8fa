import { openCallPage, startTutorialApp, type TutorialApp } from '@kurento-fleet/kms-emulator/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { useGatewayFleet } from './support/gateway-fleet';

/**
 * Real Chromium through the gateway: Kurento's hello-world and one2many tutorials (the server side on the real
 * npm kurento-client, pointed at the gateway) over KMS emulators in media mode (werift peers), as processes
 * with a control plane and agents. The browsers' media goes to the KMS their pipeline was placed on; only
 * signalling goes through the gateway.
 */
describe('Chromium calls through the gateway (processes: control plane, 2 KMS in media mode, agents, gateway)', () => {
  const env = useGatewayFleet({ a: 2, b: 1 }, {}, ['--media']);
  let app: TutorialApp;
  let browser: Browser;

  beforeAll(async () => {
    await env.start();
    [app, browser] = await Promise.all([
      startTutorialApp(env.fleet.gateway.url),
      launchChromium({ webrtc: true }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const nodeOfLastCall = async () => {
    const pipeline = app.calls.at(-1)?.pipeline;
    expect(pipeline).toBeDefined();
    return env.fleet.nodeOfSession(pipeline?.id as string);
  };

  it('hello-world: each call gets its own video back, its pipeline placed by weight (a b a)', async () => {
    const nodes: Array<string | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const page = await openCallPage(browser, app.url, { role: 'loopback', audio: true, video: true });
      const state = await page.waitFor((s) => s.framesDecoded > 0, 20_000);
      expect(state).toMatchObject({ answerAccepted: true, error: undefined, connectionState: 'connected' });
      expect(page.problems).toEqual([]);
      nodes.push(await nodeOfLastCall());
      // KMS's media events reach the application through the gateway.
      const call = app.calls.at(-1);
      await expect
        .poll(() => call?.eventsOf('MediaFlowInStateChanged').some((e) => e.data.state === 'FLOWING'), {
          timeout: 10_000,
        })
        .toBe(true);
      await page.close();
    }
    expect(nodes).toEqual(['a', 'b', 'a']);
  });

  it('one2many: a presenter and two viewers, every endpoint in one pipeline on one KMS', async () => {
    const presenter = await openCallPage(browser, app.url, {
      role: 'presenter',
      audio: true,
      video: true,
      sendonly: true,
    });
    await presenter.waitFor((s) => s.answerAccepted && s.connectionState === 'connected', 20_000);
    const viewers = [];
    for (let i = 0; i < 2; i++) {
      const viewer = await openCallPage(browser, app.url, {
        role: 'viewer',
        audio: false,
        video: false,
        recvonly: true,
      });
      expect((await viewer.waitFor((s) => s.framesDecoded > 0, 20_000)).error).toBeUndefined();
      viewers.push(viewer);
    }
    // Each endpoint's id starts with its pipeline's.
    const pipelines = new Set(app.calls.slice(-3).map((call) => call.endpoint?.id.split('/')[0]));
    expect(pipelines.size).toBe(1);
    expect(await env.fleet.nodeOfSession([...pipelines][0] as string)).toMatch(/^[ab]$/);
    for (const page of [presenter, ...viewers]) {
      expect(page.problems).toEqual([]);
      await page.close();
    }
  });
});
