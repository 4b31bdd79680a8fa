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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
}
