/** The deployment kit in deploy/: files an operator copies as they are, so they must be right. */
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig } from '../../src/config/load-config.ts';
import { isAllowedHost } from '../../src/web/middleware/allowed-hosts.ts';

const DEPLOY = resolve(import.meta.dir, '../../deploy');
const read = (path: string) => readFileSync(resolve(DEPLOY, path), 'utf8');
const README = readFileSync(resolve(import.meta.dir, '../../README.md'), 'utf8');

/** The one fenced block of a language in the README. */
function readmeBlock(language: string): string {
  const blocks = [...README.matchAll(new RegExp(`^ *\`\`\`${language}\n([^]*?)^ *\`\`\``, 'gm'))];
  expect(blocks).toHaveLength(1);
  return blocks[0]?.[1] ?? '';
}

/** Header name → value of every `proxy_set_header` of an nginx configuration. */
function nginxHeaders(conf: string): Map<string, string> {
  return new Map(
    [...conf.matchAll(/^\s*proxy_set_header\s+(\S+)\s+(.+?);/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
}

/** Headers the server believes from a trusted proxy: a proxy must set each, never pass a client's. */
const PROXY_HEADERS = [
  'X-Forwarded-For',
  'X-Forwarded-Host',
  'X-Forwarded-Proto',
  'X-Client-Cert-Verify',
  'X-Client-Cert-Subject-DN',
];

describe('config.example.json', () => {
  test('parses with the configuration schema, without warnings', () => {
    const warnings: string[] = [];
    const config = parseConfig(JSON.parse(read('config.example.json')), (message) => warnings.push(message));
    expect(warnings).toEqual([]);
    expect(config.AGENTS_DIR).toBe('/opt/debmonitor/agents');
    expect(config.databaseUrl).toStartWith('sqlite:');
  });
  test('lets local health checks through ALLOWED_HOSTS', () => {
    const config = parseConfig(JSON.parse(read('config.example.json')));
    for (const host of ['localhost', '127.0.0.1', 'localhost:8080', '127.0.0.1:8080']) {
      expect({ host, allowed: isAllowedHost(host, config.ALLOWED_HOSTS) }).toEqual({ host, allowed: true });
    }
  });
  test('does not ask for SECRET_KEY, which nothing here uses', () => {
    expect(read('config.example.json')).not.toContain('SECRET_KEY');
  });
});

describe('the APT hook file', () => {
  const hook = read('agent/apt-hook.conf');
  test('runs the agent with -g before dpkg installs packages, ignoring its failure', () => {
    expect(hook).toContain('DPkg::Pre-Install-Pkgs {"/usr/local/bin/debmonitor -g || true";};');
  });
  test('asks for feed version 3 under the exact first word of the hook command', () => {
    expect(hook).toContain('DPkg::Tools::Options::/usr/local/bin/debmonitor::Version "3";');
  });
  test('runs the agent with -u after apt update', () => {
    expect(hook).toContain('APT::Update::Post-Invoke {"/usr/local/bin/debmonitor -u || true";};');
  });
  test('never asks for a self-update from a hook', () => {
    expect(hook).not.toContain('--update');
  });
});

describe('the periodic full report', () => {
  test('the systemd service runs a full report with --update', () => {
    expect(read('agent/debmonitor.service')).toContain('ExecStart=/usr/local/bin/debmonitor --update\n');
  });
  test('the timer spreads the fleet and catches up after downtime', () => {
    const timer = read('agent/debmonitor.timer');
    expect(timer).toMatch(/^RandomizedDelaySec=\d+h$/m);
    expect(timer).toContain('Persistent=true');
    expect(timer).toContain('OnCalendar=daily');
  });
  test('the cron line runs the same command as root after a random sleep', () => {
    const line = read('agent/debmonitor.cron')
      .split('\n')
      .find((text) => text && !text.startsWith('#'));
    expect(line).toMatch(/^\d+ \d+ \* \* \* root sleep .* && \/usr\/local\/bin\/debmonitor --update /);
  });
  test("the cron line sends the agent's output to syslog, not to /dev/null", () => {
    const cron = read('agent/debmonitor.cron');
    const line = cron.split('\n').find((text) => text && !text.startsWith('#')) ?? '';
    expect(cron).not.toContain('/dev/null');
    expect(line).toEndWith(' --update 2>&1 | logger -t debmonitor');
    expect(line).toContain('sleep $(shuf -i 0-21600 -n 1) && ');
    // cron ends the command at an unescaped %.
    expect(line).not.toContain('%');
    const agentDoc = readFileSync(resolve(import.meta.dir, '../../docs/agent.md'), 'utf8');
    expect(README).toContain(`\n${line}\n`);
    expect(agentDoc).toContain(`\n${line}\n`);
  });
});

describe('the server unit', () => {
  const unit = read('server/debmonitor-server.service');
  test('runs serve unprivileged with a persistent state directory', () => {
    expect(unit).toContain('ExecStart=/opt/debmonitor/debmonitor-server serve');
    expect(unit).toContain('DynamicUser=yes');
    expect(unit).toContain('StateDirectory=debmonitor');
  });
  test('is hardened', () => {
    for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes']) {
      expect(unit).toContain(line);
    }
  });
});

describe('the nginx site', () => {
  const site = read('server/nginx-debmonitor.conf');
  test('asks for client certificates and passes the two headers from the TLS session', () => {
    expect(site).toContain('ssl_verify_client optional;');
    expect(site).toContain('proxy_set_header X-Client-Cert-Verify $ssl_client_verify;');
    expect(site).toContain('proxy_set_header X-Client-Cert-Subject-DN $ssl_client_s_dn;');
  });
  test('overwrites X-Forwarded-For with the peer address instead of appending to the client value', () => {
    expect(nginxHeaders(site).get('X-Forwarded-For')).toBe('$remote_addr');
    expect(site).not.toContain('$proxy_add_x_forwarded_for');
  });
  test('sets every header the server believes from a proxy', () => {
    for (const header of PROXY_HEADERS) expect(nginxHeaders(site).get(header)).toBeTruthy();
  });
  test("turns HTTP/2 on in the form Debian 12's nginx 1.22 accepts", () => {
    expect(site).not.toMatch(/^\s*http2\s/m);
    expect(site).toMatch(/^\s*listen 443 ssl http2;$/m);
    expect(site).toMatch(/^\s*listen \[::\]:443 ssl http2;$/m);
  });
  test('passes X-Forwarded-Host as the Host the client asked for', () => {
    expect(nginxHeaders(site).get('X-Forwarded-Host')).toBe('$host');
  });
  test('accepts a body as large as MAX_REPORT_BYTES, as the README says', () => {
    const limit = (conf: string) => /^\s*client_max_body_size\s+(\d+)m;/m.exec(conf)?.[1];
    const config = parseConfig(JSON.parse(read('config.example.json')));
    expect(Number(limit(site)) * 1024 * 1024).toBe(config.MAX_REPORT_BYTES);
    expect(limit(readmeBlock('nginx'))).toBe(limit(site));
  });
  test("offers the built-in CA's CRL, commented out, at the path the README gives", () => {
    const crlLine = /^\s*# ssl_crl (\S+);$/m.exec(site);
    expect(crlLine?.[1]).toBe('/var/lib/debmonitor/pki/crl.pem');
    expect(README).toContain(`\`ssl_crl ${crlLine?.[1]};\``);
    expect(site).toContain('debmonitor-server pki crl');
  });
  test('forwards to the address the example configuration listens on', () => {
    const config = JSON.parse(read('config.example.json')) as { LISTEN_ADDRESS: string; LISTEN_PORT: number };
    expect(site).toContain(`proxy_pass http://${config.LISTEN_ADDRESS}:${config.LISTEN_PORT};`);
  });
});

describe('the proxy snippets of the README', () => {
  const deployed = nginxHeaders(read('server/nginx-debmonitor.conf'));

  test('nginx sets the same headers to the same values as the deploy/ site', () => {
    const snippet = readmeBlock('nginx');
    expect(snippet).toContain('ssl_verify_client       optional;');
    expect(snippet).not.toContain('$proxy_add_x_forwarded_for');
    expect(Object.fromEntries(nginxHeaders(snippet))).toEqual(Object.fromEntries(deployed));
    expect(nginxHeaders(snippet).get('X-Forwarded-For')).toBe('$remote_addr');
  });

  test('Apache sets the same headers from the same variables, and appends to none', () => {
    const snippet = readmeBlock('apache');
    // The Apache spelling of each nginx variable the deploy/ site uses.
    const apacheOf: Record<string, string> = {
      $remote_addr: '"expr=%{REMOTE_ADDR}"',
      $host: '"expr=%{HTTP_HOST}"',
      $scheme: '"expr=%{REQUEST_SCHEME}"',
      $ssl_client_verify: '"%{SSL_CLIENT_VERIFY}s"',
      $ssl_client_s_dn: '"%{SSL_CLIENT_S_DN}s"',
    };
    const set = new Map(
      [...snippet.matchAll(/^\s*RequestHeader\s+set\s+(\S+)\s+(.+?)\s*$/gm)].map((m) => [
        m[1] ?? '',
        m[2] ?? '',
      ]),
    );
    for (const header of PROXY_HEADERS) {
      expect({ header, value: set.get(header) }).toEqual({
        header,
        value: apacheOf[deployed.get(header) ?? ''],
      });
    }
    expect(snippet).toMatch(/^\s*ProxyAddHeaders\s+Off$/m);
    expect(snippet).toMatch(/^\s*ProxyPreserveHost\s+On$/m);
    expect(snippet).toMatch(/^\s*SSLVerifyClient\s+optional$/m);
  });
});

describe('the license', () => {
  const root = resolve(import.meta.dir, '../..');
  test('LICENSE holds the GPL version 3 that package.json names', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { license: string };
    expect(pkg.license).toBe('GPL-3.0-or-later');
    const license = readFileSync(resolve(root, 'LICENSE'), 'utf8');
    expect(license).toContain('GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(README).toContain('GPL-3.0-or-later');
  });
});

describe('the systemd units', () => {
  const units = ['server/debmonitor-server.service', 'agent/debmonitor.service', 'agent/debmonitor.timer'];
  const pkg = JSON.parse(readFileSync(resolve(import.meta.dir, '../../package.json'), 'utf8')) as {
    homepage?: string;
  };
  test('point Documentation= only at a URL this project declares, never at upstream', () => {
    for (const unit of units) {
      const text = read(unit);
      expect({ unit, upstream: text.includes('wikimedia') }).toEqual({ unit, upstream: false });
      const links = [...text.matchAll(/^Documentation=(.*)$/gm)].map((m) => m[1]);
      expect({ unit, links }).toEqual({ unit, links: pkg.homepage ? links.map(() => pkg.homepage) : [] });
    }
  });
});
