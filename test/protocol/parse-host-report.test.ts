/** The host report validator: its fast path accepts exactly what HostReportSchema accepts. */
import { describe, expect, test } from 'bun:test';
import * as v from 'valibot';
import { parseHostReport } from '../../src/protocol/parse-host-report.ts';
import { describeIssues, HostReportSchema } from '../../src/protocol/report.ts';

function validReport(): Record<string, unknown> {
  return {
    api_version: 'v1',
    hostname: 'h1.example.com',
    os: 'Debian 12',
    running_kernel: { release: '6.1.0-18-amd64', version: '#1 SMP Debian 6.1.76-1' },
    update_type: 'full',
    installed: [
      { name: 'libc6', version: '2.36-9', source: 'glibc' },
      { name: 'bash', version: '5.2.15-2' },
    ],
    uninstalled: [{ name: 'old', version: '1', source: 'old' }],
    upgradable: [
      {
        name: 'libc6',
        version_from: '2.36-9',
        version_to: '2.36-9+deb12u4',
        source: 'glibc',
        type: 'security',
      },
      { name: 'bash', version_from: '5.2.15-2', version_to: '5.2.15-3', source: 'bash', type: null },
    ],
    reboot: {
      boot_time: 1727700000,
      kernel_images: [{ name: 'linux-image-6.1.0-18-amd64', version: '6.1.76-1' }],
      reboot_required: { packages: ['libc6'] },
      needrestart: { kernel_status: 1, services: ['ssh.service'] },
    },
  };
}

/** Values a field can be replaced with, valid or not. */
const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'x'.repeat(32),
  'x'.repeat(33),
  'x'.repeat(255),
  'x'.repeat(256),
  // What the databases could not keep apart from 'x' (trailing space, unpaired surrogates), and
  // what they can (a leading space, a surrogate pair).
  'x ',
  'x\ud800',
  '\udc00x',
  ' x',
  'x\ud83d\ude00',
  0,
  1.5,
  true,
  [],
  [{}],
  {},
  { name: 'a', version: '1' },
];

/** Every path to a field in the report (keys of objects, items of arrays, and a few absent keys). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      paths.push([...prefix, index], ...pathsOf(item, [...prefix, index]));
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      paths.push([...prefix, key], ...pathsOf(child, [...prefix, key]));
    }
  }
  return paths;
}

function withValueAt(report: Record<string, unknown>, path: (string | number)[], value: unknown) {
  const copy = structuredClone(report);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

describe('parseHostReport', () => {
  test('accepts a valid report and fills missing lists with empty ones', () => {
    const report = validReport();
    delete report.uninstalled;
    const parsed = parseHostReport(report);
    expect(parsed.success).toBe(true);
    if (parsed.success) {
      expect(parsed.output.uninstalled).toEqual([]);
      expect(parsed.output.installed).toHaveLength(2);
      expect(parsed.output.api_version).toBe('v1');
    }
  });

  test('keeps the reboot facts, which older clients leave out', () => {
    const parsed = parseHostReport(validReport());
    expect(parsed.success && parsed.output.reboot?.needrestart?.services).toEqual(['ssh.service']);
    const legacy = validReport();
    delete legacy.reboot;
    const old = parseHostReport(legacy);
    expect(old.success && old.output.reboot).toBeUndefined();
  });

  test('refuses with the schema message', () => {
    const report = withValueAt(validReport(), ['installed', 1, 'version'], '');
    const expected = v.safeParse(HostReportSchema, report);
    expect(expected.success).toBe(false);
    expect(parseHostReport(report)).toEqual({
      success: false,
      message: describeIssues(expected.success ? [] : expected.issues),
    });
  });

  test('agrees with the schema on every field replaced by every kind of value', () => {
    const base = validReport();
    const paths = [...pathsOf(base), ['running_kernel', 'release'], ['hostname'], ['upgradable', 0, 'type']];
    let checked = 0;
    let refused = 0;
    for (const path of paths) {
      for (const value of REPLACEMENTS) {
        const report = withValueAt(base, path, value);
        const expected = v.safeParse(HostReportSchema, report);
        const actual = parseHostReport(report);
        expect({ path, value, success: actual.success }).toEqual({ path, value, success: expected.success });
        if (actual.success && expected.success) {
          // The fast path answered (the schema would have returned new arrays).
          if (Array.isArray(report.installed)) expect(actual.output.installed).toBe(report.installed);
          expect(actual.output.installed.length).toBe(expected.output.installed.length);
          expect(actual.output.upgradable.map((item) => item.type)).toEqual(
            expected.output.upgradable.map((item) => item.type),
          );
        }
        checked++;
        if (!expected.success) refused++;
      }
    }
    expect(checked).toBeGreaterThan(400);
    expect(refused).toBeGreaterThan(100);
  });

  test('refuses names the databases could not store as sent, saying why', () => {
    const cases: [(string | number)[], string, string][] = [
      [['installed', 0, 'name'], 'libc6 ', 'installed[0].name: must not end with a space'],
      [['installed', 1, 'version'], '5.2\ud800', 'installed[1].version: must be valid Unicode'],
      [['upgradable', 0, 'source'], 'glibc ', 'upgradable[0].source: must not end with a space'],
      [['running_kernel', 'version'], '#1 SMP ', 'running_kernel.version: must not end with a space'],
      [['hostname'], 'h1.example.com ', 'hostname: must not end with a space'],
    ];
    for (const [path, value, message] of cases) {
      const parsed = parseHostReport(withValueAt(validReport(), path, value));
      expect(parsed.success).toBe(false);
      if (!parsed.success) expect(parsed.message).toStartWith(message);
    }
    expect(parseHostReport(withValueAt(validReport(), ['installed', 0, 'name'], ' libc6+ü😀')).success).toBe(
      true,
    );
  });

  test('refuses a body that is not an object, or lists that are not arrays', () => {
    for (const body of [null, [], 'text', 3]) expect(parseHostReport(body).success).toBe(false);
    expect(parseHostReport({ ...validReport(), installed: {} }).success).toBe(false);
    expect(parseHostReport({ ...validReport(), upgradable: null }).success).toBe(false);
  });
});
