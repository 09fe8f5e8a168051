/** @jsxImportSource hono/jsx */
/** `/kubernetes/`: live images by cluster and namespace. */
import { EmptyText, ListControls, ListTable, type ListView, SortHeader } from '../components/list.tsx';
import { imagePath } from '../paths.ts';

export interface KubernetesItem {
  cluster: string;
  namespace: string;
  image: string;
  os: string;
  containers: number;
  upgradeCount: number;
  securityCount: number;
}

export interface KubernetesListProps {
  list: ListView;
  rows: KubernetesItem[];
  inventoryEmpty: boolean;
}

/**
 * The swappable table. In the default order, "Cluster:" and "Namespace:" group rows head their images
 * and the rows leave those two columns out; sorted otherwise, each row names its cluster and namespace.
 */
export function KubernetesList(props: KubernetesListProps) {
  const { list } = props;
  const grouped = list.state.sort === 'default';
  const columns = grouped ? 5 : 7;
  let lastCluster: string | undefined;
  let lastNamespace: string | undefined;
  return (
    <ListTable
      list={list}
      columns={columns}
      isEmpty={props.rows.length === 0}
      empty={
        <EmptyText
          inventoryEmpty={props.inventoryEmpty}
          filtered={list.state.q !== ''}
          what="Kubernetes images"
        />
      }
      head={
        <>
          {grouped ? (
            <SortHeader list={list} sortKey="default" label="Cluster / Namespace / Image" />
          ) : (
            <>
              <SortHeader list={list} sortKey="default" label="Cluster" />
              <th scope="col">Namespace</th>
              <SortHeader list={list} sortKey="image" label="Image name" />
            </>
          )}
          <th scope="col">OS</th>
          <SortHeader list={list} sortKey="containers" label="# of containers" class="num" />
          <th scope="col" class="num">
            Upgrades
          </th>
          <th scope="col" class="num">
            Security
          </th>
        </>
      }
    >
      {props.rows.flatMap((row) => {
        const out = [];
        if (grouped && row.cluster !== lastCluster) {
          out.push(
            <tr class="group">
              <td colspan={columns}>Cluster: {row.cluster}</td>
            </tr>,
          );
          lastNamespace = undefined;
        }
        if (grouped && row.namespace !== lastNamespace) {
          out.push(
            <tr class="group">
              <td colspan={columns}>Namespace: {row.namespace}</td>
            </tr>,
          );
        }
        lastCluster = row.cluster;
        lastNamespace = row.namespace;
        out.push(
          <tr>
            {grouped ? null : (
              <>
                <td data-label="Cluster">{row.cluster}</td>
                <td data-label="Namespace">{row.namespace}</td>
              </>
            )}
            <td class="name" data-label="Image name">
              <a href={imagePath(row.image)}>{row.image}</a>
            </td>
            <td data-label="OS">{row.os}</td>
            <td class="num" data-label="# of containers">
              {row.containers}
            </td>
            <td class="num" data-label="Upgrades">
              {row.upgradeCount}
            </td>
            <td class="num" data-label="Security">
              {row.securityCount}
            </td>
          </tr>,
        );
        return out;
      })}
    </ListTable>
  );
}

/** The Kubernetes page body. */
export function KubernetesListPage(props: KubernetesListProps) {
  return (
    <>
      <ListControls list={props.list} />
      <KubernetesList {...props} />
    </>
  );
}
