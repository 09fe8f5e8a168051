/**
 * The README's Quickstart, done as a new user would, on a fresh clone of this repository's HEAD:
 * `git clone`, `npm start`, sign in with the printed password, open /agent/, press "Create the
 * command", run the command it shows as root, and find this host's packages on its page (real HTTP
 * throughout, the agent compiled from the clone's source by the server and downloaded from /client).
 *
 * Where it departs from the README, and why:
 * - `npm ci` is not run (no network in tests): the clone's node_modules is a symlink to this
 *   checkout's, and its time is not in the figures. DEBMONITOR_QUICKSTART_NPM_CI=1 runs the real
 *   `npm ci` instead, from the npm registry with an empty cache (as on a fresh machine), and times it.
 * - `npm start -- --port 0`: any free port (the TLS port follows), so parallel runs do not collide.
 * - The command runs in a scratch folder with `--config <scratch>/debmonitor.conf` added to each
 *   `./debmonitor` (the file names cert=, key=, ca= and spool_dir= under the scratch folder), so the
 *   test writes nothing under /etc or /var; the README's user gets /etc/debmonitor.conf.
 * The time each step took is printed and is a measurement, not an assertion (bench/RESULTS.md).
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCookieJar } from '../helpers/cookie-jar.ts';
import { decodeEntities } from '../helpers/html.ts';
import { getPage, postForm, readCsrfField } from '../helpers/sign-in.ts';

const REPOSITORY = resolve(import.meta.dir, '../..');
const work = mkdtempSync(join(tmpdir(), 'debmonitor-quickstart-'));
const clone = join(work, 'debmonitor');
const host = join(work, 'host');
let server: ReturnType<typeof Bun.spawn> | undefined;

afterAll(async () => {
  if (server) {
    server.kill('SIGTERM');
    await server.exited;
  }
  rmSync(work, { recursive: true, force: true });
});

/** The environment a fresh shell would have: none of this test run's DEBMONITOR_* settings. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('DEBMONITOR_') && value !== undefined) env[key] = value;
  }
  return env;
}

/** Runs a shell command line to its end; returns its output and how long it took. */
async function sh(command: string, cwd: string): Promise<{ code: number; output: string; seconds: number }> {
  const started = performance.now();
  const child = Bun.spawn(['sh', '-c', command], {
    cwd,
    env: cleanEnv(),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, output: `${stdout}${stderr}`, seconds: (performance.now() - started) / 1000 };
}

/** The installed packages as dpkg lists them (`ii` lines), by name without architecture. */
async function installedPackages(): Promise<string[]> {
  const run = await sh(`dpkg-query -W -f '\${db:Status-Abbrev} \${Package}\\n'`, work);
  return run.output
    .split('\n')
    .filter((line) => line.startsWith('ii '))
    .map((line) => line.slice(line.lastIndexOf(' ') + 1));
}

test("the README's Quickstart gives the commands this test follows", async () => {
  const readme = await Bun.file(join(REPOSITORY, 'README.md')).text();
  const section = readme.split('\n## Quickstart\n')[1]?.split('\n## ')[0] ?? '';
  const firstBlock = /```sh\n([^`]*)```/.exec(section)?.[1];
  expect(firstBlock).toBe('git clone <this repository> debmonitor && cd debmonitor\nnpm ci\nnpm start\n');
  expect(section).toContain('open http://127.0.0.1:8080/agent/ for the command');
  expect(section).toContain('**Create the command**');
});

test('from git clone to this host on its page, by the README', async () => {
  const times: [string, number][] = [];
  const revision = (await sh('git rev-parse HEAD', REPOSITORY)).output.trim();

  // 1. git clone (of this checkout's HEAD) && cd debmonitor
  const cloned = await sh(
    `git clone --quiet '${REPOSITORY}' debmonitor && cd debmonitor && git checkout --quiet ${revision}`,
    work,
  );
  expect(cloned).toMatchObject({ code: 0 });
  times.push(['git clone', cloned.seconds]);

  // 2. npm ci — stood in for by a symlink unless asked for (see above).
  const realNpmCi = process.env.DEBMONITOR_QUICKSTART_NPM_CI === '1';
  if (realNpmCi) {
    const installed = await sh(`npm ci --no-audit --no-fund --cache '${join(work, 'npm-cache')}'`, clone);
    expect(installed).toMatchObject({ code: 0 });
    times.push(['npm ci (empty npm cache)', installed.seconds]);
  } else {
    symlinkSync(realpathSync(join(REPOSITORY, 'node_modules')), join(clone, 'node_modules'));
  }

  // 3. npm start: wait for the line that says where to go.
  const started = performance.now();
  const npmStart = Bun.spawn(['npm', 'start', '--', '--port', '0'], {
    cwd: clone,
    env: cleanEnv(),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  server = npmStart;
  let log = '';
  const agentPageUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready:\n${log}`)), 60_000);
    void (async () => {
      for await (const chunk of npmStart.stderr as unknown as AsyncIterable<Uint8Array>) {
        log += new TextDecoder().decode(chunk);
        const match = /open (http:\S+\/agent\/) for the command/.exec(log);
        if (match?.[1]) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      }
    })();
  });
  times.push(['npm start (until it says where to go)', (performance.now() - started) / 1000]);
  const password = /the superuser 'admin' with the password (\S+)/.exec(log)?.[1] ?? '';
  expect(password).not.toBe('');
  const base = new URL(agentPageUrl).origin;
  const request = (path: string, init?: RequestInit) =>
    fetch(new URL(path, base), { redirect: 'manual', ...init });

  // 4. In the browser: sign in as admin, open /agent/, press the button.
  const jar = createCookieJar();
  const loginForm = await getPage(request, jar, '/login/');
  const signedIn = await postForm(request, jar, '/login/', {
    csrf_token: readCsrfField(await loginForm.text(), '/login/'),
    username: 'admin',
    password,
  });
  expect(signedIn.status).toBe(302);
  const pageStarted = performance.now();
  const page = await getPage(request, jar, '/agent/');
  const pageHtml = await page.text();
  expect(page.status).toBe(200);
  times.push(['first /agent/ page (the server builds the agent)', (performance.now() - pageStarted) / 1000]);
  expect(pageHtml).toContain('>Create the command</button>');
  const created = await postForm(request, jar, '/agent/enroll', {
    csrf_token: readCsrfField(pageHtml, '/agent/enroll'),
  });
  expect(created.status).toBe(200);
  const shown = /<code class="enroll-command">([^<]*)<\/code>/.exec(await created.text())?.[1];
  expect(shown).toBeDefined();
  const command = decodeEntities(shown ?? '');
  expect(command).toContain(`--server '127.0.0.1:`);
  expect(command).toContain('--ca-fingerprint ');

  // 5. As root on this host: the command, with the configuration in the scratch folder.
  mkdirSync(host);
  const conf = join(host, 'debmonitor.conf');
  writeFileSync(
    conf,
    `[DEFAULT]\ncert=${host}/ssl/cert.pem\nkey=${host}/ssl/key.pem\nca=${host}/ssl/ca.pem\nspool_dir=${host}/spool\n`,
  );
  const local = command
    .replaceAll('./debmonitor ', `./debmonitor --config ${conf} `)
    .replace(/\.\/debmonitor$/, `./debmonitor --config ${conf}`);
  expect(local.split('--config').length - 1).toBe(2);
  const ran = await sh(local, host);
  times.push(['the command from /agent/ (download, enroll, first report)', ran.seconds]);
  expect({ code: ran.code, output: ran.output }).toMatchObject({ code: 0 });
  expect(ran.output).toContain('Enrolled ');

  // 6. This host's page lists its packages.
  const fqdn = /Enrolled (\S+):/.exec(ran.output)?.[1] ?? '';
  const hostPage = await getPage(request, jar, `/hosts/${encodeURIComponent(fqdn)}`);
  expect(hostPage.status).toBe(200);
  const hostHtml = await hostPage.text();
  const installed = await installedPackages();
  expect(installed.length).toBeGreaterThan(50);
  const figure = /<strong>(\d+)<\/strong> <span>installed<\/span>/.exec(hostHtml)?.[1];
  expect(Number(figure)).toBe(installed.length);
  for (const name of ['dpkg', 'bash', 'coreutils']) {
    const filtered = await (
      await getPage(request, jar, `/hosts/${encodeURIComponent(fqdn)}?q=${name}`)
    ).text();
    expect(filtered.includes(`<a href="/packages/${name}">${name}</a>`)).toBe(true);
  }

  const sum = (steps: [string, number][]) => steps.reduce((total, [, seconds]) => total + seconds, 0);
  const commands = times.filter(([step]) => !step.startsWith('first /agent/'));
  const afterNpmCi = commands.filter(([step]) => !step.startsWith('npm ci'));
  console.log(
    [
      `Quickstart on ${fqdn}, ${installed.length} packages (${realNpmCi ? 'real npm ci' : 'npm ci not run: node_modules symlinked'}):`,
      ...times.map(([step, seconds]) => `  ${seconds.toFixed(1).padStart(6)} s  ${step}`),
      ...(realNpmCi ? [`  ${sum(commands).toFixed(1).padStart(6)} s  commands in all, npm ci included`] : []),
      `  ${sum(afterNpmCi).toFixed(1).padStart(6)} s  commands without npm ci`,
      `  ${sum(times).toFixed(1).padStart(6)} s  with the wait for the first Agent page (not sign-in or reading)`,
    ].join('\n'),
  );
}, 180_000);
