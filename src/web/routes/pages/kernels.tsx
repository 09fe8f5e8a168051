/** @jsxImportSource hono/jsx */
/** `/kernels/`, `/kernels/<os_id>_<slug>` and `/kernels/id/<id>`. */
import { type Context, Hono } from 'hono';
import { parseId } from '../../../lib/parse-id.ts';
import { isInventoryEmpty } from '../../../store/read/dashboard.ts';
import {
  findKernelById,
  findKernelBySlug,
  type KernelDetail,
  listKernelHosts,
  listKernels,
} from '../../../store/read/kernels.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { KERNEL_HOSTS_SPEC, KERNELS_SPEC } from '../../list-specs.ts';
import { readListPage, readListState } from '../../list-state.ts';
import { createListView, readClock, renderFragment, renderPage, wantsListFragment } from '../../render.tsx';
import { KernelDetailPage, KernelHostList, KernelList, KernelListPage } from '../../views/pages/kernels.tsx';
import { kernelPath } from '../../views/paths.ts';
import { renderNotFound } from './not-found.tsx';

async function kernelPage(c: Context<AppEnv>, kernel: KernelDetail | null) {
  if (!kernel) return renderNotFound(c);
  const { state, page } = await readListPage(readListState(c.req.query(), KERNEL_HOSTS_SPEC), (options) =>
    listKernelHosts(c.var.database, kernel.id, options),
  );
  const props = {
    list: {
      ...createListView(kernelPath(kernel), state, KERNEL_HOSTS_SPEC, page.total, {
        name: 'kernel-hosts',
        params: { kernel: String(kernel.id) },
      }),
      filterPlaceholder: 'Filter by hostname…',
    },
    rows: page.rows,
    clock: readClock(c),
  };
  if (wantsListFragment(c)) return renderFragment(c, props.list, <KernelHostList {...props} />);
  return renderPage(
    c,
    { title: kernel.name, subtitle: 'Kernel', section: 'kernels' },
    <KernelDetailPage {...props} kernel={kernel} />,
  );
}

export const kernelRoutes = new Hono<AppEnv>()
  .get('/kernels/', requireSignIn, async (c) => {
    const database = c.var.database;
    const { state, page } = await readListPage(readListState(c.req.query(), KERNELS_SPEC), (options) =>
      listKernels(database, options),
    );
    const inventoryEmpty = page.total === 0 && (await isInventoryEmpty(database));
    const props = {
      list: {
        ...createListView('/kernels/', state, KERNELS_SPEC, page.total, { name: 'kernels' }),
        filterPlaceholder: 'Filter by kernel…',
      },
      rows: page.rows,
      inventoryEmpty,
    };
    if (wantsListFragment(c)) return renderFragment(c, props.list, <KernelList {...props} />);
    return renderPage(c, { title: 'Kernels', section: 'kernels' }, <KernelListPage {...props} />);
  })
  .get('/kernels/id/:id{[0-9]+}', requireSignIn, async (c) =>
    kernelPage(c, await findKernelById(c.var.database, parseId(c.req.param('id')))),
  )
  .get('/kernels/:key{[0-9]+_[-a-zA-Z0-9_]+}', requireSignIn, async (c) => {
    const key = c.req.param('key');
    const underscore = key.indexOf('_');
    const osId = parseId(key.slice(0, underscore));
    if (osId === null) return renderNotFound(c);
    return kernelPage(c, await findKernelBySlug(c.var.database, osId, key.slice(underscore + 1)));
  });
