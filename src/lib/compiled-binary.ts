/** True inside a `bun build --compile` executable, whose modules live in Bun's virtual /$bunfs. */
export function isCompiledBinary(): boolean {
  return Bun.main.startsWith('/$bunfs/') || import.meta.path.startsWith('/$bunfs/');
}
