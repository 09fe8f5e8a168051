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
}

export interface KubernetesListProps {
  list: ListView;
  rows: KubernetesItem[];
  inventoryEmpty: boolean;
}

/** The swappable table, with "Cluster:" and "Namespace:" group rows in the default order. */
export function KubernetesList(props: KubernetesListProps) {
  const { list } = props;
  const grouped = list.state.sort === 'default';
  let lastCluster: string | undefined;
  let lastNamespace: string | undefined;
  return (
    <ListTable
      list={list}
      columns={5}
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
          <SortHeader list={list} sortKey="default" label="Cluster" />
          <th scope="col">Namespace</th>
          <SortHeader list={list} sortKey="image" label="Image name" />
          <th scope="col">OS</th>
          <SortHeader list={list} sortKey="containers" label="# of containers" class="num" />
        </>
      }
    >
      {props.rows.flatMap((row) => {
        const out = [];
        if (grouped && row.cluster !== lastCluster) {
          out.push(
            <tr class="group">
              <td colspan={5}>Cluster: {row.cluster}</td>
            </tr>,
          );
          lastNamespace = undefined;
        }
        if (grouped && row.namespace !== lastNamespace) {
          out.push(
            <tr class="group">
              <td colspan={5}>Namespace: {row.namespace}</td>
            </tr>,
          );
        }
        lastCluster = row.cluster;
        lastNamespace = row.namespace;
        out.push(
          <tr>
            <td data-label="Cluster">{row.cluster}</td>
            <td data-label="Namespace">{row.namespace}</td>
            <td class="name" data-label="Image name">
              <a href={imagePath(row.image)}>{row.image}</a>
            </td>
            <td data-label="OS">{row.os}</td>
            <td class="num" data-label="# of containers">
              {row.containers}
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
