/** The committed migrations match the schema files: regenerating them produces nothing new. */
import { describe, expect, test } from 'bun:test';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dir, '../..');

describe('drizzle migrations', () => {
  for (const dialect of ['sqlite', 'mysql'] as const) {
    test(`regenerating ${dialect} migrations changes nothing`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'debmonitor-drizzle-'));
      try {
        cpSync(join(ROOT, 'drizzle', dialect), join(dir, 'out'), { recursive: true });
        const configTs = join(dir, 'drizzle.config.ts');
        writeFileSync(
          configTs,
          `export default ${JSON.stringify({ dialect, schema: join(ROOT, 'src/db/schema', `${dialect}.ts`), out: relative(ROOT, join(dir, 'out')) })};`,
        );
        const before = readdirSync(join(dir, 'out')).sort();
        const run = Bun.spawnSync(
          [join(ROOT, 'node_modules/.bin/drizzle-kit'), 'generate', '--config', configTs],
          {
            cwd: ROOT,
            stdout: 'pipe',
            stderr: 'pipe',
          },
        );
        const output = `${run.stdout.toString()}${run.stderr.toString()}`;
        expect(run.exitCode).toBe(0);
        expect(output).toContain('No schema changes');
        expect(readdirSync(join(dir, 'out')).sort()).toEqual(before);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  }

  test('every journal entry is embedded for both dialects', async () => {
    const { sqliteMigrations, mysqlMigrations } = await import('../../src/db/migrations.generated.ts');
    for (const [dialect, embedded] of [
      ['sqlite', sqliteMigrations],
      ['mysql', mysqlMigrations],
    ] as const) {
      const journal = (await Bun.file(join(ROOT, 'drizzle', dialect, 'meta/_journal.json')).json()) as {
        entries: { tag: string }[];
      };
      expect(embedded.map((m) => m.tag)).toEqual(journal.entries.map((e) => e.tag));
      expect(embedded.length).toBeGreaterThan(0);
      expect(embedded.filter((m) => m.sql.trim() === '').map((m) => m.tag)).toEqual([]);
    }
  });
});
