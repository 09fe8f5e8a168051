/**
 * Reads the dpkg hook feed. APT writes it to stdin, or to the descriptor named by APT_HOOK_INFO_FD when
 * `DPkg::Tools::Options::<cmd>::InfoFD` is set. The whole input is always read, even when the run is
 * going to fail, so APT's writer never blocks on a full pipe.
 */
import { createReadStream } from 'node:fs';

/** Returns the descriptor APT feeds: APT_HOOK_INFO_FD when set to a positive integer, else stdin (0). */
export function selectHookDescriptor(env: Record<string, string | undefined>): number {
  const value = env.APT_HOOK_INFO_FD?.trim();
  return value && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : 0;
}

/** Reads descriptor `fd` to its end and returns the text. */
export async function readDescriptor(fd: number): Promise<string> {
  if (fd === 0) return await Bun.stdin.text();
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream('', { fd, autoClose: true })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
