'use strict';
// Movement models and news in the browser, with JavaScript off as on a locked-down office
// machine: the security officer registers a model, records an activity with its evidence and
// publishes an article; a member of staff finds it on the home page's notice board; the
// overseer sees the province page. Phone-sized screenshots go to e2e/screenshots/.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('./server');
const { launchBrowser, newContext, goto, signIn, submit, checkPage, bodyText } = require('./helpers');

const OUT = path.join(__dirname, 'screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let server;
let browser;

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function phoneShot(page, name) {
  await page.screenshot({ path: path.join(OUT, `${name}-phone.png`), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.viewport.width, `${name} is ${width}px wide on a ${PHONE.viewport.width}px screen`);
}

test('a model and an article, created with JavaScript off, reach the notice board', async () => {
  const context = await newContext(browser, { ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, server.baseURL, 'canbo.antt');

  // The Office's models: the demo's are there and the check holds.
  let response = await goto(page, server.baseURL, '/models');
  await checkPage(page, response, '/models');
  assert.match(await bodyText(page), /Tổ tự quản về an ninh, trật tự/);
  assert.match(await page.locator('[data-testid="org-check"]').innerText(), /Đạt/);

  // Register a model.
  await page.getByRole('link', { name: 'Thêm mô hình' }).click();
  await page.getByLabel('Tên mô hình').fill('Tổ kiểm tra an toàn điện khu nhà B');
  await page.getByLabel('Mô tả').fill('Kiểm tra ổ cắm, dây dẫn và cầu dao hằng tháng.');
  await page.getByLabel('Ngày thành lập').fill('2025-03-01');
  response = await submit(page, page.getByRole('button', { name: 'Lưu' }));
  await checkPage(page, response, 'new model');
  assert.match(await bodyText(page), /Đã lưu mô hình/);

  // Record an activity with a PDF as evidence.
  await page.getByLabel('Nội dung hoạt động').fill('Kiểm tra cầu dao tầng 2');
  await page.getByLabel('Tệp minh chứng (ảnh, PDF)').setInputFiles({ name: 'bien-ban.pdf', mimeType: 'application/pdf', buffer: PDF });
  response = await submit(page, page.getByRole('button', { name: 'Ghi nhận hoạt động' }));
  await checkPage(page, response, 'activity');
  assert.match(await bodyText(page), /Đã ghi nhận hoạt động/);
  assert.equal(await page.getByRole('link', { name: 'bien-ban.pdf' }).count(), 1);
  assert.match(await page.locator('[data-testid="standing"]').innerText(), /Hoạt động hiệu quả/);
  await phoneShot(page, 'model');

  // Publish an article.
  await goto(page, server.baseURL, '/news/new');
  await page.getByLabel('Tiêu đề').fill('Kiểm tra an toàn điện khu nhà B');
  await page.getByLabel('Nội dung').fill('## Kết quả\n\nTổ kiểm tra đã rà soát toàn bộ cầu dao tầng 2.\n\nĐề nghị các phòng tắt thiết bị khi ra về.');
  await page.getByLabel('Ngày đăng').fill('');
  response = await submit(page, page.getByRole('button', { name: 'Đăng bài' }));
  await checkPage(page, response, 'article');
  assert.match(await bodyText(page), /Đã lưu bài viết/);
  assert.equal(await page.locator('article h3', { hasText: 'Kết quả' }).count(), 1);
  await phoneShot(page, 'article');
  await context.close();

  // A member of staff sees it on the home page's notice board.
  const staff = await newContext(browser, { ...PHONE, javaScriptEnabled: false });
  const sp = await staff.newPage();
  await signIn(sp, server.baseURL, 'nhanvien');
  response = await goto(sp, server.baseURL, '/');
  await checkPage(sp, response, 'home');
  const board = sp.locator('[data-testid="notice-board"]');
  assert.match(await board.innerText(), /Kiểm tra an toàn điện khu nhà B/);
  // Not the article scheduled for next week.
  assert.doesNotMatch(await board.innerText(), /Lịch trực bảo vệ cơ quan/);
  await phoneShot(sp, 'home-board');
  await board.getByRole('link', { name: 'Kiểm tra an toàn điện khu nhà B' }).click();
  assert.match(await sp.locator('[data-testid="reads"]').innerText(), /2 lượt đọc/);
  await staff.close();
});

test('the overseer sees every organisation side by side', async () => {
  const context = await newContext(browser, PHONE);
  const page = await context.newPage();
  await signIn(page, server.baseURL, 'congan.tinh');
  const response = await goto(page, server.baseURL, '/models/province');
  await checkPage(page, response, '/models/province');
  const table = page.locator('[data-testid="province-models"]');
  assert.equal(await table.locator('tbody tr').count(), 5);
  assert.match(await table.innerText(), /Lê Quý Đôn[\s\S]*Chưa đạt/);
  assert.equal((await page.locator('[data-testid="holding"]').innerText()).trim(), '4 / 5');
  await phoneShot(page, 'models-province');
  await context.close();
});

test('with JavaScript on, the editor shows its toolbar', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await signIn(page, server.baseURL, 'canbo.antt');
  await goto(page, server.baseURL, '/news/new');
  const bar = page.locator('.toolbar[data-for="body"]');
  await bar.waitFor({ state: 'visible' });
  await page.getByLabel('Nội dung').fill('chữ');
  await page.getByLabel('Nội dung').selectText();
  await bar.getByRole('button', { name: 'Đậm' }).click();
  assert.equal(await page.getByLabel('Nội dung').inputValue(), '<strong>chữ</strong>');
  await context.close();
});
