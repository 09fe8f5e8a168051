/** @jsxImportSource hono/jsx */
/** `/search?q=…`: ranked hits (exact, then prefix, then substring), each with its kind and counts. */

import type { SearchHit } from '../../../store/read/search.ts';
import { Badge } from '../components/badges.tsx';
import { DownloadLinks, ListTable, type ListView } from '../components/list.tsx';
import { cvePath, hostPath, imagePath, kernelPath, packagePath, sourcePackagePath } from '../paths.ts';

const KINDS: Record<string, string> = {
  hosts: 'Host',
  images: 'Image',
  packages: 'Package',
  'source-packages': 'Source package',
  kernels: 'Kernel',
  'package-versions': 'Package version',
  'source-package-versions': 'Source version',
  cves: 'CVE',
};

function hrefOf(hit: SearchHit): string {
  switch (hit.group) {
    case 'hosts':
      return hostPath(hit.name);
    case 'images':
      return imagePath(hit.name);
    case 'packages':
    case 'package-versions':
      return packagePath(hit.name);
    case 'kernels':
      return kernelPath({ id: hit.id, osId: hit.osId ?? 0, slug: hit.slug ?? '' });
    case 'cves':
      return cvePath(hit.name);
    default:
      return sourcePackagePath(hit.name);
  }
}

/** What a hit shows beside its name: its counts, a kernel's release and hosts, or a version and OS. */
function Details(props: { hit: SearchHit }) {
  const { hit } = props;
  if (hit.counts) {
    const owner = hit.group === 'hosts' || hit.group === 'images';
    const count = (kind: 'installed' | 'upgrade' | 'security', value: number, word: string) => (
      <span class="count-word">
        <Badge kind={value > 0 ? kind : 'zero'} count={value} label={word} />{' '}
        <span aria-hidden="true">{word}</span>
      </span>
    );
    return (
      <span class="count-words">
        {count('installed', hit.counts.installed, owner ? 'packages' : 'installed')}
        {count('upgrade', hit.counts.upgrades, 'upgrades')}
        {count('security', hit.counts.security, 'security')}
      </span>
    );
  }
  if (hit.group === 'kernels')
    return (
      <>
        {hit.release ? <span class="mono nowrap">{hit.release}</span> : null} {hit.os} · {hit.hosts ?? 0}{' '}
        {hit.hosts === 1 ? 'host' : 'hosts'}
      </>
    );
  if (hit.version !== undefined)
    return (
      <>
        <span class="mono nowrap">{hit.version}</span> {hit.os}
      </>
    );
  return null;
}

export interface SearchProps {
  list: ListView;
  rows: SearchHit[];
  /** Set when the query is too short: the minimum length. */
  invalidMinLength?: number;
}

/** The swappable result table. */
export function SearchResults(props: SearchProps) {
  return (
    <ListTable
      list={props.list}
      columns={3}
      isEmpty={props.rows.length === 0}
      empty={
        props.invalidMinLength
          ? `Type at least ${props.invalidMinLength} characters to search.`
          : 'Nothing found.'
      }
      head={
        <>
          <th scope="col">Result</th>
          <th scope="col">Kind</th>
          <th scope="col">Counts or version</th>
        </>
      }
    >
      {props.rows.map((hit) => (
        <tr data-group={hit.group}>
          <td class="name" data-label="Result">
            <a href={hrefOf(hit)}>{hit.name}</a>
          </td>
          <td data-label="Kind">
            <span class="kind">{KINDS[hit.group] ?? hit.group}</span>
          </td>
          <td data-label="Details">
            <Details hit={hit} />
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

/** The search page body. */
export function SearchPage(props: SearchProps) {
  return (
    <>
      {props.invalidMinLength ? (
        <div class="alert alert-danger" role="alert">
          <strong>Invalid search query!</strong>
          At least {props.invalidMinLength} characters required.
        </div>
      ) : (
        <div class="controls">
          <span class="spacer" />
          <DownloadLinks list={props.list} />
        </div>
      )}
      <SearchResults {...props} />
    </>
  );
}
