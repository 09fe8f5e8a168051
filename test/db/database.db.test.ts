/** The data layer on both dialects: the same assertions against SQLite and MariaDB. */

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eq, sql } from 'drizzle-orm';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { lockNameFor } from '../../src/db/mysql-database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import type { SqlRunner } from '../../src/db/sql-runner.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';

const now = () => new Date();

for (const kind of DIALECTS) {
  describe(`database on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
    });
    afterAll(async () => {
      await t?.drop();
    });

    test('migrating again applies nothing', async () => {
      expect(await migrate(t.database)).toEqual([]);
      expect(listMigrations(t.database).length).toBeGreaterThan(0);
    });

    test('a named lock has one holder at a time, taken and released on one connection', async () => {
      const other = await openDatabase(t.url);
      try {
        const name = `debmonitor_test_lock_${process.pid}`;
        const held = await t.database.withNamedLock(name, 5, async () => {
          // MySQL: another connection cannot take it meanwhile; SQLite needs no lock and runs at once.
          const second = other.withNamedLock(name, 0, async () => 'second');
          if (kind === 'mysql') await expect(second).rejects.toThrow(`waiting for the lock '${name}'`);
          else expect(await second).toBe('second');
          return 'first';
        });
        expect(held).toBe('first');
        // Released when the work ended, whichever pooled connection runs next.
        expect(await other.withNamedLock(name, 0, async () => 'again')).toBe('again');
        if (kind === 'mysql') {
          const onServer = lockNameFor(name, decodeURIComponent(new URL(t.url).pathname.slice(1)));
          const rows = await t.database.sql.select<{ free: number }>('SELECT IS_FREE_LOCK(?) AS free', [
            onServer,
          ]);
          expect(Number(rows[0]?.free)).toBe(1);
        }
      } finally {
        await other.close();
      }
    });

    test('names compare case-sensitively', async () => {
      const { packages } = t.database.tables;
      await t.database.transaction(async (tx) => {
        await tx.db.insert(packages).values([{ name: 'Foo' }, { name: 'foo' }]);
      });
      const rows = await t.database.db.select().from(packages).where(eq(packages.name, 'foo'));
      expect(rows.map((row) => row.name)).toEqual(['foo']);
    });

    test('a failing transaction leaves nothing behind', async () => {
      const { srcPackages } = t.database.tables;
      const attempt = t.database.transaction(async (tx) => {
        await tx.db.insert(srcPackages).values({ name: 'rolled-back' });
        throw new Error('boom');
      });
      await expect(attempt).rejects.toThrow('boom');
      const rows = await t.database.db.select().from(srcPackages).where(eq(srcPackages.name, 'rolled-back'));
      expect(rows).toEqual([]);
    });

    test('timestamps round-trip with millisecond precision in UTC', async () => {
      const { operatingSystems, kernels } = t.database.tables;
      const stamp = new Date('2019-10-19T14:10:09.483Z');
      await t.database.transaction(async (tx) => {
        await tx.db.insert(operatingSystems).values({ name: 'Debian 11' });
        const [os] = await tx.db
          .select()
          .from(operatingSystems)
          .where(eq(operatingSystems.name, 'Debian 11'));
        await tx.db
          .insert(kernels)
          .values({ name: 'k1', slug: 'k1', osId: os!.id, created: stamp, modified: stamp });
      });
      const [kernel] = await t.database.db.select().from(kernels).where(eq(kernels.name, 'k1'));
      expect(kernel!.modified.toISOString()).toBe('2019-10-19T14:10:09.483Z');
    });

    test('foreign keys restrict deleting a referenced row and cascade host packages', async () => {
      const {
        operatingSystems,
        kernels,
        hosts,
        packages,
        srcPackages,
        srcPackageVersions,
        packageVersions,
        hostPackages,
      } = t.database.tables;
      const stamp = now();
      await t.database.transaction(async (tx) => {
        const [os] = await tx.db
          .select()
          .from(operatingSystems)
          .where(eq(operatingSystems.name, 'Debian 11'));
        const [kernel] = await tx.db.select().from(kernels).where(eq(kernels.name, 'k1'));
        await tx.db
          .insert(hosts)
          .values({ name: 'h1', osId: os!.id, kernelId: kernel!.id, created: stamp, modified: stamp });
        await tx.db.insert(packages).values({ name: 'p1' });
        await tx.db.insert(srcPackages).values({ name: 's1' });
        const [src] = await tx.db.select().from(srcPackages).where(eq(srcPackages.name, 's1'));
        await tx.db
          .insert(srcPackageVersions)
          .values({ srcPackageId: src!.id, version: '1', osId: os!.id, created: stamp, modified: stamp });
        const [srcVersion] = await tx.db.select().from(srcPackageVersions);
        const [pkg] = await tx.db.select().from(packages).where(eq(packages.name, 'p1'));
        await tx.db.insert(packageVersions).values({
          packageId: pkg!.id,
          version: '1',
          osId: os!.id,
          srcPackageVersionId: srcVersion!.id,
          created: stamp,
          modified: stamp,
        });
        const [version] = await tx.db.select().from(packageVersions);
        const [host] = await tx.db.select().from(hosts).where(eq(hosts.name, 'h1'));
        await tx.db.insert(hostPackages).values({
          hostId: host!.id,
          packageId: pkg!.id,
          packageVersionId: version!.id,
          created: stamp,
          modified: stamp,
        });
      });
      await expect(t.database.transaction((tx) => tx.db.delete(packageVersions))).rejects.toThrow();
      await expect(t.database.transaction((tx) => tx.db.delete(kernels))).rejects.toThrow();
      await t.database.transaction((tx) => tx.db.delete(hosts).where(eq(hosts.name, 'h1')));
      expect(await t.database.db.select().from(hostPackages)).toEqual([]);
      expect((await t.database.db.select().from(kernels)).length).toBe(1);
    });

    test('the Kubernetes container count cannot be negative', async () => {
      const { kubernetesImages } = t.database.tables;
      const insert = t.database.transaction((tx) =>
        tx.db.insert(kubernetesImages).values({
          cluster: 'c',
          namespace: 'n',
          imageId: 1,
          containers: -1,
          created: now(),
          modified: now(),
        }),
      );
      await expect(insert).rejects.toThrow();
    });

    test('case-insensitive containment treats LIKE wildcards literally', async () => {
      const { packages } = t.database.tables;
      const { spelling } = t.database;
      await t.database.transaction(async (tx) => {
        await tx.db.insert(packages).values([{ name: 'LibFoo_Bar' }, { name: 'libfooXbar' }]);
      });
      const hits = await t.database.db
        .select({ name: packages.name })
        .from(packages)
        .where(spelling.containsIgnoringCase(packages.name, 'foo_b'));
      expect(hits.map((row) => row.name)).toEqual(['LibFoo_Bar']);
    });

    test('upsert inserts new rows and updates conflicting ones', async () => {
      const { operatingSystems, kernels } = t.database.tables;
      const [os] = await t.database.db
        .select()
        .from(operatingSystems)
        .where(eq(operatingSystems.name, 'Debian 11'));
      const stamp = new Date('2030-01-01T00:00:00.000Z');
      await t.database.transaction((tx) =>
        tx.upsert(
          kernels,
          [
            { name: 'k1', slug: 'k1', release: 'r-new', osId: os!.id, created: stamp, modified: stamp },
            { name: 'k2', slug: 'k2', release: 'r2', osId: os!.id, created: stamp, modified: stamp },
          ],
          [kernels.name, kernels.osId],
          [kernels.release, kernels.modified],
        ),
      );
      const rows = await t.database.db.select().from(kernels).orderBy(kernels.name);
      expect(rows.map((row) => [row.name, row.release, row.modified.getUTCFullYear()])).toEqual([
        ['k1', 'r-new', 2030],
        ['k2', 'r2', 2030],
      ]);
      await t.database.transaction((tx) =>
        tx.insertIgnore(kernels, [{ name: 'k2', slug: 'x', osId: os!.id, created: stamp, modified: stamp }]),
      );
      const [k2] = await t.database.db.select().from(kernels).where(eq(kernels.name, 'k2'));
      expect(k2!.slug).toBe('k2');
    });

    test('raw rows come back as objects', async () => {
      const rows = await t.database.sql.selectSql<{ one: number }>(sql`SELECT 1 AS one`);
      expect(Number(rows[0]?.one)).toBe(1);
    });

    if (kind === 'sqlite') {
      test('reads go through a read-only connection', async () => {
        const { packages } = t.database.tables;
        await expect(
          Promise.resolve().then(() => t.database.db.insert(packages).values({ name: 'x' })),
        ).rejects.toThrow(/readonly/i);
      });
    }

    if (kind === 'mysql') {
      test('transactions run at the isolation level they name, REPEATABLE READ when they name none', async () => {
        const count = (runner: SqlRunner) =>
          runner
            .select<{ n: number }>("SELECT count(*) AS n FROM packages WHERE name LIKE 'iso-%'")
            .then((rows) => Number(rows[0]?.n));
        let inserted = 0;
        // The level a transaction ran at, by what it sees: under READ COMMITTED a row another
        // connection commits between two reads shows in the second; under REPEATABLE READ it does not.
        const levelSeen = (isolation?: 'read committed' | 'repeatable read') =>
          t.database.transaction(
            async (tx) => {
              const before = await count(tx.sql);
              await t.database.db.insert(t.database.tables.packages).values({ name: `iso-${inserted++}` });
              return (await count(tx.sql)) > before ? 'READ COMMITTED' : 'REPEATABLE READ';
            },
            isolation ? { isolation } : undefined,
          );
        // Reports' level is every connection's default, so their transactions need no SET statement.
        const defaults = await t.database.sql.select<{ level: string }>('SELECT @@tx_isolation AS level', []);
        expect(defaults[0]?.level).toBe('READ-COMMITTED');
        expect(await levelSeen('read committed')).toBe('READ COMMITTED');
        expect(await levelSeen('repeatable read')).toBe('REPEATABLE READ');
        expect(await levelSeen()).toBe('REPEATABLE READ');
        // A level named for one transaction does not stay on its connection.
        const after = [];
        for (let i = 0; i < 12; i++) after.push(await levelSeen('read committed'));
        expect(new Set(after)).toEqual(new Set(['READ COMMITTED']));
      });
    }
  });
}
