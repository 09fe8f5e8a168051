/** @jsxImportSource hono/jsx */
/** `/search?q=…`: hits in seven groups. */

import type { SearchHit } from '../../../store/read/search.ts';
import { DownloadLinks, ListTable, type ListView } from '../components/list.tsx';
import { hostPath, imagePath, kernelPath, packagePath, sourcePackagePath } from '../paths.ts';

const GROUP_TITLES: Record<string, string> = {
  hosts: 'Hosts',
  images: 'Images',
  packages: 'Packages',
  'source-packages': 'Source Packages',
  kernels: 'Kernels',
  'package-versions': 'Package Versions',
  'source-package-versions': 'Source Package Versions',
};

function linkOf(hit: SearchHit): [href: string, text: string] {
  switch (hit.group) {
    case 'hosts':
      return [hostPath(hit.name), hit.name];
    case 'images':
      return [imagePath(hit.name), hit.name];
    case 'packages':
      return [packagePath(hit.name), hit.name];
    case 'source-packages':
      return [sourcePackagePath(hit.name), hit.name];
    case 'kernels':
      return [kernelPath({ id: hit.id, osId: hit.osId ?? 0, slug: hit.slug ?? '' }), hit.name];
    case 'package-versions':
      return [packagePath(hit.name), `${hit.name} (${hit.version} - ${hit.os})`];
    default:
      return [sourcePackagePath(hit.name), `${hit.name} (${hit.version} - ${hit.os})`];
  }
}

export interface SearchProps {
  list: ListView;
  rows: SearchHit[];
  /** Set when the query is too short: the minimum length. */
  invalidMinLength?: number;
}

/** The swappable result table. */
export function SearchResults(props: SearchProps) {
  let lastGroup: string | undefined;
  return (
    <ListTable
      list={props.list}
      columns={1}
      isEmpty={props.rows.length === 0}
      empty={props.invalidMinLength ? 'No search done.' : 'Nothing found.'}
      head={<th scope="col">Result</th>}
    >
      {props.rows.flatMap((hit) => {
        const [href, text] = linkOf(hit);
        const out = [];
        if (hit.group !== lastGroup) {
          out.push(
            <tr class="group" data-group={hit.group}>
              <td>{GROUP_TITLES[hit.group] ?? hit.group}</td>
            </tr>,
          );
        }
        lastGroup = hit.group;
        out.push(
          <tr data-group={hit.group}>
            <td class="name" data-label="">
              <a href={href}>{text}</a>
            </td>
          </tr>,
        );
        return out;
      })}
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
