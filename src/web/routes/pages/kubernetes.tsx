/** @jsxImportSource hono/jsx */
/** `/kubernetes/`. */
import { Hono } from 'hono';
import { isInventoryEmpty } from '../../../store/read/dashboard.ts';
import { listKubernetesImages } from '../../../store/read/kubernetes.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { KUBERNETES_SPEC } from '../../list-specs.ts';
import { readListPage, readListState } from '../../list-state.ts';
import { createListView, renderFragment, renderPage, wantsListFragment } from '../../render.tsx';
import { KubernetesList, KubernetesListPage } from '../../views/pages/kubernetes.tsx';

export const kubernetesRoutes = new Hono<AppEnv>().get('/kubernetes/', requireSignIn, async (c) => {
  const database = c.var.database;
  const { state, page } = await readListPage(readListState(c.req.query(), KUBERNETES_SPEC), (options) =>
    listKubernetesImages(database, options),
  );
  const inventoryEmpty = page.total === 0 && (await isInventoryEmpty(database));
  const props = {
    list: {
      ...createListView('/kubernetes/', state, KUBERNETES_SPEC, page.total, { name: 'kubernetes' }),
      filterPlaceholder: 'Filter by cluster, namespace or image…',
    },
    rows: page.rows,
    inventoryEmpty,
  };
  if (wantsListFragment(c)) return renderFragment(c, props.list, <KubernetesList {...props} />);
  return renderPage(
    c,
    { title: 'Live Kubernetes Images', section: 'kubernetes' },
    <KubernetesListPage {...props} />,
  );
});
