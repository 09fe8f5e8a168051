/**
 * No name makes the report API answer 500, on either dialect: seeded random host, image and
 * Kubernetes reports whose names, versions, kernels, clusters and namespaces come from a pool of
 * strings that the JSON, JavaScript and the databases treat differently (trailing and leading
 * spaces, unpaired surrogates, NUL, tabs, case, Unicode normalization, quotes, the length limit),
 * and that recur across reports so that they meet rows already stored. Every report is accepted or
 * refused with 400, and a refused one changes nothing.
 */
import { beforeEach, describe, expect, test } from 'bun:test';
import { DIALECTS } from '../../../helpers/databases.ts';
import { countAllRows } from '../../../helpers/package-state.ts';
import { createRandom, type Random } from '../../../helpers/random-reports.ts';
import { type TestApp, useFreshTestApp } from '../../../helpers/test-app.ts';

/** Names the databases may confuse with each other, but must keep apart and accept. */
const STORABLE = [
  'pkg',
  ' pkg',
  'Pkg',
  'pkg\u0000',
  'pkg\t',
  'pkg\u00a0',
  'pk\ud83d\ude00',
  'p\u00e9',
  'pe\u0301',
  "o'brien",
  '"quoted"',
  'back\\slash',
  '<b>bold</b>',
  '%2F',
  'x'.repeat(255),
];
/** Names that must be refused: MariaDB would take them for another name, or none can store them. */
const REFUSED = ['pkg ', 'pk\ud800', 'pk\udfff', 'x'.repeat(256), ''];

const pick = <T>(random: Random, values: readonly T[]): T => values[random.int(values.length)] as T;

/** Mostly a storable name, sometimes one to refuse (a report has about ten names). */
const nameOf = (random: Random) => pick(random, random.chance(0.04) ? REFUSED : STORABLE);

function packageLists(random: Random) {
  const name = () => nameOf(random);
  return {
    installed: Array.from({ length: random.int(5) }, () => ({
      name: name(),
      version: random.chance(0.5) ? '1.0' : nameOf(random),
      source: name(),
    })),
    uninstalled: Array.from({ length: random.int(2) }, () => ({ name: name() })),
    upgradable: Array.from({ length: random.int(3) }, () => ({
      name: name(),
      version_from: '1.0',
      version_to: random.chance(0.9) ? '2.0' : pick(random, REFUSED),
      source: name(),
      type: pick(random, ['security', 'security', '', null, 'security ']),
    })),
  };
}

/** A random request: its path, its JSON body and the statuses it may get. */
function randomRequest(random: Random): { path: string; body: string; allowed: number[] } {
  const roll = random.int(10);
  const updateType = pick(random, ['full', 'dpkg_hook', 'upgradable']);
  if (roll < 7) {
    // 256 characters do not fit the column (MariaDB used to answer 500).
    const host = pick(random, ['h1.example.org', 'h2.example.org', 'h'.repeat(255), 'h'.repeat(256)]);
    const report = {
      hostname: host,
      os: 'Debian 12',
      running_kernel: {
        release: pick(random, ['6.1', '6.1', '6.1 ', 'r\udc00']),
        version: nameOf(random),
      },
      update_type: updateType,
      ...packageLists(random),
    };
    return { path: `/hosts/${host}/update`, body: JSON.stringify(report), allowed: [201, 400] };
  }
  if (roll < 9) {
    const image = pick(random, ['img1', 'img1', 'i'.repeat(255), 'i'.repeat(256)]);
    const report = { image_name: image, os: 'Debian 12', update_type: updateType, ...packageLists(random) };
    return { path: `/images/${image}/update`, body: JSON.stringify(report), allowed: [201, 400] };
  }
  const report = {
    cluster: random.chance(0.3) ? pick(random, REFUSED) : nameOf(random),
    images: {
      img1: { [random.chance(0.3) ? pick(random, REFUSED) : nameOf(random)]: 1 + random.int(3), ns: 2 },
    },
  };
  return { path: '/kubernetes/update', body: JSON.stringify(report), allowed: [201, 202, 400] };
}

for (const kind of DIALECTS) {
  describe(`report API with nasty names on ${kind}`, () => {
    let t: TestApp;
    const freshApp = useFreshTestApp({ kind });
    beforeEach(() => {
      t = freshApp();
    });

    test('every report is accepted or refused with 400, and a refused one changes nothing', async () => {
      const random = createRandom(20261127);
      const statuses = new Map<number, number>();
      for (let i = 0; i < 150; i++) {
        const { path, body, allowed } = randomRequest(random);
        const before = await countAllRows(t.database);
        const response = await t.request(path, { method: 'POST', body });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        // The request goes into the failure message, so that a 500 shows what caused it.
        expect({ i, body: body.slice(0, 300), text, allowed: allowed.includes(response.status) }).toEqual({
          i,
          body: body.slice(0, 300),
          text,
          allowed: true,
        });
        if (response.status === 400) expect(await countAllRows(t.database)).toEqual(before);
      }
      // The pool must exercise both outcomes, or the test proves nothing.
      expect(statuses.get(201) ?? 0).toBeGreaterThan(10);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
    }, 120_000);
  });
}
