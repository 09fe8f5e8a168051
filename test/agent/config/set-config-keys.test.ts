import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/agent/config/load-config.ts';
import { addMissingConfigKeys } from '../../../src/agent/config/set-config-keys.ts';

const directory = mkdtempSync(join(tmpdir(), 'set-config-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

test('adds only the missing keys, at the end of [DEFAULT], before the next section', () => {
  const path = join(directory, 'a.conf');
  writeFileSync(path, '# mine\n[DEFAULT]\nserver=keep.example.org\n\n[other]\ncert=ignored\n', {
    mode: 0o640,
  });
  expect(
    addMissingConfigKeys(path, [
      ['server', 'new'],
      ['cert', '/c.pem'],
    ]),
  ).toEqual(['cert=/c.pem']);
  const text = readFileSync(path, 'utf8');
  expect(text).toBe(
    '# mine\n[DEFAULT]\nserver=keep.example.org\n\n# Added by debmonitor --enroll\ncert=/c.pem\n\n[other]\ncert=ignored\n',
  );
  expect(loadConfig(path).get('cert')).toBe('/c.pem');
  expect(statSync(path).mode & 0o777).toBe(0o640);
});

test('creates the file when there is none, and changes nothing when every key is set', () => {
  const path = join(directory, 'new.conf');
  expect(addMissingConfigKeys(path, [['server', 's.example.org']])).toEqual(['server=s.example.org']);
  expect(loadConfig(path).get('server')).toBe('s.example.org');
  const before = readFileSync(path, 'utf8');
  expect(addMissingConfigKeys(path, [['server', 'other']])).toEqual([]);
  expect(readFileSync(path, 'utf8')).toBe(before);
});
