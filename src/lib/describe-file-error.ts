/** Turns a Node file-system error into the short strerror text an operator knows (`No such file or directory`). */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const messages: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EACCES: 'Permission denied',
    EPERM: 'Operation not permitted',
    EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory',
  };
  return (code && messages[code]) ?? (error instanceof Error ? error.message : String(error));
}
