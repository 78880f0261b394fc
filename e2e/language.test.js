'use strict';
// The language switch: the same page in English, and back in Vietnamese.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./server');
const { launchBrowser, newContext, goto, signIn, bodyText, checkPage } = require('./helpers');

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function switchLanguage(page, code) {
  const link = page.locator(`a[href^="/lang/${code}"]`).first();
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
  return response;
}

test('the sign-in page switches to English', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await goto(page, server.baseURL, '/login');
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    const response = await switchLanguage(page, 'en');
    assert.ok(response.status() < 400);
    assert.equal(new URL(page.url()).pathname, '/login', 'the switch did not return to the sign-in page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await bodyText(page), /Sign in|Username|Password/);
  } finally {
    await context.close();
  }
});

test('a signed-in person switches the people list to English and back', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await signIn(page, server.baseURL, 'canbo.antt');
    await checkPage(page, await goto(page, server.baseURL, '/people'), '/people');

    const english = await switchLanguage(page, 'en');
    assert.ok(english.status() < 400, `the English people list answered ${english.status()}`);
    assert.equal(new URL(page.url()).pathname, '/people', 'the switch did not return to the same page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    const text = await bodyText(page);
    for (const words of ['Home', 'People', 'Sign out']) {
      assert.ok(text.includes(words), `"${words}" missing from the English page`);
    }
    assert.ok(!text.includes('Trang chủ'), 'the menu is still in Vietnamese');

    // The choice sticks on the next page.
    await goto(page, server.baseURL, '/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');

    await switchLanguage(page, 'vi');
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    assert.match(await bodyText(page), /Trang chủ/);
  } finally {
    await context.close();
  }
});
