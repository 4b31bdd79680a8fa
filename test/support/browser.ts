import { type Browser, chromium } from 'playwright-core';

// Debian's Chromium (playwright-core cannot download a browser here). The machine has no network: these flags
// keep Chromium from reaching out, and from waiting on it.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// WebRTC against a local peer: fake camera and microphone without a permission prompt, loopback candidates
// allowed, and host candidates as real addresses (not mDNS names, which nothing here resolves).
const webrtcArgs = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/** Debian's Chromium, headless and offline; `webrtc` adds what a page needs to call a local media server. */
export function launchChromium(options: { webrtc?: boolean } = {}): Promise<Browser> {
  const args = options.webrtc ? [...chromiumArgs, ...webrtcArgs] : chromiumArgs;
  return chromium.launch({ executablePath: '/usr/bin/chromium', args });
}
