import type { Browser } from 'playwright-core';
import { type CallPage, openCallPage } from './call-page';

/** Pages looping their camera through a server, with when each connected and first decoded a frame. */
export interface Loopbacks {
  readonly pages: readonly CallPage[];
  /** Milliseconds from each page's start to 'connected' and to its first decoded frame, in page order. */
  readonly connectedMs: number[];
  readonly firstFrameMs: number[];
  close(): Promise<void>;
}

/**
 * Opens `streams` pages that each send their fake camera and microphone to `pageUrl`'s server and decode what
 * comes back (hello-world), all at once, and waits until every one has decoded a frame.
 */
export async function openLoopbacks(
  browser: Browser,
  pageUrl: string,
  streams: number,
  timeoutMs = 30_000,
): Promise<Loopbacks> {
  const pages = await Promise.all(
    Array.from({ length: streams }, () =>
      openCallPage(browser, pageUrl, { role: 'loopback', audio: true, video: true }),
    ),
  );
  const states = await Promise.all(
    pages.map((page) =>
      page.waitFor((s) => s.firstFrameMs !== undefined && s.connectedMs !== undefined, timeoutMs),
    ),
  );
  return {
    pages,
    connectedMs: states.map((s) => s.connectedMs ?? Number.NaN),
    firstFrameMs: states.map((s) => s.firstFrameMs ?? Number.NaN),
    close: async () => {
      await Promise.all(pages.map((page) => page.close()));
    },
  };
}
