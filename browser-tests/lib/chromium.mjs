// Starts Debian's Chromium headless through playwright-core, with a fresh profile that is
// deleted on close. No browser is downloaded: the executable must already be installed.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_EXECUTABLE = '/usr/bin/chromium';

// Flags for a closed network and a root user: no sandbox, no GPU, and none of the
// background connections (updates, sync, QUIC probes) that Chromium makes on its own.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Launches Chromium and returns { context, close }. The context is a persistent one on a new
 * empty user data directory, so every run starts from the same clean state.
 */
export async function launchChromium({ executablePath = DEFAULT_EXECUTABLE, extraArgs = [], viewport } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'livehub-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS, ...extraArgs],
      viewport: viewport ?? { width: 640, height: 480 },
      timeout: 30_000,
    });
  } catch (e) {
    await rm(userDataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}
