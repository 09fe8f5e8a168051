/**
 * The real server, as a process with both listeners, under the body attacks: each refused body may
 * raise its peak memory (RSS) by at most 64 MB.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORM_TOO_LARGE_TEXT } from '../src/web/read-form-body.ts';
import { MAX_JSON_DEPTH } from '../src/web/read-json-body.ts';
import { certificateMaker } from './helpers/certificates.ts';
import { openRaw, type RawConnectOptions, streamBody, waitForAnswer } from './helpers/raw-http.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';

setDefaultTimeout(60_000);

const MB = 1024 * 1024;
const PEAK_GROWTH_LIMIT_KB = 64 * 1024;
const HOST = 'host1.example.com';
const dir = mkdtempSync(join(tmpdir(), 'debmonitor-body-limits-'));
const file = (name: string) => join(dir, name);

/** A field of /proc/<pid>/status, in kB. */
function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
}

/**
 * Runs `attack` and returns how far the server's RSS rose above where it started: the peak from
 * VmHWM (reset first through clear_refs), and from polling VmRSS where that reset is not allowed.
 */
async function peakGrowthKb(
  pid: number,
  attack: () => Promise<void>,
): Promise<{ before: number; peak: number }> {
  const before = statusKb(pid, 'VmRSS');
  let hwmReset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    hwmReset = false;
  }
  let peak = before;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      peak = Math.max(peak, statusKb(pid, 'VmRSS'));
      await Bun.sleep(5);
    }
  })();
  try {
    await attack();
  } finally {
    polling = false;
    await poll;
  }
  if (hwmReset) peak = Math.max(peak, statusKb(pid, 'VmHWM'));
  return { before, peak };
}

interface Attack {
  name: string;
  head: string;
  totalBytes: number;
  chunked: boolean;
  /** Repeated to make the body. */
  pattern: string;
  status: number;
  text: string;
}

const FORM_HEAD = 'Content-Type: application/x-www-form-urlencoded';
const ATTACKS: Attack[] = [
  {
    name: '200 MB chunked form to /login/',
    head: `POST /login/ HTTP/1.1\r\nHost: x\r\n${FORM_HEAD}`,
    totalBytes: 200 * MB,
    chunked: true,
    pattern: 'a=1&',
    status: 413,
    text: FORM_TOO_LARGE_TEXT,
  },
  ...['/login/', '/logout/'].map((path) => ({
    name: `32 MB form to ${path}`,
    head: `POST ${path} HTTP/1.1\r\nHost: x\r\n${FORM_HEAD}`,
    totalBytes: 32 * MB,
    chunked: false,
    pattern: 'a=1&',
    status: 413,
    text: FORM_TOO_LARGE_TEXT,
  })),
  {
    name: '30 MB of nested JSON to a report URL, with a valid certificate',
    // On the plain listener the certificate comes from trusted-proxy headers (127.0.0.1 is trusted).
    head: `POST /hosts/${HOST}/update HTTP/1.1\r\nHost: x\r\nX-Client-Cert-Verify: SUCCESS\r\nX-Client-Cert-Subject-DN: CN=${HOST}`,
    totalBytes: 30 * MB,
    chunked: false,
    pattern: '[',
    status: 400,
    text: `nested deeper than ${MAX_JSON_DEPTH} levels`,
  },
];

describe('debmonitor-server serve: memory under refused bodies', () => {
  let server: ServerProcess;
  let tlsPort = 0;
  let plainPort = 0;
  beforeAll(async () => {
    const makeCertificate = certificateMaker(dir);
    makeCertificate('ca', '/CN=Test CA', null);
    makeCertificate('server', '/CN=127.0.0.1', 'ca', 'subjectAltName=IP:127.0.0.1\n');
    makeCertificate('host1', `/CN=${HOST}`, 'ca');
    const config = {
      DATABASE_URL: `sqlite:${file('debmonitor.sqlite')}`,
      VERIFY_CLIENTS: true,
      TLS: { CERT: file('server.crt'), KEY: file('server.key'), CA: file('ca.crt'), PORT: 0 },
    };
    writeFileSync(file('config.json'), JSON.stringify(config));
    server = await startServerProcess({ cwd: dir, args: ['--config', file('config.json')] });
    plainPort = Number(new URL(server.url).port);
    for (let tries = 0; tlsPort === 0 && tries < 200; tries++) {
      tlsPort = Number(
        /TLS with client certificates on https:\/\/[^\s]+:(\d+)/.exec(server.output())?.[1] ?? 0,
      );
      if (tlsPort === 0) await Bun.sleep(50);
    }
    expect(tlsPort).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const listener of ['plain', 'TLS'] as const) {
    for (const attack of ATTACKS) {
      test(`${listener}: ${attack.name} is ${attack.status}, peak RSS up less than 64 MB`, async () => {
        const options: RawConnectOptions =
          listener === 'plain'
            ? { port: plainPort }
            : {
                port: tlsPort,
                tls: { cert: readFileSync(file('host1.crt')), key: readFileSync(file('host1.key')) },
              };
        let sent = 0;
        let answer = '';
        let status = 0;
        const { before, peak } = await peakGrowthKb(server.pid, async () => {
          const connection = await openRaw(options);
          sent = await streamBody(connection, attack.head, {
            totalBytes: attack.totalBytes,
            chunked: attack.chunked,
            fill: (chunk) => chunk.fill(attack.pattern),
          });
          await waitForAnswer(connection);
          answer = connection.received();
          status = connection.status();
          connection.socket.destroy();
        });
        console.log(
          `${listener}: ${attack.name}: ${status} after ${(sent / MB).toFixed(1)} MB sent; RSS ${Math.round(before / 1024)} MB before, peak ${Math.round(peak / 1024)} MB`,
        );
        expect(status).toBe(attack.status);
        expect(answer).toContain(attack.text);
        expect(peak - before).toBeLessThan(PEAK_GROWTH_LIMIT_KB);
      });
    }
  }

  test('the server still answers afterwards', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
  });
});
