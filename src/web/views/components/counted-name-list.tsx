/** @jsxImportSource hono/jsx */
/** The table of the binary and source package lists: a name, its counts, its versions and OSes. */
import { EmptyText, ListTable, type ListView, SortHeader } from './list.tsx';

export interface CountedNameItem {
  name: string;
  installed: number;
  upgrades: number;
  security: number;
  versionCount: number;
  oses: string[];
  /** Binary packages: CVEs with a fix available; null without an import. */
  cves?: number | null;
}

export interface CountedNameListProps {
  list: ListView;
  rows: CountedNameItem[];
  inventoryEmpty: boolean;
}

/** How one list differs: what it lists, its name column, its links, what its counts mean. */
export interface CountedNameKind {
  /** Plural, for the empty text: "packages". */
  what: string;
  nameLabel: string;
  pathOf(name: string): string;
  /** A tooltip on the count headers. */
  countTitle?: string;
  /** Whether the list has the "Fixable CVEs" column (binary packages). */
  showsCves?: boolean;
}

/** The swappable table. */
export function CountedNameList(props: CountedNameListProps & { kind: CountedNameKind }) {
  const { list, kind } = props;
  const title = kind.countTitle;
  // Without an import there is nothing to count: the list stays as upstream's (rows' cves null).
  const showsCves = kind.showsCves === true && props.rows.some((row) => row.cves != null);
  return (
    <ListTable
      list={list}
      columns={showsCves ? 7 : 6}
      isEmpty={props.rows.length === 0}
      empty={
        <EmptyText
          inventoryEmpty={props.inventoryEmpty}
          filtered={list.state.q !== '' || list.state.filter !== 'all'}
          what={kind.what}
        />
      }
      head={
        <>
          <SortHeader list={list} sortKey="name" label={kind.nameLabel} />
          <SortHeader list={list} sortKey="installed" label="Installed" class="num" title={title} />
          <SortHeader list={list} sortKey="upgrades" label="Upgrades" class="num" title={title} />
          <SortHeader
            list={list}
            sortKey="security"
            label="Security"
            class="num"
            title={title}
            shows="descending"
          />
          <SortHeader list={list} sortKey="versions" label="# Versions" class="num" />
          {showsCves ? (
            <SortHeader
              list={list}
              sortKey="cves"
              label="Fixable CVEs"
              class="num"
              title="CVEs with a fix available for the source versions the fleet has (docs/cve.md)"
            />
          ) : null}
          <th scope="col">OSes</th>
        </>
      }
    >
      {props.rows.map((row) => (
        <tr>
          <td class="name" data-label={kind.nameLabel}>
            <a href={kind.pathOf(row.name)}>{row.name}</a>
          </td>
          <td class="num" data-label="Installed">
            {row.installed}
          </td>
          <td class="num" data-label="Upgrades">
            {row.upgrades}
          </td>
          <td class="num" data-label="Security">
            {row.security}
          </td>
          <td class="num" data-label="# Versions">
            {row.versionCount}
          </td>
          {showsCves ? (
            <td class="num" data-label="Fixable CVEs">
              {row.cves ?? '—'}
            </td>
          ) : null}
          <td data-label="OSes">{row.oses.join(', ')}</td>
        </tr>
      ))}
    </ListTable>
  );
}
