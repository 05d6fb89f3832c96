/** Debian's Chromium for the browser tests, driven by playwright-core (which never downloads a browser of its own). */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's package installs it; `.ci/run` installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, sandbox off (tests run as root), and nothing that reaches out of this machine's closed network. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts Chromium, or fails saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Debian's Chromium at ${CHROMIUM}: run "apt-get update && apt-get install -y chromium" (.ci/run does this in CI).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
