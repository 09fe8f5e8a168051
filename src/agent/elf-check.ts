/**
 * Reads the ELF header of a downloaded agent before it is run: it must be a 64-bit little-endian
 * executable for this machine's CPU, and whole (every loaded segment and the section headers inside
 * the file). A script, a build for another architecture or a cut-off download is refused here.
 */
import { open } from 'node:fs/promises';

/** e_machine of each CPU Bun runs on; the agent is built for these two only. */
const ELF_MACHINES: Readonly<Record<string, number>> = { x64: 62, arm64: 183 };

/** Names of the machines a wrong download is most likely built for, for the message. */
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  3: 'x86',
  40: 'ARM',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
};

const ELF_HEADER_BYTES = 64;
const PT_LOAD = 1;
const ET_EXEC = 2;
const ET_DYN = 3;

/** The e_machine a binary for `arch` (a process.arch value) has; undefined for other CPUs. */
export function getElfMachine(arch: string): number | undefined {
  return ELF_MACHINES[arch];
}

/**
 * Why `file` (its first bytes, at least the ELF header and program headers) is not an executable
 * for `arch` of `fileSize` bytes; null when it is.
 */
export function findElfProblem(file: Uint8Array, fileSize: number, arch: string): string | null {
  const expected = getElfMachine(arch);
  if (expected === undefined) return `this machine's architecture (${arch}) has no agent build`;
  if (file.length < 4 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) {
    return `it is not an ELF executable (it starts with ${JSON.stringify(describeStart(file))})`;
  }
  if (file.length < ELF_HEADER_BYTES) return `it is truncated: ${fileSize} bytes, an ELF header alone is 64`;
  if (file[4] !== 2) return 'it is not a 64-bit ELF file';
  if (file[5] !== 1) return 'it is not a little-endian ELF file';
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const type = view.getUint16(16, true);
  if (type !== ET_EXEC && type !== ET_DYN) return `it is not an ELF executable (type ${type})`;
  const machine = view.getUint16(18, true);
  if (machine !== expected) {
    const name = MACHINE_NAMES[machine] ?? `e_machine ${machine}`;
    return `it is built for ${name}, not for this ${MACHINE_NAMES[expected]} machine`;
  }
  const programHeaders = Number(view.getBigUint64(32, true));
  const sectionHeaders = Number(view.getBigUint64(40, true));
  const programHeaderSize = view.getUint16(54, true);
  const programHeaderCount = view.getUint16(56, true);
  const sectionHeadersEnd = sectionHeaders + view.getUint16(58, true) * view.getUint16(60, true);
  const programHeadersEnd = programHeaders + programHeaderSize * programHeaderCount;
  if (programHeaderCount === 0 || programHeaderSize < 56) return 'it has no program headers';
  // The section headers come last in Bun's builds, so a cut anywhere shows here or in a segment.
  const end = Math.max(programHeadersEnd, sectionHeaders === 0 ? 0 : sectionHeadersEnd);
  if (end > fileSize) return `it is truncated: its headers end at byte ${end}, the file has ${fileSize}`;
  if (programHeadersEnd > file.length) return 'its program headers are too far into the file to check';
  for (let index = 0; index < programHeaderCount; index++) {
    const at = programHeaders + index * programHeaderSize;
    if (view.getUint32(at, true) !== PT_LOAD) continue;
    const segmentEnd = Number(view.getBigUint64(at + 8, true) + view.getBigUint64(at + 32, true));
    if (segmentEnd > fileSize) {
      return `it is truncated: a segment ends at byte ${segmentEnd}, the file has ${fileSize}`;
    }
  }
  return null;
}

/** Throws unless the file at `path` is a whole ELF executable for `arch` (default: this machine). */
export async function checkElfExecutable(path: string, arch: string = process.arch): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    // Enough for the ELF header and the program headers of any build (Bun's have 9 to 12).
    const buffer = new Uint8Array(Math.min(size, 4096));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const problem = findElfProblem(buffer.subarray(0, bytesRead), size, arch);
    if (problem) throw new Error(`the new binary is refused: ${problem}`);
  } finally {
    await handle.close();
  }
}

/** The first printable characters of a file, for a message. */
function describeStart(file: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(file.subarray(0, 16));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  return text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '.');
}
