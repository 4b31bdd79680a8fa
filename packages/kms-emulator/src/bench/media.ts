import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { openLoopbacks } from '../testing/loopbacks';
import { startTutorialApp } from '../testing/tutorial-app';
import { forkServer, type ServerRole } from './child';

/** One server's cost per looped-back stream, and how fast streams start on it. */
export interface MediaFigures {
  role: ServerRole;
  streams: number;
  /** CPU of the server process, percent of one core, idle and with every stream flowing. */
  idleCpuPercent: number;
  loadedCpuPercent: number;
  /** RSS of the server process before the streams and with them flowing, in bytes. */
  idleRss: number;
  loadedRss: number;
  /** Medians over the streams, from the page's start: to 'connected', to the first decoded frame. */
  connectedMs: number;
  firstFrameMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Loops `streams` Chromium cameras back through one server process (hello-world): the emulator in media mode
 * (driven by the tutorial application on the npm kurento-client) or the bare werift echo. The server's CPU is
 * sampled over `windowMs` once every stream is flowing.
 */
export async function measureLoopbacks(
  browser: Browser,
  role: 'emulator-media' | 'echo',
  streams: number,
  windowMs: number,
): Promise<MediaFigures> {
  const server = await forkServer(role);
  const app = role === 'echo' ? undefined : await startTutorialApp(server.url);
  try {
    const idleCpuPercent = await server.cpuPercent(Math.min(windowMs, 3000));
    const idleRss = (await server.memory()).rss;
    const loopbacks = await openLoopbacks(browser, app?.url ?? server.url, streams);
    // Let the streams settle (bitrate ramp-up, first keyframes) before measuring the steady state.
    await sleep(2000);
    const loadedCpuPercent = await server.cpuPercent(windowMs);
    const loadedRss = (await server.memory()).rss;
    const states = await Promise.all(loopbacks.pages.map((page) => page.read()));
    if (states.some((state) => state.error !== undefined))
      throw new Error(`a page failed: ${JSON.stringify(states)}`);
    await loopbacks.close();
    return {
      role,
      streams,
      idleCpuPercent,
      loadedCpuPercent,
      idleRss,
      loadedRss,
      connectedMs: median(loopbacks.connectedMs),
      firstFrameMs: median(loopbacks.firstFrameMs),
    };
  } finally {
    await app?.stop();
    await server.stop();
  }
}
