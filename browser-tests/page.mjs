#!/usr/bin/env node
// Opens a page of a running server in headless Chromium and waits until a JavaScript
// expression, evaluated in the page, is truthy: "the console lists this stream", "the video's
// currentTime passed 3 s". Fails on any uncaught page error, console error or failed request
// of the page's own origin, and when the time runs out.
//
// Prints one JSON line to stdout ({"ok":true|false, "value":..., "errors":[...], ...});
// diagnostics go to stderr. Exit status: 0 passed, 1 failed or timed out, 2 bad arguments.
//
//   node page.mjs --url http://127.0.0.1:8080/ \
//       --until "document.querySelector('[data-stream=\"live/x\"]') !== null" --timeout 20 [--allow 401]
import { parseArgs } from 'node:util';
import { launchChromium, DEFAULT_EXECUTABLE } from './lib/chromium.mjs';

function usage(message) {
  process.stderr.write(`${message}\nusage: node page.mjs --url URL --until JS-EXPRESSION [--report JS-EXPRESSION] `
    + `[--allow 401,...] [--timeout 20] [--chromium /usr/bin/chromium]\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      url: { type: 'string' },
      until: { type: 'string' },
      report: { type: 'string' },
      allow: { type: 'string', default: '' },
      timeout: { type: 'string', default: '20' },
      chromium: { type: 'string', default: process.env.LIVEHUB_CHROMIUM || DEFAULT_EXECUTABLE },
    },
    strict: true,
  }).values;
} catch (e) {
  usage(e.message);
}
if (!args.url || !args.until) usage('--url and --until are required');
const timeoutMs = Number(args.timeout) * 1000;
// HTTP statuses the page is expected to meet and handle (a 401 that makes it ask for a token).
const allowed = new Set(args.allow.split(',').filter((x) => x).map(Number));
if (!(timeoutMs > 0)) usage('--timeout takes a number');

const began = Date.now();
const result = { ok: false, url: args.url };
const log = (line) => process.stderr.write(`[page] ${line}\n`);
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
setTimeout(() => {
  finish(false, 'hard time limit reached');
  process.exit(1);
}, timeoutMs + 20_000).unref();

let browser;
try {
  browser = await launchChromium({ executablePath: args.chromium });
  const page = await browser.context.newPage();
  const origin = new URL(args.url).origin;
  const errors = [];
  page.on('console', (m) => {
    log(`console.${m.type()}: ${m.text()}`);
    // Chromium logs every HTTP error status as a console error; the response handler judges those.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded')) {
      errors.push(`console error: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    log(`request failed: ${r.url()} ${why}`);
    // A player cancels its stream request when it stops; only the page's own files count.
    if (r.url().startsWith(origin) && why !== 'net::ERR_ABORTED') errors.push(`request failed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allowed.has(r.status()) && r.url().startsWith(origin)) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  log(`opening ${args.url}`);
  await page.goto(args.url, { timeout: timeoutMs });
  const deadline = began + timeoutMs;
  let verdict = null;
  while (verdict === null) {
    let value;
    try {
      value = await page.evaluate(args.until);
    } catch (e) {
      errors.push(`--until failed: ${e.message}`);
    }
    result.value = value ?? null;
    if (args.report) {
      result.report = await page.evaluate(args.report).catch((e) => `--report failed: ${e.message}`);
    }
    result.errors = errors;
    if (errors.length > 0) verdict = { ok: false, reason: errors[0] };
    else if (value) verdict = { ok: true };
    else if (Date.now() >= deadline) verdict = { ok: false, reason: 'the condition was not met in time' };
    else await new Promise((r) => setTimeout(r, 200));
  }
  finish(verdict.ok, verdict.reason);
} catch (e) {
  log(e.stack ?? String(e));
  finish(false, `harness failure: ${e.message.split('\n')[0]}`);
} finally {
  await browser?.close().catch((e) => log(`closing the browser: ${e.message}`));
}
