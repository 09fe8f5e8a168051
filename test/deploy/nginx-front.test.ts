/**
 * The shipped nginx site (deploy/server/nginx-debmonitor.conf) run by Debian's nginx in front of a
 * started server, with certificates made here: `nginx -t` accepts it, an agent's report goes through it
 * and lands, the certificate headers come from the TLS session and not from the client, and the cron
 * line of deploy/agent/debmonitor.cron runs as written against it. Only the addresses and file paths
 * of the site are changed (each replacement is checked), and nginx gets a main configuration, pid
 * file, logs and temporary folders in the test's folder.
 */
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AGENT_ENTRY, runAgentProcess } from '../agent/helpers/run-agent-process.ts';
import { createTlsMaterial } from '../agent/helpers/tls-material.ts';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.ts';
import { freePort } from '../helpers/slapd.ts';

const ROOT = resolve(import.meta.dir, '../..');
const SITE = readFileSync(join(ROOT, 'deploy/server/nginx-debmonitor.conf'), 'utf8');
const CRON = readFileSync(join(ROOT, 'deploy/agent/debmonitor.cron'), 'utf8');
const HOST = 'host1.example.org';

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-nginx-'));
// nginx's workers run as an unprivileged user: they must reach the temporary folders below.
chmodSync(dir, 0o755);
const tls = createTlsMaterial(join(dir, 'tls'), HOST);
const other = createTlsMaterial(join(dir, 'tls-other'), 'intruder.example.org');
const databasePath = join(dir, 'debmonitor.sqlite');
const nginxConf = join(dir, 'nginx.conf');
const nginxGlobals = `pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'nginx-error.log')} notice;`;
let server: ServerProcess;
let nginx: ReturnType<typeof Bun.spawn> | undefined;
let httpsPort = 0;
let httpPort = 0;

/** Replaces `from` (which must occur exactly `count` times) by `to`. */
function replaceChecked(text: string, from: string, to: string, count = 1): string {
  expect({ from, count: text.split(from).length - 1 }).toEqual({ from, count });
  return text.split(from).join(to);
}

/** The shipped site with this test's ports and files; IPv6 listeners are dropped (CI may lack IPv6). */
function testSite(serverPort: number): string {
  let site = SITE;
  site = replaceChecked(site, 'listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`);
  site = replaceChecked(site, 'listen [::]:443 ssl http2;', '');
  site = replaceChecked(site, 'listen 80;', `listen 127.0.0.1:${httpPort};`);
  site = replaceChecked(site, 'listen [::]:80;', '');
  site = replaceChecked(site, '/etc/ssl/debmonitor/server.crt', join(dir, 'tls/server.pem'));
  site = replaceChecked(site, '/etc/ssl/debmonitor/server.key', join(dir, 'tls/server.key'));
  site = replaceChecked(site, '/etc/ssl/debmonitor/hosts-ca.pem', tls.caPath);
  site = replaceChecked(
    site,
    'proxy_pass http://127.0.0.1:8080;',
    `proxy_pass http://127.0.0.1:${serverPort};`,
  );
  return site;
}

/** Runs nginx with this test's main configuration and global directives. */
function nginxArgs(...extra: string[]): string[] {
  return ['nginx', '-e', join(dir, 'nginx-error.log'), '-c', nginxConf, '-g', nginxGlobals, ...extra];
}

beforeAll(async () => {
  const config = JSON.parse(readFileSync(join(ROOT, 'deploy/config.example.json'), 'utf8'));
  config.DATABASE_URL = `sqlite:${databasePath}`;
  config.AGENTS_DIR = join(dir, 'agents');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  server = await startServerProcess({ cwd: dir, args: ['--config', join(dir, 'config.json')] });
  [httpsPort, httpPort] = [await freePort(), await freePort()];
  const temp = join(dir, 'nginx-temp');
  mkdirSync(temp, { mode: 0o777 });
  chmodSync(temp, 0o777);
  writeFileSync(join(dir, 'site.conf'), testSite(Number(new URL(server.url).port)));
  writeFileSync(
    join(dir, 'temp-paths.conf'),
    ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((kind) => `${kind}_temp_path ${join(temp, kind)};\n`)
      .join(''),
  );
  writeFileSync(
    nginxConf,
    [
      'events { worker_connections 64; }',
      'http {',
      `  access_log ${join(dir, 'nginx-access.log')};`,
      `  include ${join(dir, 'temp-paths.conf')};`,
      `  include ${join(dir, 'site.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'debmonitor.conf'),
    [
      '[DEFAULT]',
      'server=127.0.0.1',
      `port=${httpsPort}`,
      `cert=${tls.clientCertPath}`,
      `key=${tls.clientKeyPath}`,
      `ca=${tls.caPath}`,
      `hostname=${HOST}`,
      `spool_dir=${join(dir, 'spool')}`,
      // A failure shows in seconds, not after minutes of retries.
      'retry_backoff=1',
      '',
    ].join('\n'),
  );
  nginx = Bun.spawn(nginxArgs('-g', 'daemon off;'), { stdout: 'ignore', stderr: 'pipe' });
});

afterAll(async () => {
  nginx?.kill('SIGQUIT');
  await nginx?.exited;
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** curl through nginx's TLS port, with the test CA; returns the status and the body. */
function curl(path: string, args: string[] = []): { status: number; body: string } {
  const run = Bun.spawnSync(
    [
      'curl',
      '-sS',
      '--cacert',
      tls.caPath,
      '-o',
      '-',
      '-w',
      '\n%{http_code}',
      ...args,
      `https://127.0.0.1:${httpsPort}${path}`,
    ],
    { stderr: 'pipe' },
  );
  const text = run.stdout.toString();
  const cut = text.lastIndexOf('\n');
  return { status: Number(text.slice(cut + 1)), body: text.slice(0, cut) };
}

/** Host reports nginx passed on and the server accepted (201), from nginx's access log. */
function acceptedReports(): number {
  const log = readFileSync(join(dir, 'nginx-access.log'), 'utf8');
  return log.split(`"POST /hosts/${HOST}/update HTTP/1.1" 201 `).length - 1;
}

describe("Debian's nginx with the shipped site", () => {
  test('nginx -t accepts it', () => {
    const run = Bun.spawnSync(nginxArgs('-t'), { stderr: 'pipe' });
    const output = run.stderr.toString();
    expect({ exitCode: run.exitCode, output }).toEqual({ exitCode: 0, output: expect.any(String) });
    expect(output).toContain('test is successful');
  });

  test("nginx -t accepts it inside Debian's own /etc/nginx/nginx.conf, where the package includes sites", () => {
    // Debian's main configuration, with its files outside the test's folder moved into it.
    let debian = readFileSync('/etc/nginx/nginx.conf', 'utf8');
    debian = replaceChecked(debian, 'pid /run/nginx.pid;', '');
    debian = replaceChecked(debian, 'error_log /var/log/nginx/error.log;', '');
    debian = replaceChecked(
      debian,
      'access_log /var/log/nginx/access.log;',
      `access_log ${join(dir, 'nginx-access.log')};`,
    );
    debian = replaceChecked(
      debian,
      'include /etc/nginx/sites-enabled/*;',
      `include ${join(dir, 'debian-temp-paths.conf')}; include ${join(dir, 'site.conf')};`,
    );
    // Folders of their own: nginx -t makes them for Debian's worker user (www-data), which is not the
    // user of the nginx that the other tests run.
    writeFileSync(
      join(dir, 'debian-temp-paths.conf'),
      readFileSync(join(dir, 'temp-paths.conf'), 'utf8').replaceAll('/nginx-temp/', '/nginx-temp-debian/'),
    );
    mkdirSync(join(dir, 'nginx-temp-debian'), { mode: 0o777 });
    chmodSync(join(dir, 'nginx-temp-debian'), 0o777);
    const conf = join(dir, 'debian-nginx.conf');
    writeFileSync(conf, debian);
    const run = Bun.spawnSync(
      ['nginx', '-e', join(dir, 'nginx-error.log'), '-c', conf, '-g', nginxGlobals, '-t'],
      {
        stderr: 'pipe',
      },
    );
    expect({ exitCode: run.exitCode, output: run.stderr.toString() }).toEqual({
      exitCode: 0,
      output: expect.stringContaining('test is successful'),
    });
  });

  test('starts on the test ports and passes requests to the server', async () => {
    const deadline = Date.now() + 10_000;
    let answer = curl('/healthz');
    while (answer.status !== 200 && Date.now() < deadline) {
      await Bun.sleep(100);
      answer = curl('/healthz');
    }
    expect(answer).toEqual({ status: 200, body: 'OK' });
  });

  test("an agent's full report goes through nginx and lands", async () => {
    const run = await runAgentProcess(['--config', join(dir, 'debmonitor.conf')]);
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({
      exitCode: 0,
      stderr: expect.stringContaining('INFO:debmonitor:Successfully sent the full update'),
    });
    const database = new Database(databasePath, { readonly: true });
    try {
      const row = database
        .query<{ packages: number }, [string]>(
          'SELECT COUNT(*) AS packages FROM host_packages JOIN hosts ON hosts.id = host_packages.host_id WHERE hosts.name = ?',
        )
        .get(HOST);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
      const installed = Bun.spawnSync(['dpkg-query', '-W', '-f', '${db:Status-Status}\n'])
        .stdout.toString()
        .split('\n')
        .filter((status) => status === 'installed').length;
      expect(row?.packages).toBe(installed);
    } finally {
      database.close();
    }
    expect(acceptedReports()).toBe(1);
  }, 120_000);

  test("the agent's --check sees /auth-check pass through nginx", async () => {
    const run = await runAgentProcess(['--config', join(dir, 'debmonitor.conf'), '--check']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`CN=${HOST}`);
  }, 60_000);

  test('a request without a certificate is refused with the verification nginx saw', () => {
    expect(curl(`/hosts/${HOST}/update`, ['-X', 'POST', '--data', '{}'])).toEqual({
      status: 403,
      body: "Client certificate validation failed: 'NONE'",
    });
  });

  test("the client's own certificate headers are replaced by nginx's", () => {
    const forged = curl(`/hosts/${HOST}/update`, [
      '-X',
      'POST',
      '--data',
      '{}',
      '-H',
      'X-Client-Cert-Verify: SUCCESS',
      '-H',
      `X-Client-Cert-Subject-DN: CN=${HOST}`,
    ]);
    expect(forged).toEqual({ status: 403, body: "Client certificate validation failed: 'NONE'" });
  });

  test('nginx itself refuses a certificate of another CA (400), as ssl_verify_client optional does', () => {
    const answer = curl(`/hosts/${HOST}/update`, [
      '-X',
      'POST',
      '--data',
      '{}',
      '--cert',
      other.clientCertPath,
      '--key',
      other.clientKeyPath,
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('The SSL certificate error');
    expect(answer.body).toContain('nginx');
  });

  test("a verified certificate may not write another host's record", () => {
    const answer = curl('/hosts/other.example.org/update', [
      '-X',
      'POST',
      '--data',
      '{"hostname":"other.example.org"}',
      '--cert',
      tls.clientCertPath,
      '--key',
      tls.clientKeyPath,
    ]);
    expect(answer).toEqual({
      status: 403,
      body: `Unauthorized to modify host 'other.example.org' with certificate 'CN=${HOST}'`,
    });
  });

  test('plain HTTP is redirected to HTTPS', () => {
    const run = Bun.spawnSync([
      'curl',
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{redirect_url}',
      `http://127.0.0.1:${httpPort}/hosts/`,
    ]);
    expect(run.stdout.toString()).toBe('301 https://127.0.0.1/hosts/');
  });
});

describe('the cron line, run as written', () => {
  /** The command of the cron line: what follows the five time fields and the user. */
  const line = CRON.split('\n').find((text) => text && !text.startsWith('#')) ?? '';
  const command = /^(?:\S+\s+){5}root\s+(.*)$/.exec(line)?.[1] ?? '';

  test('sleeps a random 0 to 21600 s, then sends a full report whose log lines reach logger', async () => {
    expect(command).toContain('/usr/local/bin/debmonitor --update');
    // The binary stands in at a temporary path (tests never write /usr/local/bin): a script that runs
    // the agent from source with this test's configuration.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const agent = join(bin, 'debmonitor');
    writeFileSync(
      agent,
      `#!/bin/sh\nexec ${process.execPath} ${AGENT_ENTRY} --config ${join(dir, 'debmonitor.conf')} "$@"\n`,
      { mode: 0o755 },
    );
    // sleep records its argument instead of waiting hours; logger records what it is given, then runs
    // the real logger with the same arguments and input.
    const stubs = join(dir, 'stubs');
    mkdirSync(stubs);
    writeFileSync(join(stubs, 'sleep'), `#!/bin/sh\necho "$@" > ${join(dir, 'slept')}\n`, { mode: 0o755 });
    writeFileSync(
      join(stubs, 'logger'),
      `#!/bin/sh\necho "$@" > ${join(dir, 'logger-args')}\ntee ${join(dir, 'logged')} | /usr/bin/logger "$@"\n`,
      { mode: 0o755 },
    );
    const reportsBefore = acceptedReports();
    const run = Bun.spawnSync(
      ['/bin/sh', '-c', replaceChecked(command, '/usr/local/bin/debmonitor', agent)],
      { env: { ...process.env, PATH: `${stubs}:${process.env.PATH}` }, stderr: 'pipe', stdout: 'pipe' },
    );
    expect({ exitCode: run.exitCode, stdout: run.stdout.toString(), stderr: run.stderr.toString() }).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    const slept = Number(readFileSync(join(dir, 'slept'), 'utf8').trim());
    expect(slept).toBeGreaterThanOrEqual(0);
    expect(slept).toBeLessThanOrEqual(21600);
    expect(readFileSync(join(dir, 'logger-args'), 'utf8')).toBe('-t debmonitor\n');
    expect(readFileSync(join(dir, 'logged'), 'utf8')).toContain(
      'INFO:debmonitor:Successfully sent the full update',
    );
    expect(acceptedReports()).toBe(reportsBefore + 1);
  }, 120_000);
});
