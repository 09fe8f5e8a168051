import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDpkgStatus } from '../../../src/agent/collect/dpkg-status.ts';
import { parseNeedrestartBatch } from '../../../src/agent/collect/needrestart.ts';
import {
  kernelImagesOf,
  parseBootTime,
  parseRebootPackages,
  readRebootFacts,
} from '../../../src/agent/collect/reboot-facts.ts';

const FIXTURES = '/work/shared/fixtures';

const KERNEL_STANZAS = [
  'Package: linux-image-6.1.0-26-amd64\nStatus: install ok installed\nArchitecture: amd64\nVersion: 6.1.112-1\nSource: linux-signed-amd64 (6.1.112+1)\n',
  'Package: linux-image-6.1.0-28-amd64\nStatus: install ok installed\nArchitecture: amd64\nVersion: 6.1.119-1\nSource: linux-signed-amd64 (6.1.119+1)\n',
  'Package: linux-image-6.1.0-18-amd64\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 6.1.76-1\n',
  'Package: linux-image-amd64\nStatus: install ok installed\nArchitecture: amd64\nVersion: 6.1.119-1\nSource: linux-signed-amd64 (6.1.119+1)\n',
  'Package: linux-image-6.1.0-28-arm64\nStatus: install ok installed\nArchitecture: arm64\nVersion: 6.1.119-1\n',
].join('\n');

describe('kernelImagesOf', () => {
  test('installed image packages only, foreign ones with their architecture', () => {
    expect(kernelImagesOf(parseDpkgStatus(KERNEL_STANZAS), 'amd64')).toEqual([
      { name: 'linux-image-6.1.0-26-amd64', version: '6.1.112-1' },
      { name: 'linux-image-6.1.0-28-amd64', version: '6.1.119-1' },
      { name: 'linux-image-6.1.0-28-arm64:arm64', version: '6.1.119-1' },
    ]);
  });
  test('the Debian 11 and 13 captures (containers) have none', async () => {
    for (const release of ['debian11', 'debian13']) {
      const text = await Bun.file(`${FIXTURES}/${release}/dpkg-status`).text();
      const packages = parseDpkgStatus(text);
      expect(packages.length).toBeGreaterThan(200);
      expect(kernelImagesOf(packages, 'amd64')).toEqual([]);
    }
  });
});

describe('parseBootTime', () => {
  test('the btime line of /proc/stat', () => {
    expect(parseBootTime('cpu  1 2 3\nintr 5\nctxt 9\nbtime 1727700000\nprocesses 12\n')).toBe(1727700000);
    expect(parseBootTime('cpu 1 2\n')).toBeUndefined();
  });
});

describe('parseRebootPackages', () => {
  test('one name per line, each once', () => {
    expect(parseRebootPackages('linux-image-6.1.0-28-amd64\nlibc6\n\nlibc6\n')).toEqual([
      'linux-image-6.1.0-28-amd64',
      'libc6',
    ]);
  });
});

describe('parseNeedrestartBatch', () => {
  test('kernel status and services, sorted', () => {
    const text = [
      'NEEDRESTART-VER: 3.6',
      'NEEDRESTART-KCUR: 6.1.0-26-amd64',
      'NEEDRESTART-KEXP: 6.1.0-28-amd64',
      'NEEDRESTART-KSTA: 3',
      'NEEDRESTART-UCSTA: 1',
      'NEEDRESTART-SVC: ssh.service',
      'NEEDRESTART-SVC: cron.service',
      'NEEDRESTART-SESS: root @ session #3',
      '',
    ].join('\n');
    expect(parseNeedrestartBatch(text)).toEqual({
      kernel_status: 3,
      services: ['cron.service', 'ssh.service'],
    });
  });
  test('not batch output', () => {
    expect(parseNeedrestartBatch('Scanning processes...\n')).toBeUndefined();
  });
});

describe('readRebootFacts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reboot-facts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const paths = { rebootRequired: join(dir, 'reboot-required'), procStat: join(dir, 'stat') };
  const images = [{ name: 'linux-image-6.1.0-26-amd64', version: '6.1.112-1' }];

  test('without the flag file: images and boot time', () => {
    writeFileSync(paths.procStat, 'btime 1727700000\n');
    expect(readRebootFacts(images, undefined, paths)).toEqual({
      kernel_images: images,
      boot_time: 1727700000,
    });
  });
  test('with the flag file and its .pkgs, and needrestart', () => {
    writeFileSync(paths.rebootRequired, '*** System restart required ***\n');
    writeFileSync(`${paths.rebootRequired}.pkgs`, 'linux-image-6.1.0-28-amd64\n');
    expect(readRebootFacts(images, { services: [] }, paths)).toEqual({
      kernel_images: images,
      boot_time: 1727700000,
      reboot_required: { packages: ['linux-image-6.1.0-28-amd64'] },
      needrestart: { services: [] },
    });
  });
});
