import { describe, expect, test } from 'bun:test';
import { expandHostLinks, expandImageLinks, extractImagePath } from '../../src/domain/external-links.ts';

describe('extractImagePath', () => {
  test('drops the registry host and the tag', () => {
    expect(extractImagePath('registry.example.com/component/image-name:1.2.3-1')).toBe(
      'component/image-name',
    );
  });
  test('a registry port is not a tag', () => {
    expect(extractImagePath('registry:5000/component/image')).toBe('component/image');
  });
  test('a name without / keeps its path, minus the tag (spec §9 item 15)', () => {
    expect(extractImagePath('debian:bookworm')).toBe('debian');
    expect(extractImagePath('debian')).toBe('debian');
  });
});

describe('external links', () => {
  test('hosts get {fqdn} and {hostname}', () => {
    expect(
      expandHostLinks({ Inv: 'https://inv/{fqdn}', Other: 'https://o/?q={hostname}' }, 'host1.example.com'),
    ).toEqual([
      ['Inv', 'https://inv/host1.example.com'],
      ['Other', 'https://o/?q=host1'],
    ]);
  });
  test('images get {fqdn} and {image_path}; unknown placeholders stay', () => {
    expect(expandImageLinks({ Reg: 'https://reg/{image_path}/{x}' }, 'r.example/a/b:1')).toEqual([
      ['Reg', 'https://reg/a/b/{x}'],
    ]);
  });
});
