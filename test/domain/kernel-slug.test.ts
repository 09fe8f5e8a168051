import { describe, expect, test } from 'bun:test';
import { kernelUrlSlug, slugifyKernelName } from '../../src/domain/kernel-slug.ts';

describe('slugifyKernelName', () => {
  const cases: [string, string][] = [
    ['#1 SMP Debian 4.9.88-1+deb9u1 (2018-05-07)', '1-smp-debian-4988-1deb9u1-2018-05-07'],
    ['6.1.0-18-amd64', '610-18-amd64'],
    ['#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)', '1-smp-preempt_dynamic-debian-6176-1-2024-02-01'],
    ['Running Kernel 1.0.0-1', 'running-kernel-100-1'],
    ['os1-100-1', 'os1-100-1'],
    ['Ünïcödé 1', 'unicode-1'],
    ['--_x_--', 'x'],
    ['###', ''],
  ];
  for (const [name, slug] of cases) {
    test(`${name} → ${slug || '(empty)'}`, () => expect(slugifyKernelName(name)).toBe(slug));
  }
});

describe('kernelUrlSlug', () => {
  test('keeps a non-empty slug', () => expect(kernelUrlSlug(3, 'abc')).toBe('abc'));
  test('falls back to kernel-<id> for an empty slug', () => expect(kernelUrlSlug(3, '')).toBe('kernel-3'));
});
