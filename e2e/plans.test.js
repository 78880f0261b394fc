'use strict';
// A protection plan from start to print, in the browser, with JavaScript on and off (each on
// its own server, since each run creates this year's Tết plan): the officer copies last year's
// Tết plan from the peak overview, adds a playbook step with the editor's add-row button, saves
// and submits; a leader approves it (the plan takes its number from the register); the print
// view shows it. From the approved plan's page the officer makes its duty roster: the form
// comes filled in from the plan, the roster page names the plan and the plan page lists the
// roster. Pictures of the pages at desk and phone width, and a check that none is wider than
// the phone.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('./server');
const { launchBrowser, newContext, goto, signIn, submit, checkPage, bodyText } = require('./helpers');

const OUT = path.join(__dirname, 'screenshots');
const DESK = { viewport: { width: 1280, height: 900 } };
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

async function notWider(page, label, width) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= width, `${label} is ${w}px wide on a ${width}px screen`);
}

async function run(server, js, tag) {
  const base = server.baseURL;
  const officerCtx = await newContext(browser, { ...DESK, javaScriptEnabled: js });
  const page = await officerCtx.newPage();
  // With JavaScript on, buttons marked data-confirm ask first: answer yes.
  page.on('dialog', (d) => d.accept());
  await signIn(page, base, 'canbo.antt');

  let response = await goto(page, base, '/plans/peaks');
  await checkPage(page, response, '/plans/peaks');
  await page.screenshot({ path: path.join(OUT, `plans-peaks-desk-${tag}.png`), fullPage: true });
  const copy = page.getByRole('button', { name: 'Sao từ kế hoạch năm trước' }).first();
  assert.equal(await copy.count(), 1, 'the coming Tết offers last year’s plan');
  response = await submit(page, copy);
  await checkPage(page, response, 'editor after copying');
  assert.match(new URL(page.url()).pathname, /^\/plans\/\d+\/edit$/);
  const id = new URL(page.url()).pathname.split('/')[2];
  assert.match(await bodyText(page), /Đã tạo dự thảo kế hoạch/);

  // Add a playbook step without saving, then fill it and save.
  const before = await page.locator('input[name="s_action"]').count();
  response = await submit(page, page.getByRole('button', { name: 'Thêm bước xử lý' }));
  await checkPage(page, response, 'editor with a new step');
  assert.equal(await page.locator('input[name="s_action"]').count(), before + 1);
  await page.locator('input[name="s_action"]').last().fill('Kiểm tra camera cổng phụ mỗi ca trực');
  await page.locator('input[name="s_actor"]').last().fill('Cán bộ trực');
  await page.locator('input[name="s_order"]').last().fill('9');
  await page.screenshot({ path: path.join(OUT, `plans-editor-desk-${tag}.png`), fullPage: true });
  response = await submit(page, page.locator('.actions button[value="save"]'));
  await checkPage(page, response, 'plan page after saving');
  assert.equal(new URL(page.url()).pathname, `/plans/${id}`);
  let text = await bodyText(page);
  assert.match(text, /Đã lưu kế hoạch/);
  assert.match(text, /Kiểm tra camera cổng phụ mỗi ca trực/);

  response = await submit(page, page.getByRole('button', { name: 'Trình lãnh đạo' }));
  await checkPage(page, response, 'plan page after submitting');
  assert.match(await bodyText(page), /Đã trình/);
  await officerCtx.close();

  // The leader approves on a phone.
  const leaderCtx = await newContext(browser, { ...PHONE, javaScriptEnabled: js });
  const lp = await leaderCtx.newPage();
  lp.on('dialog', (d) => d.accept());
  await signIn(lp, base, 'lanhdao');
  response = await goto(lp, base, `/plans/${id}`);
  await checkPage(lp, response, 'plan page for the leader');
  await notWider(lp, 'plan page', PHONE.viewport.width);
  response = await submit(lp, lp.getByRole('button', { name: 'Phê duyệt và ban hành' }));
  await checkPage(lp, response, 'plan page after approval');
  text = await bodyText(lp);
  assert.match(text, /Đã phê duyệt/);
  const number = text.match(/\d{2}-PA\/VPTU|\d{2}\/PA-VPTU/);
  assert.ok(number, 'the plan shows its register number');
  await notWider(lp, 'approved plan page', PHONE.viewport.width);
  await lp.screenshot({ path: path.join(OUT, `plans-show-phone-${tag}.png`), fullPage: true });

  // The print view carries the number and the playbooks.
  response = await goto(lp, base, `/plans/${id}/print`);
  await checkPage(lp, response, 'print view');
  text = await bodyText(lp);
  assert.ok(text.includes(number[0]), 'the print view shows the number');
  assert.match(text, /PHƯƠNG ÁN XỬ LÝ TÌNH HUỐNG/);
  assert.match(text, /Kiểm tra camera cổng phụ mỗi ca trực/);
  const printButton = lp.locator('button[data-print]');
  assert.equal(await printButton.isVisible(), js, 'the print button needs JavaScript');
  await notWider(lp, 'print view', PHONE.viewport.width);
  await lp.screenshot({ path: path.join(OUT, `plans-print-phone-${tag}.png`), fullPage: true });

  // The editor and the overview on a phone.
  response = await goto(lp, base, '/plans/peaks');
  await checkPage(lp, response, 'peaks on a phone');
  await lp.screenshot({ path: path.join(OUT, `plans-peaks-phone-${tag}.png`), fullPage: true });
  await leaderCtx.close();

  const deskCtx = await newContext(browser, { ...DESK, javaScriptEnabled: js });
  const dp = await deskCtx.newPage();
  await signIn(dp, base, 'canbo.antt');
  response = await goto(dp, base, `/plans/${id}`);
  await checkPage(dp, response, 'plan page on a desk');
  await dp.screenshot({ path: path.join(OUT, `plans-show-desk-${tag}.png`), fullPage: true });
  response = await goto(dp, base, `/plans/${id}/print`);
  await dp.screenshot({ path: path.join(OUT, `plans-print-desk-${tag}.png`), fullPage: true });

  // The plan's duty roster, made from the plan's page.
  response = await goto(dp, base, `/plans/${id}`);
  const block = dp.locator('[data-testid="plan-rosters"]');
  assert.match(await block.innerText(), /Chưa có lịch trực nào cho kế hoạch này/);
  response = await submit(dp, block.getByRole('link', { name: 'Lập lịch trực cho kế hoạch này' }));
  await checkPage(dp, response, 'new roster for the plan');
  assert.equal(new URL(dp.url()).pathname + new URL(dp.url()).search, `/rosters/new?plan=${id}`);
  assert.match(await dp.locator('[data-testid="for-plan"]').innerText(), /Lập cho kế hoạch: .*Tết Nguyên đán/);
  const title = await dp.getByLabel('Tên lịch trực').inputValue();
  assert.match(title, /^Lịch trực bảo đảm an ninh, trật tự.*Tết Nguyên đán/);
  const from = await dp.getByLabel('Từ ngày').inputValue();
  const to = await dp.getByLabel('Đến ngày').inputValue();
  assert.match(from, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(to > from, `the period ${from} – ${to} comes from the plan`);
  assert.equal(await dp.locator('input[type="hidden"][name="plan"]').inputValue(), id);
  await dp.screenshot({ path: path.join(OUT, `roster-new-for-plan-desk-${tag}.png`), fullPage: true });
  response = await submit(dp, dp.getByRole('button', { name: 'Tạo lịch trực' }));
  await checkPage(dp, response, 'roster made for the plan');
  const rosterPath = new URL(dp.url()).pathname;
  assert.match(rosterPath, /^\/rosters\/\d+$/);
  const ofPlan = dp.locator('[data-testid="of-plan"]');
  assert.match(await ofPlan.innerText(), /^Thuộc kế hoạch: .*Tết Nguyên đán/);
  response = await submit(dp, ofPlan.getByRole('link'));
  await checkPage(dp, response, 'plan page with its roster');
  assert.equal(new URL(dp.url()).pathname, `/plans/${id}`);
  const listed = dp.locator('[data-testid="plan-rosters"] a', { hasText: title });
  assert.equal(await listed.getAttribute('href'), rosterPath);
  const row = await dp.locator('[data-testid="plan-rosters"] tbody tr').first().innerText();
  const vi = (iso) => iso.split('-').reverse().join('/');
  assert.ok(row.includes(`${vi(from)} – ${vi(to)}`), row);
  assert.match(row, /Dự thảo/);
  await deskCtx.close();
}

test('a plan from last year’s, submitted, approved and printed, with JavaScript on', async () => {
  await run(serverJs, true, 'js');
});

test('the same without JavaScript', async () => {
  await run(serverNoJs, false, 'nojs');
});

test('the editor fits a phone', async () => {
  const ctx = await newContext(browser, { ...PHONE, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signIn(page, serverNoJs.baseURL, 'canbo.antt');
  // A draft for the next 30/4 – 1/5 from its template.
  let response = await goto(page, serverNoJs.baseURL, '/plans/peaks');
  await checkPage(page, response, '/plans/peaks');
  const make = page.getByRole('button', { name: 'Lập từ mẫu' }).first();
  response = await submit(page, make);
  await checkPage(page, response, 'editor on a phone');
  await notWider(page, 'editor', PHONE.viewport.width);
  await page.screenshot({ path: path.join(OUT, 'plans-editor-phone.png'), fullPage: true });
  await ctx.close();
});
