'use strict';
// The duty-roster editor in the browser. With JavaScript off, the officer creates a roster,
// adds the Office's people, has a proposal made, puts someone on a day shift straight after
// their night and saves the row: the page comes back naming the broken rest rule under that
// row. With JavaScript on, changing a cell checks it at once and lists the broken rule without
// saving. Screenshots at desk and phone width go to e2e/screenshots/.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('./server');
const { launchBrowser, newContext, goto, signIn, submit, checkPage, bodyText } = require('./helpers');

const OUT = path.join(__dirname, 'screenshots');
const DESK = { viewport: { width: 1366, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let server;
let browser;
let rosterPath;

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A person with a night followed by a free day, in the grid as shown: the select of that free
// day and the value of the day shift.
async function nightThenFree(page) {
  return page.evaluate(() => {
    const options = [...document.querySelectorAll('select[data-person] option')];
    const night = options.find((o) => o.textContent === 'Đ').value;
    const day = options.find((o) => o.textContent === 'N').value;
    for (const row of document.querySelectorAll('table.roster-grid tbody tr[id^="p"]')) {
      const cells = [...row.querySelectorAll('td.cell')];
      for (let i = 0; i + 1 < cells.length; i++) {
        const a = cells[i].querySelector('select');
        const b = cells[i + 1].querySelector('select');
        if (a && b && a.value === night && b.value === '') {
          return { person: b.dataset.person, date: b.dataset.day, day };
        }
      }
    }
    return null;
  });
}

test('with JavaScript off, a row saved with a broken rest rule comes back explained', async () => {
  const context = await newContext(browser, { ...DESK, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, server.baseURL, 'canbo.antt');
  let response = await goto(page, server.baseURL, '/rosters');
  await checkPage(page, response, '/rosters');
  assert.match(await bodyText(page), /Tết Nguyên đán/);

  await page.getByRole('link', { name: 'Lập lịch trực mới' }).click();
  await page.getByLabel('Tên lịch trực').fill('Lịch trực dịp Quốc khánh 2/9');
  await page.getByLabel('Từ ngày').fill('2027-08-28');
  await page.getByLabel('Đến ngày').fill('2027-09-05');
  response = await submit(page, page.getByRole('button', { name: 'Tạo lịch trực' }));
  await checkPage(page, response, 'new roster');
  rosterPath = new URL(page.url()).pathname;

  await page.getByLabel('Thêm người của đơn vị').selectOption({ label: 'Văn phòng Tỉnh ủy Sơn Hà' });
  response = await submit(page, page.getByRole('button', { name: 'Thêm người' }));
  await checkPage(page, response, 'members added');
  response = await submit(page, page.getByRole('button', { name: 'Xếp lịch tự động' }));
  await checkPage(page, response, 'solved');
  assert.match(await page.locator('[data-testid="verdict"]').innerText(), /Không vi phạm quy tắc nào/);

  const target = await nightThenFree(page);
  assert.ok(target, 'a night followed by a free day');
  await page.locator(`select[data-person="${target.person}"][data-day="${target.date}"]`).selectOption(target.day);
  response = await submit(page, page.locator(`form#row${target.person} button`));
  await checkPage(page, response, 'row saved');
  const messages = page.locator(`#m${target.person}`);
  assert.ok(await messages.isVisible(), 'the row messages show');
  assert.match(await messages.innerText(), /không đủ thời gian nghỉ/);
  assert.equal(await page.locator(`select[data-person="${target.person}"][data-day="${target.date}"]`).inputValue(), target.day);
  await page.screenshot({ path: path.join(OUT, 'roster-editor-nojs-desk.png') });

  // Put it back so the roster can be published.
  await page.locator(`select[data-person="${target.person}"][data-day="${target.date}"]`).selectOption('');
  response = await submit(page, page.locator(`form#row${target.person} button`));
  assert.match(await page.locator(`#m${target.person}`).innerText(), /không vi phạm quy tắc nào/);
  await context.close();
});

test('with JavaScript on, changing a cell lists the broken rule at once and saves nothing', async () => {
  const context = await newContext(browser, DESK);
  const page = await context.newPage();
  await signIn(page, server.baseURL, 'canbo.antt');
  await goto(page, server.baseURL, rosterPath);
  const target = await nightThenFree(page);
  assert.ok(target);
  const select = page.locator(`select[data-person="${target.person}"][data-day="${target.date}"]`);
  await select.selectOption(target.day);
  const messages = page.locator(`#m${target.person}`);
  await messages.waitFor({ state: 'visible' });
  assert.match(await messages.innerText(), /không đủ thời gian nghỉ/);
  assert.match((await select.getAttribute('class')) || '', /bad/);
  await page.screenshot({ path: path.join(OUT, 'roster-editor-js-desk.png') });
  // Nothing was saved: a fresh load shows the cell empty.
  await goto(page, server.baseURL, rosterPath);
  assert.equal(await page.locator(`select[data-person="${target.person}"][data-day="${target.date}"]`).inputValue(), '');
  await context.close();
});

test('the roster and my duties at phone width', async () => {
  const context = await newContext(browser, PHONE);
  const page = await context.newPage();
  await signIn(page, server.baseURL, 'canbo.antt');
  let response = await goto(page, server.baseURL, rosterPath);
  await checkPage(page, response, rosterPath);
  await page.screenshot({ path: path.join(OUT, 'roster-phone.png') });
  let width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.viewport.width, `roster page is ${width}px wide`);
  response = await goto(page, server.baseURL, '/my/duties');
  await checkPage(page, response, '/my/duties');
  await page.screenshot({ path: path.join(OUT, 'my-duties-phone.png'), fullPage: true });
  width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.viewport.width, `my duties page is ${width}px wide`);
  await context.close();
});
