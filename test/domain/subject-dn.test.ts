import { describe, expect, test } from 'bun:test';
import { extractCommonName } from '../../src/domain/subject-dn.ts';

describe('extractCommonName', () => {
  describe('finds the CN in', () => {
    const valid = [
      'cn=host1.example.com',
      'CN=host1.example.com',
      'CN=host1.example.com,O=Acme,C=US',
      'O=Acme,CN=host1.example.com,C=US',
      'O=Acme,C=US,CN=host1.example.com',
      'CN=host1.example.com,O=Acme\\, US,C=US',
      'O=Acme\\, US,CN=host1.example.com,C=US',
      'O=Acme\\, US,C=US,CN=host1.example.com',
    ];
    for (const dn of valid) {
      test(dn, () => expect(extractCommonName(dn)).toBe('host1.example.com'));
    }
  });
  describe('finds no CN in', () => {
    const invalid = [
      '',
      'O=host1.example.com',
      'CN = host1.example.com',
      'O=Acme, CN=host1.example.com, C=US',
      'O=Acme, C=US, CN=host1.example.com',
    ];
    for (const dn of invalid) {
      test(JSON.stringify(dn), () => expect(extractCommonName(dn)).toBeNull());
    }
  });
  test('takes the first CN when there are two', () => {
    expect(extractCommonName('CN=a.example.com,CN=b.example.com')).toBe('a.example.com');
  });
});
