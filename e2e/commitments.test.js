'use strict';
// Signing the yearly commitment on a phone-sized screen, with JavaScript on (the receipt
// replaces the form without a page load) and off (the same form posts and the answer is a
// page), each on its own server so that `nhanvien` has a commitment to sign in both. Also
// pictures of the officer's coverage page and the overseer's province view, and a check that
// none of these pages is wider than the phone.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('./server');
const { launchBrowser, newContext, goto, signIn, submit, checkPage, bodyText } = require('./helpers');

const OUT = path.join(__dirname, 'screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let serverJs;
let serverNoJs;
let browser;

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  [serverJs, serverNoJs] = await Promise.all([startServer(), startServer()]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await serverJs?.stop();
  await serverNoJs?.stop();
});

async function notWider(page, label) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.viewport.width, `${label} is ${width}px wide on a ${PHONE.viewport.width}px screen`);
}

// From the list of commitments to the signing page of the one to sign.
async function openSigning(page, baseURL) {
  const response = await goto(page, baseURL, '/commitments');
  await checkPage(page, response, '/commitments');
  const link = page.locator('a[href$="/sign"]').first();
  assert.equal(await link.count(), 1, 'nhanvien has a commitment to sign');
  const href = await link.getAttribute('href');
  const signing = await goto(page, baseURL, href);
  await checkPage(page, signing, href);
  await notWider(page, href);
  return href;
}

test('signing on a phone with JavaScript on: the receipt replaces the form', async () => {
  const context = await newContext(browser, PHONE);
  const page = await context.newPage();
  await signIn(page, serverJs.baseURL, 'nhanvien');
  const href = await openSigning(page, serverJs.baseURL);
  await page.screenshot({ path: path.join(OUT, 'sign-phone.png') });
  await page.screenshot({ path: path.join(OUT, 'sign-phone-full.png'), fullPage: true });

  // A wrong password: the error appears in place, nothing is signed.
  await page.evaluate(() => { window.stillHere = true; });
  const form = page.locator('form.sign-form');
  await form.locator('[name="read"]').check();
  await form.locator('[name="secret"]').fill('sai-mat-khau');
  await form.locator('button[type="submit"]').click();
  await page.locator('#sign-error').waitFor();
  assert.match(await page.locator('#sign-error').innerText(), /không đúng/);

  const again = page.locator('form.sign-form');
  await again.locator('[name="read"]').check();
  await again.locator('[name="secret"]').fill('antoan-demo');
  await again.locator('button[type="submit"]').click();
  await page.locator('#sign-result').waitFor();
  assert.equal(await page.evaluate(() => window.stillHere), true, 'no page load happened');
  assert.equal(new URL(page.url()).pathname, href);
  const text = await page.locator('#sign-result').innerText();
  assert.match(text, /Bạn đã ký cam kết/);
  assert.match(await page.locator('#receipt-code').inputValue(), /^ANTOAN-CK1\./);
  await notWider(page, 'the receipt');
  await page.screenshot({ path: path.join(OUT, 'receipt-phone.png') });
  // The list now shows it signed.
  await goto(page, serverJs.baseURL, '/commitments');
  assert.match(await bodyText(page), /Đã ký/);
  await context.close();
});

test('signing on a phone with JavaScript off: the same form, answered by a page', async () => {
  const context = await newContext(browser, { ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, serverNoJs.baseURL, 'nhanvien');
  const href = await openSigning(page, serverNoJs.baseURL);
  const form = page.locator('form.sign-form');
  await form.locator('[name="read"]').check();
  await form.locator('[name="secret"]').fill('sai-mat-khau');
  let response = await submit(page, form.locator('button[type="submit"]'));
  assert.equal(response.status(), 422);
  assert.match(await bodyText(page), /không đúng/);

  const again = page.locator('form.sign-form');
  await again.locator('[name="read"]').check();
  await again.locator('[name="secret"]').fill('antoan-demo');
  response = await submit(page, again.locator('button[type="submit"]'));
  assert.equal(response.status(), 200);
  assert.match(await page.locator('#sign-result').innerText(), /Bạn đã ký cam kết/);
  await notWider(page, 'the receipt without JavaScript');
  // Reloading the signing page shows the receipt, not a second form.
  await goto(page, serverNoJs.baseURL, href);
  assert.equal(await page.locator('form.sign-form').count(), 0);
  assert.match(await bodyText(page), /đã ký cam kết này trước đó/);
  await context.close();
});

test('the officer watches coverage and the overseer the province, on a phone and a desk', async () => {
  for (const [label, options] of [['phone', PHONE], ['desk', { viewport: { width: 1280, height: 900 } }]]) {
    const context = await newContext(browser, options);
    const page = await context.newPage();
    await signIn(page, serverJs.baseURL, 'canbo.antt');
    await goto(page, serverJs.baseURL, '/commitments');
    const campaign = await page.locator('table.list a[href^="/commitments/"]').first().getAttribute('href');
    const response = await goto(page, serverJs.baseURL, campaign);
    await checkPage(page, response, campaign);
    assert.match(await bodyText(page), /Chỉ tiêu: 100%/);
    if (label === 'phone') await notWider(page, campaign);
    await page.screenshot({ path: path.join(OUT, `coverage-${label}.png`), fullPage: true });
    for (const [name, pathname] of [['directives', '/directives'], ['dissemination', '/dissemination']]) {
      const r = await goto(page, serverJs.baseURL, pathname);
      await checkPage(page, r, pathname);
      if (label === 'phone') await notWider(page, pathname);
      await page.screenshot({ path: path.join(OUT, `${name}-${label}.png`), fullPage: true });
    }
    await context.close();

    const overseer = await newContext(browser, options);
    const op = await overseer.newPage();
    await signIn(op, serverJs.baseURL, 'congan.tinh');
    const r = await goto(op, serverJs.baseURL, '/commitments/province');
    await checkPage(op, r, '/commitments/province');
    assert.match(await bodyText(op), /Sở Tài chính tỉnh Sơn Hà/);
    await op.screenshot({ path: path.join(OUT, `province-${label}.png`), fullPage: true });
    await overseer.close();
  }
});
