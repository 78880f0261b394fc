'use strict';
// Starts one `antoan serve --demo` for a test file and stops it afterwards.
//
// Each test file gets its own server with a fresh data directory, so files cannot disturb each
// other: a second-factor code used in one file is not "already used" in another, and a language
// switch or a failed sign-in stays where it happened. Starting the server with the demo data
// takes about a second.
//
// Environment:
//   ANTOAN_BIN        the server binary (default: target/debug/antoan under the repository root)
//   E2E_DATABASE_URL  a PostgreSQL server URL; when set, each run gets its own new database
//                     there (created and dropped with psql) instead of SQLite

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');

function binaryPath() {
  const configured = process.env.ANTOAN_BIN || 'target/debug/antoan';
  return path.isAbsolute(configured) ? configured : path.join(REPO_ROOT, configured);
}

// Asks the kernel for a port nobody listens on. The port is released before the server binds it;
// on a test machine nothing else races for loopback ports in that instant.
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Creates a database with a unique name on the PostgreSQL server named by `baseUrl` and returns
// its URL, so every run starts from an empty database and the demo data loads.
function createPostgresDatabase(baseUrl) {
  const name = `antoan_e2e_${process.pid}_${Date.now()}`;
  execFileSync('psql', [baseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

function dropPostgresDatabase(baseUrl, name) {
  try {
    execFileSync('psql', [baseUrl, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' });
  } catch (err) {
    process.stderr.write(`could not drop test database ${name}: ${err.message}\n`);
  }
}

/**
 * Starts the server and resolves once /readyz answers 200.
 * Returns { baseURL, stop(), log() }.
 */
async function startServer() {
  const bin = binaryPath();
  if (!fs.existsSync(bin)) {
    throw new Error(`server binary not found at ${bin}: run "cargo build -p antoan" or set ANTOAN_BIN`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'antoan-e2e-'));
  const port = await freePort();
  const args = ['serve', '--demo', '--data-dir', dataDir, '--bind', `127.0.0.1:${port}`];

  const pgBase = process.env.E2E_DATABASE_URL;
  let pgDb = null;
  if (pgBase) {
    pgDb = createPostgresDatabase(pgBase);
    args.push('--database', pgDb.url);
  }

  const logPath = path.join(dataDir, 'server.log');
  const logFd = fs.openSync(logPath, 'a');
  // The test process's own configuration must not leak into the server under test.
  const env = { ...process.env, NO_COLOR: '1' };
  for (const key of ['ANTOAN_DATA_DIR', 'ANTOAN_DATABASE_URL', 'ANTOAN_CONFIG', 'ANTOAN_BIND']) delete env[key];
  const child = spawn(bin, args, { cwd: dataDir, env, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);

  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const log = () => {
    try {
      return fs.readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };

  const cleanUp = () => {
    if (pgDb) dropPostgresDatabase(pgBase, pgDb.name);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const baseURL = `http://127.0.0.1:${port}`;
  // A debug build with migrations and demo data is ready in about a second; a loaded CI machine
  // gets far more room before the run is declared broken.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const output = log();
      cleanUp();
      throw new Error(`server exited early (${JSON.stringify(exited)}):\n${output}`);
    }
    try {
      const res = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      const output = log();
      cleanUp();
      throw new Error(`server did not become ready within 60 s:\n${output}`);
    }
    await sleep(100);
  }

  async function stop() {
    // A failing page usually left its cause in the server's log; show errors and panics with
    // the test output instead of deleting them with the data directory.
    const problems = log()
      .split('\n')
      .map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''))
      .filter((line) => /\bERROR\b|panicked/.test(line));
    if (problems.length > 0) {
      process.stderr.write(`server log, errors and panics:\n${problems.join('\n')}\n`);
    }
    if (!exited) {
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    }
    cleanUp();
  }

  return { baseURL, stop, log };
}

module.exports = { startServer, REPO_ROOT };
