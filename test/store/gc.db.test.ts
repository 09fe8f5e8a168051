/** Garbage collection (spec §6; checklist §8.8) on the reference fixture, on both dialects. */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { collectGarbage } from '../../src/store/gc.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { countAllRows } from '../helpers/package-state.ts';
import { loadReferenceFixture } from '../helpers/reference-fixture.ts';

const DEFAULTS = { hostMaxAgeDays: 15, imageMaxAgeDays: 90 };

for (const kind of DIALECTS) {
  describe(`gc on ${kind}`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await createTestDatabase(kind);
      await loadReferenceFixture(t.database);
    });
    afterEach(async () => t?.drop());

    test('with every host and image just updated, deletes no catalog row (83)', async () => {
      const { hosts, images } = t.database.tables;
      await t.database.transaction(async (tx) => {
        await tx.db.update(hosts).set({ modified: new Date() });
        await tx.db.update(images).set({ modified: new Date() });
      });
      const before = await countAllRows(t.database);
      const lines = await collectGarbage(t.store, DEFAULTS);
      expect(lines).toContain(
        'Deleted 0 PackageVersion objects not referenced by any HostPackage or ImagePackage',
      );
      expect(lines).toContain('Deleted 0 Package objects not referenced by any PackageVersion');
      expect(lines).toContain('Deleted 0 SrcPackageVersion objects not referenced by any PackageVersion');
      expect(lines).toContain('Deleted 0 SrcPackage objects not referenced by any SrcPackageVersion');
      expect(await countAllRows(t.database)).toEqual(before);
    });

    test('after deleting all host packages, deletes the stale and the orphaned (84)', async () => {
      await t.database.transaction((tx) => tx.db.delete(t.database.tables.hostPackages));
      const { hosts } = t.database.tables;
      const recorded = await t.database.db.select({ name: hosts.name, modified: hosts.modified }).from(hosts);
      const lines = await collectGarbage(t.store, DEFAULTS);
      // Each deleted host and image has its own line, with its last report, before the step's total.
      const owners = lines.filter((line) => /^Deleted (Host|Image) /.test(line));
      expect(owners.filter((line) => line.startsWith('Deleted Image '))).toHaveLength(1);
      expect(owners.filter((line) => line.startsWith('Deleted Host '))).toEqual(
        recorded
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .map((host) => `Deleted Host ${host.name} (last report ${host.modified.toISOString()})`),
      );
      expect(lines.filter((line) => !owners.includes(line))).toEqual([
        'Deleted 1 Image objects not updated in the last 90 days',
        'Deleted 3 Host objects not updated in the last 15 days',
        'Deleted 0 history events (HISTORY_RETENTION_DAYS is 0: history is kept forever)',
        'Deleted 8 PackageVersion objects not referenced by any HostPackage or ImagePackage',
        'Deleted 5 Package objects not referenced by any PackageVersion',
        'Deleted 6 SrcPackageVersion objects not referenced by any PackageVersion',
        'Deleted 3 SrcPackage objects not referenced by any SrcPackageVersion',
        'Deleted 1 KernelVersion objects not referenced by any Host',
      ]);
      const after = await countAllRows(t.database);
      expect([after.images, after.hosts, after.packageVersions, after.packages]).toEqual([1, 0, 1, 1]);
      expect([after.srcPackageVersions, after.srcPackages, after.kernels, after.operatingSystems]).toEqual([
        1, 1, 0, 2,
      ]);
      expect(after.kubernetesImages).toBe(1);
    });

    test('thresholds of 0 never delete hosts or images', async () => {
      const lines = await collectGarbage(t.store, { hostMaxAgeDays: 0, imageMaxAgeDays: 0 });
      expect(lines[0]).toBe('Deleted 0 Image objects (GC_IMAGE_MAX_AGE_DAYS is 0: images are never deleted)');
      expect(lines[1]).toBe('Deleted 0 Host objects (GC_HOST_MAX_AGE_DAYS is 0: hosts are never deleted)');
      expect((await countAllRows(t.database)).hosts).toBe(3);
    });
  });
}
