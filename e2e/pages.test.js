'use strict';
// Every page of the application works without JavaScript: it loads, says what it is in an <h1>,
// speaks Vietnamese, and every form that changes something carries the CSRF token. Walked by
// the system administrator (second factor) and by a school's administrator, whose view is
// limited to the school.

const { test, before, after, describe } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./server');
const { launchBrowser, newContext, goto, signIn, checkPage } = require('./helpers');

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

const LIST_PAGES = ['/', '/units', '/people', '/partners', '/accounts', '/audit', '/profile'];

// Detail pages are reached the way a person reaches them: through the first link on the list
// whose last segment looks like an identifier (it has a digit and no dot), which passes over
// links such as /people/new or /people/export.xlsx.
const detail = (section) => new RegExp(`^/${section}/(?=[^/?#]*\\d)[0-9A-Za-z_-]+$`);
const DETAIL_PAGES = [
  { list: '/units', pattern: detail('units') },
  { list: '/people', pattern: detail('people') },
  { list: '/partners', pattern: detail('partners') },
  { list: '/accounts', pattern: detail('accounts') },
];

async function firstDetailLink(page, list, pattern) {
  await goto(page, server.baseURL, list);
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  return hrefs.find((href) => pattern.test(href));
}

for (const username of ['quantri', 'quantri.truong']) {
  describe(`pages without JavaScript, signed in as ${username}`, () => {
    let context;
    let page;
    before(async () => {
      context = await newContext(browser, { javaScriptEnabled: false });
      page = await context.newPage();
      await signIn(page, server.baseURL, username);
    });
    after(async () => context?.close());

    for (const path of LIST_PAGES) {
      test(path, async () => {
        const response = await goto(page, server.baseURL, path);
        assert.equal(new URL(page.url()).pathname, path, `${path} redirected to ${page.url()}`);
        await checkPage(page, response, path);
      });
    }

    for (const { list, pattern } of DETAIL_PAGES) {
      const label = `${list}/{id}`;
      test(label, async () => {
        const href = await firstDetailLink(page, list, pattern);
        assert.ok(href, `${list} links to no detail page`);
        const response = await goto(page, server.baseURL, href);
        await checkPage(page, response, href);
      });
    }
  });
}
