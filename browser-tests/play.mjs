#!/usr/bin/env node
// Plays a live stream URL in headless Chromium with a browser player and checks that it
// really plays: the <video> element's currentTime advances by --seconds with no player
// error, and (when given) its decoded size is --width x --height.
//
// Prints one JSON line to stdout ({"ok":true|false, ...}); diagnostics go to stderr.
// Exit status: 0 when playback passed, 1 when it failed or timed out, 2 on bad arguments.
//
//   node play.mjs --url http://127.0.0.1:8080/live/x.flv --player mpegts \
//       --seconds 3 --width 320 --height 240 --timeout 20 --screenshot /tmp/x.png
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, DEFAULT_EXECUTABLE } from './lib/chromium.mjs';
import { startStaticServer } from './lib/static-server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

function usage(message) {
  process.stderr.write(`${message}\nusage: node play.mjs --url URL [--player mpegts] [--seconds 3] `
    + `[--width W --height H] [--timeout 20] [--screenshot file.png] [--chromium /usr/bin/chromium]\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      url: { type: 'string' },
      player: { type: 'string', default: 'mpegts' },
      seconds: { type: 'string', default: '3' },
      width: { type: 'string' },
      height: { type: 'string' },
      timeout: { type: 'string', default: '20' },
      screenshot: { type: 'string' },
      chromium: { type: 'string', default: process.env.LIVEHUB_CHROMIUM || DEFAULT_EXECUTABLE },
    },
    strict: true,
  }).values;
} catch (e) {
  usage(e.message);
}
if (!args.url) usage('--url is required');
const seconds = Number(args.seconds);
const timeoutMs = Number(args.timeout) * 1000;
const width = args.width === undefined ? null : Number(args.width);
const height = args.height === undefined ? null : Number(args.height);
if (!(seconds > 0) || !(timeoutMs > 0) || Number.isNaN(width) || Number.isNaN(height)) {
  usage('--seconds, --timeout, --width and --height take numbers');
}

const began = Date.now();
const result = { ok: false, player: args.player, url: args.url };
let printed = false;

function finish(ok, reason) {
  if (printed) return;
  printed = true;
  result.ok = ok;
  if (reason) result.reason = reason;
  result.elapsedMs = Date.now() - began;
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exitCode = ok ? 0 : 1;
}

// A last resort if the browser hangs while starting or closing.
setTimeout(() => {
  finish(false, 'hard time limit reached');
  process.exit(1);
}, timeoutMs + 20_000).unref();

const log = (line) => process.stderr.write(`[play] ${line}\n`);

const server = await startStaticServer({
  '/pages/': join(HERE, 'pages'),
  '/players/': join(HERE, 'players'),
  '/vendor/': join(HERE, 'node_modules'),
});
let browser;
try {
  browser = await launchChromium({ executablePath: args.chromium });
  result.browser = browser.context.browser()?.version() ?? null;
  const page = await browser.context.newPage();
  const pageErrors = [];
  page.on('console', (m) => log(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => log(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));

  const pageUrl = `${server.url}/pages/video.html?player=${encodeURIComponent(args.player)}`
    + `&url=${encodeURIComponent(args.url)}`;
  log(`opening ${pageUrl}`);
  await page.goto(pageUrl, { timeout: timeoutMs });

  const deadline = began + timeoutMs;
  let first = null;
  let verdict = null;
  while (verdict === null) {
    const s = await page.evaluate(() => {
      const v = document.getElementById('video');
      const q = v.getVideoPlaybackQuality?.();
      const p = window.playback ?? { errors: ['page did not start'], info: {}, events: [] };
      return {
        currentTime: v.currentTime, readyState: v.readyState, paused: v.paused,
        videoWidth: v.videoWidth, videoHeight: v.videoHeight,
        totalVideoFrames: q?.totalVideoFrames ?? null, droppedVideoFrames: q?.droppedVideoFrames ?? null,
        errors: p.errors, info: p.info, events: p.events.map((e) => e.name),
      };
    });
    const errors = [...s.errors, ...pageErrors];
    const now = Date.now();
    if (first === null && s.readyState >= 2 && !s.paused) {
      first = { currentTime: s.currentTime, at: now };
      log(`playing from currentTime ${s.currentTime.toFixed(3)} after ${now - began} ms`);
    }
    Object.assign(result, {
      startTime: first?.currentTime ?? null,
      currentTime: s.currentTime,
      advanced: first ? s.currentTime - first.currentTime : 0,
      wallSeconds: first ? (now - first.at) / 1000 : 0,
      videoWidth: s.videoWidth,
      videoHeight: s.videoHeight,
      readyState: s.readyState,
      paused: s.paused,
      totalVideoFrames: s.totalVideoFrames,
      droppedVideoFrames: s.droppedVideoFrames,
      events: s.events,
      info: s.info,
      errors,
    });
    if (errors.length > 0) {
      verdict = { ok: false, reason: `player reported an error: ${errors[0]}` };
    } else if (result.advanced >= seconds) {
      const sizeOk = (width === null || s.videoWidth === width) && (height === null || s.videoHeight === height);
      verdict = sizeOk
        ? { ok: true }
        : { ok: false, reason: `video is ${s.videoWidth}x${s.videoHeight}, expected ${width ?? '*'}x${height ?? '*'}` };
    } else if (now >= deadline) {
      verdict = { ok: false, reason: first
        ? `currentTime advanced only ${result.advanced.toFixed(3)} s of ${seconds} s in time`
        : 'playback did not start in time' };
    } else {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (args.screenshot) {
    try {
      await page.locator('#video').screenshot({ path: resolve(args.screenshot), timeout: 5000 });
      result.screenshot = resolve(args.screenshot);
    } catch (e) {
      log(`screenshot failed: ${e.message}`);
    }
  }
  finish(verdict.ok, verdict.reason);
} catch (e) {
  log(e.stack ?? String(e));
  finish(false, `harness failure: ${e.message.split('\n')[0]}`);
} finally {
  await browser?.close().catch((e) => log(`closing the browser: ${e.message}`));
  await server.close();
}
