'use strict';
// Searching people without typing diacritics, as a security officer would on a phone keyboard:
// "nguyen van duc" must find "Nguyễn Văn Đức" and "dang" must find the "Đặng" family.

const { test, before, after, describe } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./server');
const { launchBrowser, newContext, submit, goto, signIn, checkPage } = require('./helpers');

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

// The names in the result list: the links to each person's page.
async function resultNames(page) {
  const links = page.locator('main a[href^="/people/"]');
  const names = await links.allInnerTexts();
  return names.map((n) => n.trim()).filter((n) => n !== '');
}

// `exact` asks for that full name; `prefix` for any name that begins so.
const SEARCHES = [
  { query: 'nguyen van duc', expect: { exact: 'Nguyễn Văn Đức' }, want: '"Nguyễn Văn Đức"' },
  { query: 'dang', expect: { prefix: 'Đặng' }, want: 'a name starting with "Đặng"' },
];

function matcher({ exact, prefix }) {
  return (name) => (exact !== undefined ? name === exact : name.startsWith(prefix));
}

describe('people search with JavaScript off: the form is submitted', () => {
  let context;
  let page;
  before(async () => {
    context = await newContext(browser, { javaScriptEnabled: false });
    page = await context.newPage();
    await signIn(page, server.baseURL, 'canbo.antt');
  });
  after(async () => context?.close());

  for (const { query, expect, want } of SEARCHES) {
    test(`"${query}" finds ${want}`, async () => {
      await checkPage(page, await goto(page, server.baseURL, '/people'), '/people');
      const unfiltered = await resultNames(page);
      const box = page.locator('input[name="q"]');
      await box.fill(query);
      const response = await submit(page, page.locator('form:has(input[name="q"]) button[type="submit"]'));
      await checkPage(page, response, `/people?q=${query}`);
      assert.equal(new URL(page.url()).searchParams.get('q'), query, 'the search was not sent as ?q=');
      const names = await resultNames(page);
      assert.ok(names.some(matcher(expect)), `no ${want} among: ${JSON.stringify(names)}`);
      assert.notDeepEqual(names, unfiltered, 'the search did not narrow the list');
    });
  }
});

describe('people search with JavaScript on: the live box updates the results', () => {
  let context;
  let page;
  before(async () => {
    context = await newContext(browser);
    page = await context.newPage();
    await signIn(page, server.baseURL, 'canbo.antt');
  });
  after(async () => context?.close());

  for (const { query, expect, want } of SEARCHES) {
    test(`typing "${query}" shows ${want}`, async () => {
      await checkPage(page, await goto(page, server.baseURL, '/people'), '/people');
      const unfiltered = (await resultNames(page)).join('|');
      // A mark on the window survives only if the results change without a full page load.
      await page.evaluate(() => {
        window.__sameDocument = true;
      });
      const box = page.locator('input[name="q"]');
      // Results for a prefix of the query may already match; wait for the answer to the whole
      // query before looking at the list.
      const answered = page.waitForResponse(
        (r) => {
          const url = new URL(r.url());
          return url.pathname.startsWith('/people') && url.searchParams.get('q') === query;
        },
        { timeout: 10_000 },
      );
      await box.click();
      await box.pressSequentially(query, { delay: 20 });
      const answer = await answered.catch(() => assert.fail(`typing "${query}" sent no search request`));
      assert.ok(answer.status() < 400, `the live search answered ${answer.status()}`);
      await page.waitForFunction(
        ({ exact, prefix, unfiltered }) => {
          // Runs in the page, so it repeats `matcher` rather than sharing it. The list must have
          // changed too: the unfiltered first page may already hold a matching name.
          const names = Array.from(document.querySelectorAll('main a[href^="/people/"]'))
            .map((a) => a.innerText.trim())
            .filter((n) => n !== '');
          return names.join('|') !== unfiltered && names.some((name) => (exact !== undefined ? name === exact : name.startsWith(prefix)));
        },
        { ...expect, unfiltered },
        { timeout: 10_000 },
      ).catch(async () => {
        assert.fail(`no ${want} appeared while typing; the list shows ${JSON.stringify(await resultNames(page))}`);
      });
      assert.equal(await page.evaluate(() => window.__sameDocument === true), true, 'the page was reloaded instead of updated in place');
      assert.equal(await box.inputValue(), query, 'the search box lost what was typed');
    });
  }
});
