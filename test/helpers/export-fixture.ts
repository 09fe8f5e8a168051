/**
 * Rows for the export tests, on top of the reference fixture and 30 fleet hosts: names that CSV must
 * quote or guard (comma, quote, line break, leading `=`/`-`/`+`/`@`, tab), Debian versions whose
 * order is not the text order, ties in every sort, a second OS and kernel, and more Kubernetes rows.
 * Inserted directly (no ingest), so the counts are whatever the rows say.
 */
import type { Database } from '../../src/db/open-database.ts';
import { addFleetHosts } from './extra-rows.ts';
import { loadReferenceFixture } from './reference-fixture.ts';

const STAMP = new Date('2024-03-04T05:06:07.089Z');
const stamps = { created: STAMP, modified: STAMP };

/** Package names (ids 300…) and the versions of each (ids from 300, in this order). */
const PACKAGES: [string, string[]][] = [
  ['a,comma', ['1.0~rc1', '1.0', '1:0.5-1']],
  ['b"quote', ['2.0-1,2', '10.0']],
  ['=formula', ['1.0+b1']],
  ['-minus', ['0.9']],
  ['+plus', ['0.9']],
  ['@at', ['1.0-1"q', '1.0-2']],
  ['new\nline', ['3']],
  ['ünïcode', ['1.0']],
  ['tab\tname', ['7.1-1']],
  ['zz-last', ['1.0', '1.1']],
];

/** The reference fixture, 30 fleet hosts and the rows above. */
export async function loadExportFixture(database: Database): Promise<void> {
  await loadReferenceFixture(database);
  await addFleetHosts(database, 30);
  const t = database.tables;
  await database.transaction(async (tx) => {
    await tx.db.insert(t.kernels).values([
      { id: 2, name: 'os2-200-1', slug: 'os2-200-1', osId: 2, release: '6.8.0-1', ...stamps },
      { id: 3, name: 'os1-050-1', slug: 'os1-050-1', osId: 1, release: null, ...stamps },
      { id: 4, name: 'a,kernel "x"', slug: 'a-kernel-x', osId: 1, release: '=1', ...stamps },
    ]);
    await tx.db.insert(t.hosts).values(
      ['ubuntu-2.example.org', 'ubuntu-1.example.org', '=evil,"host"'].map((name, index) => ({
        id: 200 + index,
        name,
        osId: 2,
        kernelId: index === 2 ? 3 : 2,
        packageCount: 3,
        upgradeCount: index,
        securityCount: index === 0 ? 1 : 0,
        // History and CVE facts (docs/history.md, docs/cve.md) for the exports' last columns.
        securitySince: index === 0 ? new Date(STAMP.getTime() - 86_400_000) : null,
        lastUpgraded: index === 1 ? new Date(STAMP.getTime() - 3_600_000) : null,
        cveFixable: index === 0 ? 5 : 0,
        cveUrgent: index === 0 ? 2 : 0,
        created: STAMP,
        modified: new Date(STAMP.getTime() - index * 1000),
      })),
    );
    await tx.db.insert(t.images).values([
      {
        id: 3,
        name: 'registry.example.com/x,y:"1"',
        osId: 2,
        packageCount: 3,
        upgradeCount: 1,
        securityCount: 0,
        lastUpgraded: new Date(STAMP.getTime() - 7_200_000),
        cveFixable: 1,
        cveUrgent: 0,
        ...stamps,
      },
    ]);
    const sources: { id: number; name: string }[] = [];
    const sourceVersions: { id: number; srcPackageId: number; version: string; osId: number }[] = [];
    const packages: { id: number; name: string }[] = [];
    const versions: { id: number; packageId: number; version: string; osId: number; srcId: number }[] = [];
    let versionId = 300;
    PACKAGES.forEach(([name, list], index) => {
      const id = 300 + index;
      // Two binaries share source 300, so source versions have several binaries.
      const sourceId = index === 1 ? 300 : id;
      if (index !== 1) sources.push({ id, name: `src-${name}` });
      packages.push({ id, name });
      list.forEach((version, k) => {
        const osId = k === 2 ? 2 : 1;
        sourceVersions.push({ id: versionId, srcPackageId: sourceId, version, osId });
        versions.push({ id: versionId, packageId: id, version, osId, srcId: versionId });
        versionId++;
      });
    });
    await tx.db.insert(t.srcPackages).values(sources);
    await tx.db.insert(t.srcPackageVersions).values(sourceVersions.map((row) => ({ ...row, ...stamps })));
    await tx.db.insert(t.packages).values(packages);
    await tx.db
      .insert(t.packageVersions)
      .values(versions.map(({ srcId, ...row }) => ({ ...row, srcPackageVersionId: srcId, ...stamps })));
    const firstVersion = (packageId: number) => versions.find((v) => v.packageId === packageId)?.id ?? 0;
    const secondVersion = (packageId: number) =>
      versions.filter((v) => v.packageId === packageId)[1]?.id ?? null;
    const types = ['security', 'bugfix', '', null];
    // host 1 and the Ubuntu hosts get every new package, a third of the fleet hosts the first one.
    const rows: { ownerId: number; packageId: number; upgrade: boolean; type: string | null }[] = [];
    for (const ownerId of [1, 200, 201, 202])
      packages.forEach((pkg, index) => {
        const upgrade = secondVersion(pkg.id) !== null && (index + ownerId) % 2 === 0;
        rows.push({ ownerId, packageId: pkg.id, upgrade, type: upgrade ? (types[index % 4] ?? null) : null });
      });
    for (let host = 100; host < 130; host += 3)
      rows.push({ ownerId: host, packageId: 300, upgrade: true, type: 'security' });
    await tx.db.insert(t.hostPackages).values(
      rows.map(({ ownerId, packageId, upgrade, type }) => ({
        hostId: ownerId,
        packageId,
        packageVersionId: firstVersion(packageId),
        upgradablePackageId: upgrade ? packageId : null,
        upgradableVersionId: upgrade ? secondVersion(packageId) : null,
        upgradeType: type,
        ...stamps,
      })),
    );
    await tx.db.insert(t.imagePackages).values(
      [300, 301, 305, 309].map((packageId, index) => ({
        imageId: index === 3 ? 1 : 3,
        packageId,
        packageVersionId: index === 0 ? (secondVersion(packageId) ?? 0) : firstVersion(packageId),
        upgradablePackageId: index === 1 ? packageId : null,
        upgradableVersionId: index === 1 ? secondVersion(packageId) : null,
        upgradeType: index === 1 ? 'bugfix' : null,
        ...stamps,
      })),
    );
    await tx.db.insert(t.kubernetesImages).values(
      [
        ['ClusterB', 'ns,1', 3, 2],
        ['ClusterB', 'ns,1', 1, 5],
        ['Cluster"C', 'default', 2, 2],
        ['ClusterA', 'NamespaceB', 3, 0],
      ].map(([cluster, namespace, imageId, containers], index) => ({
        id: 10 + index,
        cluster: cluster as string,
        namespace: namespace as string,
        imageId: imageId as number,
        containers: containers as number,
        ...stamps,
      })),
    );
  });
}

/**
 * Every export the golden file covers, as `<list>?<query>`: each list with each sort, direction and
 * filter.
 */
export function exportGoldenPaths(): string[] {
  const paths: string[] = [];
  const add = (list: string, sorts: string[], extra: string[], filters: boolean) => {
    for (const sort of sorts)
      for (const direction of ['', '-'])
        for (const query of extra) {
          const params = new URLSearchParams(query);
          if (sort) params.set('sort', `${direction}${sort}`);
          else if (direction) continue;
          paths.push(`${list}?${params}`);
          if (filters && sort === sorts[0] && direction === '')
            for (const filter of ['upgradable', 'security']) {
              params.set('filter', filter);
              paths.push(`${list}?${params}`);
            }
        }
  };
  const inventory = ['', 'name', 'os', 'modified', 'packages', 'upgrades', 'security'];
  add('hosts', inventory, ['', 'q=EXAMPLE'], true);
  add('images', inventory, ['', 'q=x,y'], true);
  add('kernels', ['', 'name', 'hosts'], ['', 'q=OS1'], false);
  add('packages', ['', 'name', 'installed', 'upgrades', 'security', 'versions'], ['', 'q=a'], true);
  add('source-packages', ['', 'name', 'installed', 'upgrades', 'security', 'versions'], ['', 'q=SRC'], true);
  add('kubernetes', ['', 'image', 'containers'], ['', 'q=ns,'], false);
  const ownerPackages = ['', 'name', 'version', 'upgrade'];
  add('host-packages', ownerPackages, ['host=host1.example.com', 'host=host1.example.com&q=A'], true);
  add('host-packages', ['', 'version'], ['host=ubuntu-1.example.org'], true);
  add('image-packages', ownerPackages, ['image=registry.example.com/x,y:"1"'], true);
  add(
    'package-installations',
    ['', 'name'],
    ['package=package2', 'package=a,comma', 'package=a,comma&q=1'],
    true,
  );
  add('package-installations', ['', 'name'], ['package=nodejs'], false);
  add('kernel-hosts', ['', 'modified'], ['kernel=1', 'kernel=1&q=FLEET-01', 'kernel=2'], false);
  add('source-package-versions', ['', 'version'], ['package=src-a,comma', 'package=package1'], false);
  add('search', [''], ['q=example', 'q=1.0', 'q=a,comma', 'q=os1', 'q=zz-'], false);
  return paths;
}
