'use strict';
// The home page and the people list on a phone: pictures for people to look at (saved under
// e2e/screenshots/: NAME-phone.png as the screen shows it first, NAME-phone-full.png the whole page),
// and a check that nothing is wider than the screen.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('./server');
const { launchBrowser, newContext, goto, signIn, checkPage } = require('./helpers');

const OUT = path.join(__dirname, 'screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let server;
let browser;
let context;
let page;

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  context = await newContext(browser, PHONE);
  page = await context.newPage();
  await signIn(page, server.baseURL, 'canbo.antt');
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

for (const [name, pathname] of [
  ['home', '/'],
  ['people', '/people'],
]) {
  test(`phone screenshot of ${pathname}`, async () => {
    const response = await goto(page, server.baseURL, pathname);
    await checkPage(page, response, pathname);
    // What the phone shows first, and the whole page scrolled through.
    await page.screenshot({ path: path.join(OUT, `${name}-phone.png`) });
    await page.screenshot({ path: path.join(OUT, `${name}-phone-full.png`), fullPage: true });
    // A page wider than the phone makes people scroll sideways to read it.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.viewport.width, `${pathname} is ${width}px wide on a ${PHONE.viewport.width}px screen`);
  });
}
