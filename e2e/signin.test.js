'use strict';
// Signing in, with and without the second factor.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./server');
const { launchBrowser, newContext, freshCode, wrongCode, submit, goto, signIn, bodyText, checkPage } = require('./helpers');

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

test('a staff member without a second factor signs in and sees the home page', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    const response = await signIn(page, server.baseURL, 'nhanvien');
    assert.equal(new URL(page.url()).pathname, '/');
    await checkPage(page, response, 'home');
    // The header names the person who is signed in and offers to sign out.
    const text = await bodyText(page);
    assert.match(text, /Nguyễn Thị Hồng Nhung/);
    assert.equal(await page.locator('form[action="/logout"]').count() >= 1, true, 'no sign-out form');
  } finally {
    await context.close();
  }
});

test('a wrong password is refused on the sign-in page', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await goto(page, server.baseURL, '/login');
    const form = page.locator('form[action="/login"]');
    await form.locator('[name="username"]').fill('nhanvien');
    await form.locator('[name="password"]').fill('sai-mat-khau');
    await submit(page, form.locator('button[type="submit"]'));
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.locator('[role="alert"]').waitFor({ state: 'visible' });
  } finally {
    await context.close();
  }
});

test('an administrator signs in with a second factor after one wrong code', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await goto(page, server.baseURL, '/login');
    const form = page.locator('form[action="/login"]');
    await form.locator('[name="username"]').fill('quantri');
    await form.locator('[name="password"]').fill('antoan-demo');
    await submit(page, form.locator('button[type="submit"]'));
    assert.equal(new URL(page.url()).pathname, '/login/totp', 'the second-factor page did not follow the password');

    // Until the code is given, the rest of the application stays closed.
    const blocked = await page.request.get(`${server.baseURL}/accounts`, { maxRedirects: 0 });
    assert.ok(blocked.status() >= 300, `/accounts answered ${blocked.status()} before the second factor`);

    const totp = page.locator('form[action="/login/totp"]');
    await totp.locator('[name="code"]').fill(wrongCode());
    const refused = await submit(page, totp.locator('button[type="submit"]'));
    assert.equal(new URL(page.url()).pathname, '/login/totp', 'a wrong code left the second-factor page');
    assert.ok(refused.status() < 500, `a wrong code caused a server error (${refused.status()})`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ state: 'visible' });
    assert.notEqual((await alert.innerText()).trim(), '', 'the error message is empty');

    await page.locator('form[action="/login/totp"] [name="code"]').fill(await freshCode('quantri'));
    const accepted = await submit(page, page.locator('form[action="/login/totp"] button[type="submit"]'));
    assert.equal(new URL(page.url()).pathname, '/', `the right code led to ${page.url()}`);
    await checkPage(page, accepted, 'home after the second factor');
    assert.match(await bodyText(page), /Quản trị hệ thống/);
  } finally {
    await context.close();
  }
});
