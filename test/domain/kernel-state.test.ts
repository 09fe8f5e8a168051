import { describe, expect, test } from 'bun:test';
import {
  bannerVersion,
  imageRelease,
  judgeKernel,
  kernelFlavour,
  kernelStateCode,
  kernelStateOf,
} from '../../src/domain/kernel-state.ts';
import { judgeReboot } from '../../src/domain/reboot-required.ts';

// Real `uname -r` / `uname -v` pairs and package versions of Debian 11, 12 and 13 kernels.
const BULLSEYE = { release: '5.10.0-33-amd64', banner: '#1 SMP Debian 5.10.226-1 (2024-10-03)' };
const BOOKWORM = {
  release: '6.1.0-26-amd64',
  banner: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)',
};
const TRIXIE = {
  release: '6.12.48+deb13-amd64',
  banner: '#1 SMP PREEMPT_DYNAMIC Debian 6.12.48-1 (2025-09-20)',
};
const image = (release: string, version: string) => ({ name: `linux-image-${release}`, version });

describe('imageRelease', () => {
  test('the release of an image package', () => {
    expect(imageRelease('linux-image-6.1.0-26-amd64')).toBe('6.1.0-26-amd64');
    expect(imageRelease('linux-image-6.12.48+deb13-arm64')).toBe('6.12.48+deb13-arm64');
    expect(imageRelease('linux-image-6.18.39+rpt-rpi-v8:arm64')).toBe('6.18.39+rpt-rpi-v8');
  });
  test('signed and unsigned builds install the same release', () => {
    expect(imageRelease('linux-image-6.1.0-26-amd64-unsigned')).toBe('6.1.0-26-amd64');
    expect(imageRelease('linux-image-unsigned-6.8.0-31-generic')).toBe('6.8.0-31-generic');
  });
  test('meta packages, debug symbols and other packages are no image', () => {
    for (const name of [
      'linux-image-amd64',
      'linux-image-cloud-amd64',
      'linux-image-rt-amd64',
      'linux-image-6.1.0-26-amd64-dbg',
      'linux-image-6.8.0-31-generic-dbgsym',
      'linux-headers-6.1.0-26-amd64',
      'linux-libc-dev',
    ])
      expect(imageRelease(name)).toBeUndefined();
  });
});

describe('kernelFlavour', () => {
  test.each([
    ['5.10.0-33-amd64', 'amd64'],
    ['6.1.0-28-cloud-amd64', 'cloud-amd64'],
    ['6.1.0-26-rt-amd64', 'rt-amd64'],
    ['6.12.48+deb13-arm64', 'arm64'],
    ['6.12.90+deb13.1-amd64', 'amd64'],
    ['6.12.74+deb13+1-rt-amd64', 'rt-amd64'],
    ['6.18.39+rpt-rpi-v7', 'rpi-v7'],
    ['6.18.39+rpt-rpi-2712', 'rpi-2712'],
    ['6.8.0-100-generic', 'generic'],
    ['6.1.0', ''],
  ])('%s is %s', (release, flavour) => expect(kernelFlavour(release)).toBe(flavour));
});

describe('bannerVersion', () => {
  test('Debian and Raspberry Pi OS banners carry the package version', () => {
    expect(bannerVersion(BULLSEYE.banner)).toBe('5.10.226-1');
    expect(bannerVersion(TRIXIE.banner)).toBe('6.12.48-1');
    expect(bannerVersion('#1 SMP PREEMPT Debian 1:6.6.51-1+rpt3 (2024-10-08)')).toBe('1:6.6.51-1+rpt3');
  });
  test("Ubuntu's does not", () => {
    expect(bannerVersion('#100-Ubuntu SMP PREEMPT_DYNAMIC Fri Jan 16 10:00:00 UTC 2026')).toBeUndefined();
  });
});

describe('judgeKernel', () => {
  describe('current', () => {
    test('Debian 11 running its only image', () => {
      expect(judgeKernel({ ...BULLSEYE, images: [image('5.10.0-33-amd64', '5.10.226-1')] })).toEqual({
        state: 'current',
        reason: 'running 5.10.0-33-amd64 (5.10.226-1), the newest amd64 image installed',
      });
    });
    test('an older image kept on purpose is not newer (Debian 12, n-1 kept)', () => {
      const images = [image('6.1.0-25-amd64', '6.1.106-3'), image('6.1.0-26-amd64', '6.1.112-1')];
      expect(judgeKernel({ ...BOOKWORM, images }).state).toBe('current');
    });
    test('Debian 13: 6.12.90+deb13.1 running, 6.12.90+deb13 kept: the package versions decide', () => {
      const verdict = judgeKernel({
        release: '6.12.90+deb13.1-amd64',
        banner: '#1 SMP PREEMPT_DYNAMIC Debian 6.12.90-2 (2026-05-02)',
        images: [image('6.12.90+deb13-amd64', '6.12.90-1'), image('6.12.90+deb13.1-amd64', '6.12.90-2')],
      });
      expect(verdict.state).toBe('current');
    });
    test('Ubuntu: 6.8.0-100 running, 6.8.0-31 installed is older (not a string comparison)', () => {
      const verdict = judgeKernel({
        release: '6.8.0-100-generic',
        banner: '#100-Ubuntu SMP PREEMPT_DYNAMIC Fri Jan 16 10:00:00 UTC 2026',
        images: [image('6.8.0-31-generic', '6.8.0-31.31'), image('6.8.0-100-generic', '6.8.0-100.100')],
      });
      expect(verdict).toEqual({
        state: 'current',
        reason: 'running 6.8.0-100-generic (6.8.0-100.100), the newest generic image installed',
      });
    });
    test('Raspberry Pi: rpi-v6, v7 and v8 side by side at one version, v7 running', () => {
      const version = '1:6.18.39-1+rpt1';
      const verdict = judgeKernel({
        release: '6.18.39+rpt-rpi-v7',
        banner: '#1 SMP Raspbian 1:6.18.39-1+rpt1 (2026-04-20)',
        images: [
          { name: 'linux-image-6.18.39+rpt-rpi-v6', version },
          { name: 'linux-image-6.18.39+rpt-rpi-v7', version },
          { name: 'linux-image-6.18.39+rpt-rpi-v8:arm64', version },
          { name: 'linux-image-rpi-v7', version },
        ],
      });
      expect(verdict.state).toBe('current');
    });
    test('a banner without the epoch of the package version', () => {
      const verdict = judgeKernel({
        release: '6.6.51+rpt-rpi-v8',
        banner: '#1 SMP PREEMPT Debian 6.6.51-1+rpt3 (2024-10-08)',
        images: [image('6.6.51+rpt-rpi-v8', '1:6.6.51-1+rpt3')],
      });
      expect(verdict.state).toBe('current');
    });
  });

  describe('version upgrade', () => {
    test('Debian 12: a newer image of the running flavour, with the reason', () => {
      const images = [image('6.1.0-26-amd64', '6.1.112-1'), image('6.1.0-28-amd64', '6.1.119-1')];
      expect(judgeKernel({ ...BOOKWORM, images })).toEqual({
        state: 'version_upgrade',
        reason: 'running 6.1.0-26-amd64 (6.1.112-1), installed 6.1.0-28-amd64 (6.1.119-1)',
      });
    });
    test('the newest of several newer images is named', () => {
      const images = [
        image('5.10.0-33-amd64', '5.10.226-1'),
        image('5.10.0-35-amd64', '5.10.237-1'),
        image('5.10.0-34-amd64', '5.10.234-1'),
      ];
      expect(judgeKernel({ ...BULLSEYE, images }).reason).toBe(
        'running 5.10.0-33-amd64 (5.10.226-1), installed 5.10.0-35-amd64 (5.10.237-1)',
      );
    });
    test('Debian 13: 6.12.90+deb13 running, 6.12.90+deb13.1 installed', () => {
      const verdict = judgeKernel({
        release: '6.12.90+deb13-amd64',
        banner: '#1 SMP PREEMPT_DYNAMIC Debian 6.12.90-1 (2026-04-01)',
        images: [image('6.12.90+deb13-amd64', '6.12.90-1'), image('6.12.90+deb13.1-amd64', '6.12.90-2')],
      });
      expect(verdict.state).toBe('version_upgrade');
    });
    test('Debian 13 realtime flavour 6.12.74+deb13+1-rt-amd64', () => {
      const verdict = judgeKernel({
        release: '6.12.74+deb13+1-rt-amd64',
        banner: '#1 SMP PREEMPT_RT Debian 6.12.74-2 (2026-03-01)',
        images: [
          image('6.12.74+deb13+1-rt-amd64', '6.12.74-2'),
          image('6.12.80+deb13-rt-amd64', '6.12.80-1'),
          image('6.12.90+deb13-amd64', '6.12.90-1'),
        ],
      });
      expect(verdict.reason).toBe(
        'running 6.12.74+deb13+1-rt-amd64 (6.12.74-2), installed 6.12.80+deb13-rt-amd64 (6.12.80-1)',
      );
    });
    test('the running image removed, a newer one installed', () => {
      const verdict = judgeKernel({ ...TRIXIE, images: [image('6.12.57+deb13-amd64', '6.12.57-1')] });
      expect(verdict.state).toBe('version_upgrade');
    });
  });

  describe('flavours are kept apart', () => {
    test('a newer cloud-amd64 image does not concern an amd64 kernel', () => {
      const images = [image('6.1.0-26-amd64', '6.1.112-1'), image('6.1.0-28-cloud-amd64', '6.1.119-1')];
      expect(judgeKernel({ ...BOOKWORM, images }).state).toBe('current');
    });
    test('a newer amd64 image does not concern a cloud-amd64 kernel', () => {
      const verdict = judgeKernel({
        release: '6.1.0-26-cloud-amd64',
        banner: BOOKWORM.banner,
        images: [image('6.1.0-26-cloud-amd64', '6.1.112-1'), image('6.1.0-28-amd64', '6.1.119-1')],
      });
      expect(verdict.state).toBe('current');
    });
    test('Debian 13 arm64 next to amd64 images (a foreign architecture)', () => {
      const verdict = judgeKernel({
        release: '6.12.48+deb13-arm64',
        banner: TRIXIE.banner,
        images: [image('6.12.48+deb13-arm64', '6.12.48-1'), image('6.12.57+deb13-amd64:amd64', '6.12.57-1')],
      });
      expect(verdict.state).toBe('current');
    });
  });

  describe('ABI upgrade', () => {
    test('the running image package was rebuilt: uname -v differs from the installed version', () => {
      const images = [image('6.1.0-26-amd64', '6.1.115-1')];
      expect(judgeKernel({ ...BOOKWORM, images })).toEqual({
        state: 'abi_upgrade',
        reason: 'running 6.1.0-26-amd64 (6.1.112-1), installed 6.1.0-26-amd64 (6.1.115-1)',
      });
    });
    test('a version upgrade wins over an ABI upgrade', () => {
      const images = [image('6.1.0-26-amd64', '6.1.115-1'), image('6.1.0-28-amd64', '6.1.119-1')];
      expect(judgeKernel({ ...BOOKWORM, images }).state).toBe('version_upgrade');
    });
  });

  describe('unknown', () => {
    test('no kernel release', () => {
      expect(judgeKernel({ banner: BOOKWORM.banner, images: [] }).state).toBe('unknown');
    });
    test('a container: no image installed', () => {
      expect(judgeKernel({ ...BOOKWORM, images: [] })).toEqual({
        state: 'unknown',
        reason: 'running 6.1.0-26-amd64 (6.1.112-1): its package linux-image-6.1.0-26-amd64 is not installed',
      });
    });
    test('a custom kernel: no package and no version in the banner', () => {
      const verdict = judgeKernel({ release: '6.9.0-custom', banner: '#3 SMP Tue May 14 2024', images: [] });
      expect(verdict.state).toBe('unknown');
    });
  });

  test("codes are needrestart's KSTA values", () => {
    expect(
      ['unknown', 'current', 'abi_upgrade', 'version_upgrade'].map((s) => kernelStateCode(s as never)),
    ).toEqual([0, 1, 2, 3]);
    expect(kernelStateOf(3)).toBe('version_upgrade');
    expect(kernelStateOf(9)).toBe('unknown');
    expect(kernelStateOf(null)).toBe('unknown');
  });
});

describe('judgeReboot', () => {
  const current = { state: 'current' as const, reason: 'running x' };
  test('a current kernel and no other signal: no reboot', () => {
    expect(judgeReboot({ kernel: current })).toEqual({ required: false, reasons: [] });
    expect(judgeReboot({ kernel: { state: 'unknown', reason: 'r' } }).required).toBe(false);
  });
  test('a kernel upgrade is a reason', () => {
    const verdict = judgeReboot({ kernel: { state: 'version_upgrade', reason: 'running a, installed b' } });
    expect(verdict).toEqual({ required: true, reasons: ['kernel version upgrade: running a, installed b'] });
  });
  test('the flag file is a reason of its own, with its packages', () => {
    const packages = ['libc6', 'linux-image-6.1.0-28-amd64', 'a', 'b', 'c', 'd', 'e'];
    expect(judgeReboot({ kernel: current, flagFile: { packages } }).reasons).toEqual([
      '/run/reboot-required (libc6, linux-image-6.1.0-28-amd64, a, b, c and 2 more)',
    ]);
    expect(judgeReboot({ kernel: current, flagFile: { packages: [] } }).reasons).toEqual([
      '/run/reboot-required',
    ]);
  });
  test("needrestart's kernel status 2 or 3 is a reason", () => {
    expect(judgeReboot({ kernel: current, needrestartKernel: 3 }).reasons).toEqual([
      'needrestart: kernel version upgrade',
    ]);
    expect(judgeReboot({ kernel: current, needrestartKernel: 1 }).required).toBe(false);
  });
});
