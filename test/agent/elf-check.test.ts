import { afterAll, describe, expect, test } from 'bun:test';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkElfExecutable, findElfProblem, getElfMachine } from '../../src/agent/elf-check.ts';

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-elf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ElfFields {
  elfClass?: number;
  data?: number;
  type?: number;
  machine?: number;
  /** End of the one PT_LOAD segment (default: the end of the headers). */
  segmentEnd?: number;
  /** Offset of 4 section headers of 64 bytes (default: none). */
  sectionHeaders?: number;
}

/** An ELF header with one program header (a PT_LOAD segment), 120 bytes. */
function makeElf(fields: ElfFields = {}): Uint8Array {
  const bytes = new Uint8Array(64 + 56);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, fields.elfClass ?? 2, fields.data ?? 1, 1]);
  view.setUint16(16, fields.type ?? 2, true);
  view.setUint16(18, fields.machine ?? 62, true);
  view.setBigUint64(32, 64n, true);
  view.setBigUint64(40, BigInt(fields.sectionHeaders ?? 0), true);
  view.setUint16(54, 56, true);
  view.setUint16(56, 1, true);
  view.setUint16(58, 64, true);
  view.setUint16(60, fields.sectionHeaders === undefined ? 0 : 4, true);
  view.setUint32(64, 1, true);
  view.setBigUint64(64 + 32, BigInt(fields.segmentEnd ?? bytes.length), true);
  return bytes;
}

const problem = (bytes: Uint8Array, arch = 'x64', size = bytes.length) => findElfProblem(bytes, size, arch);

describe('findElfProblem', () => {
  test('accepts a whole 64-bit little-endian executable for this CPU', () => {
    expect(problem(makeElf())).toBeNull();
    expect(problem(makeElf({ type: 3 }))).toBeNull();
    expect(problem(makeElf({ machine: 183 }), 'arm64')).toBeNull();
  });

  test('knows the e_machine of the agent builds', () => {
    expect(getElfMachine('x64')).toBe(62);
    expect(getElfMachine('arm64')).toBe(183);
  });

  test('refuses a shell script that prints a version', () => {
    const script = new TextEncoder().encode('#!/bin/sh\necho debmonitor 0.1.0\n');
    expect(problem(script)).toBe('it is not an ELF executable (it starts with "#!/bin/sh.echo d")');
  });

  test('refuses a build for another CPU', () => {
    expect(problem(makeElf({ machine: 183 }))).toBe('it is built for AArch64, not for this x86-64 machine');
    expect(problem(makeElf(), 'arm64')).toBe('it is built for x86-64, not for this AArch64 machine');
    expect(problem(makeElf({ machine: 8 }))).toBe('it is built for e_machine 8, not for this x86-64 machine');
  });

  test('refuses 32-bit, big-endian and non-executable ELF files', () => {
    expect(problem(makeElf({ elfClass: 1 }))).toBe('it is not a 64-bit ELF file');
    expect(problem(makeElf({ data: 2 }))).toBe('it is not a little-endian ELF file');
    expect(problem(makeElf({ type: 1 }))).toBe('it is not an ELF executable (type 1)');
  });

  test('refuses a file cut inside a segment, inside the section headers or inside the ELF header', () => {
    expect(problem(makeElf({ segmentEnd: 5000 }), 'x64', 4999)).toBe(
      'it is truncated: a segment ends at byte 5000, the file has 4999',
    );
    expect(problem(makeElf({ sectionHeaders: 4000 }), 'x64', 4200)).toBe(
      'it is truncated: its headers end at byte 4256, the file has 4200',
    );
    expect(problem(makeElf().subarray(0, 40), 'x64', 40)).toBe(
      'it is truncated: 40 bytes, an ELF header alone is 64',
    );
  });

  test('refuses any file on a CPU the agent is not built for', () => {
    expect(problem(makeElf(), 'riscv64')).toBe("this machine's architecture (riscv64) has no agent build");
  });
});

describe('checkElfExecutable', () => {
  test('accepts the Bun runtime running this test, and refuses its first megabyte alone', async () => {
    await checkElfExecutable(process.execPath);
    const head = new Uint8Array(1024 * 1024);
    const fd = openSync(process.execPath, 'r');
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const cut = join(dir, 'cut');
    writeFileSync(cut, head);
    await expect(checkElfExecutable(cut)).rejects.toThrow('the new binary is refused: it is truncated');
  });

  test('refuses an empty file', async () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    await expect(checkElfExecutable(empty)).rejects.toThrow(
      'it is not an ELF executable (it starts with "")',
    );
  });
});
