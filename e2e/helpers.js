'use strict';
// Shared pieces of the browser tests: the browser, the demo accounts, second-factor codes and
// the checks every page must pass.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { chromium } = require('playwright-core');

const PASSWORD = 'antoan-demo';
// The demo accounts that must use a second factor share this secret (base32).
const TOTP_SECRET = 'ANTOANDEMOANTOANDEMOANTOANDEMO22';

// Debian's Chromium, not a downloaded browser build: the test machines reach only package
// registries. The flags keep it from calling out to the network or needing a GPU or sandbox
// (the tests run as root in CI).
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Letters that exist only in Vietnamese spelling: their presence shows the page was rendered in
// Vietnamese and its UTF-8 survived the trip.
const VIETNAMESE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238 with SHA-1, 6 digits and 30-second steps, as the server expects.
function totpAt(step, secret = TOTP_SECRET) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 1_000_000).padStart(6, '0');
}

function currentStep() {
  return Math.floor(Date.now() / 1000 / 30);
}

// The server refuses a code from a step at or before the last one it accepted for the account
// (replay protection) and allows one step of clock skew. Within one test file the same account
// may sign in more than once, so remember the steps used and take the next free one.
const usedSteps = new Map();
async function freshCode(username) {
  for (;;) {
    const now = currentStep();
    const last = usedSteps.get(username) ?? -Infinity;
    for (const step of [now, now + 1]) {
      if (step > last) {
        usedSteps.set(username, step);
        return totpAt(step);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// A code that no step the server could accept right now produces.
function wrongCode() {
  const now = currentStep();
  const valid = new Set([-1, 0, 1, 2].map((d) => totpAt(now + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

// Clicks something that submits a form and waits for the page it leads to.
async function submit(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  return response;
}

// Opens a page. Chromium turns an error status with an empty body into a navigation error that
// hides the status; ask again outside the page so the failure says what the server answered.
async function goto(page, baseURL, pathname) {
  let response;
  try {
    response = await page.goto(baseURL + pathname, { waitUntil: 'load' });
  } catch (err) {
    if (!String(err.message).includes('ERR_HTTP_RESPONSE_CODE_FAILURE')) throw err;
    const again = await page.request.get(baseURL + pathname, { maxRedirects: 0 });
    assert.fail(`GET ${pathname} answered ${again.status()} ${again.statusText()} with an empty page`);
  }
  assert.ok(response, `no response for ${pathname}`);
  return response;
}

// Every browser context speaks as a person in Vietnam would: Vietnamese first, local time.
function newContext(browser, options = {}) {
  return browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...options });
}

// Fills the sign-in form and, for accounts with a second factor, the code page.
async function signIn(page, baseURL, username) {
  await goto(page, baseURL, '/login');
  const form = page.locator('form[action="/login"]');
  await form.locator('[name="username"]').fill(username);
  await form.locator('[name="password"]').fill(PASSWORD);
  let response = await submit(page, form.locator('button[type="submit"]'));
  if (new URL(page.url()).pathname === '/login/totp') {
    const totp = page.locator('form[action="/login/totp"]');
    await totp.locator('[name="code"]').fill(await freshCode(username));
    response = await submit(page, totp.locator('button[type="submit"]'));
  }
  const path = new URL(page.url()).pathname;
  assert.ok(!path.startsWith('/login'), `sign-in as ${username} stayed on ${page.url()}:\n${await bodyText(page)}`);
  assert.ok(response.status() < 400, `sign-in as ${username} ended with status ${response.status()}`);
  return response;
}

async function bodyText(page) {
  return page.locator('body').innerText();
}

// What every page of the application must satisfy, with or without JavaScript.
async function checkPage(page, response, label) {
  const status = response.status();
  assert.ok(status < 400, `${label}: status ${status}\n${(await bodyText(page)).slice(0, 500)}`);
  const headings = page.locator('h1');
  assert.ok((await headings.count()) >= 1, `${label}: no <h1>`);
  assert.notEqual((await headings.first().innerText()).trim(), '', `${label}: empty <h1>`);
  const text = await bodyText(page);
  assert.match(text, VIETNAMESE, `${label}: no Vietnamese text`);
  // Every state-changing form must carry the CSRF token, or the server would refuse it.
  const forms = page.locator('form');
  const n = await forms.count();
  for (let i = 0; i < n; i++) {
    const form = forms.nth(i);
    const method = ((await form.getAttribute('method')) || 'get').toLowerCase();
    if (method !== 'post') continue;
    const action = (await form.getAttribute('action')) || '(this page)';
    const token = form.locator('input[type="hidden"][name="csrf"]');
    assert.equal(await token.count(), 1, `${label}: the form posting to ${action} has no csrf field`);
    assert.notEqual(await token.getAttribute('value'), '', `${label}: the form posting to ${action} has an empty csrf field`);
  }
}

module.exports = {
  PASSWORD,
  VIETNAMESE,
  launchBrowser,
  newContext,
  totpAt,
  freshCode,
  wrongCode,
  submit,
  goto,
  signIn,
  bodyText,
  checkPage,
};
