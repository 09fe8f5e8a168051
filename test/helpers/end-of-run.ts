/**
 * Work for the end of the test run (the preload's afterAll runs it after the last file): a helper
 * registers here what it made once per process, such as the MariaDB template of createTestDatabase.
 * Kept apart from those helpers so that the preload loads nothing heavy for tests that need none.
 */
const tasks: (() => Promise<void>)[] = [];

export function atEndOfRun(task: () => Promise<void>): void {
  tasks.push(task);
}

export async function runEndOfRun(): Promise<void> {
  for (const task of tasks.splice(0)) await task();
}
