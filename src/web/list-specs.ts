/** The sort keys and defaults of every list, shared by the pages and their exports. */

import { EVENT_KINDS, PACKAGE_CHANGE_KINDS } from '../domain/package-events.ts';
import { CVE_OWNER_SORTS, CVE_SORTS } from '../store/read/cves.ts';
import { INVENTORY_SORTS } from '../store/read/inventory-list.ts';
import { INVENTORY_PACKAGE_SORTS } from '../store/read/inventory-packages.ts';
import { KERNEL_HOST_SORTS, KERNEL_SORTS } from '../store/read/kernels.ts';
import { KUBERNETES_SORTS } from '../store/read/kubernetes.ts';
import { INSTALLATION_SORTS, PACKAGE_SORTS } from '../store/read/packages.ts';
import { SOURCE_PACKAGE_SORTS } from '../store/read/source-packages.ts';
import type { ListSpec } from './list-state.ts';

export const INVENTORY_SPEC: ListSpec<(typeof INVENTORY_SORTS)[number]> = {
  sorts: INVENTORY_SORTS,
  defaultSort: 'default',
  descendingFirst: ['packages', 'upgrades', 'security', 'modified', 'patched', 'cves'],
  upgradeFilter: true,
  exposureFilter: true,
  cveFilter: true,
};

/** The hosts list: the inventory's sorts and filters, plus reboot and liveness filters. */
export const HOSTS_SPEC: ListSpec<(typeof INVENTORY_SORTS)[number]> = { ...INVENTORY_SPEC, hostFilter: true };

export const INVENTORY_PACKAGES_SPEC: ListSpec<(typeof INVENTORY_PACKAGE_SORTS)[number]> = {
  sorts: INVENTORY_PACKAGE_SORTS,
  defaultSort: 'default',
  upgradeFilter: true,
};

export const KERNELS_SPEC: ListSpec<(typeof KERNEL_SORTS)[number]> = {
  sorts: KERNEL_SORTS,
  defaultSort: 'default',
  descendingFirst: ['hosts'],
};

export const KERNEL_HOSTS_SPEC: ListSpec<(typeof KERNEL_HOST_SORTS)[number]> = {
  sorts: KERNEL_HOST_SORTS,
  defaultSort: 'name',
  descendingFirst: ['modified'],
};

export const PACKAGES_SPEC: ListSpec<(typeof PACKAGE_SORTS)[number]> = {
  sorts: PACKAGE_SORTS,
  defaultSort: 'default',
  descendingFirst: ['installed', 'upgrades', 'security', 'versions', 'cves'],
  upgradeFilter: true,
};

export const INSTALLATIONS_SPEC: ListSpec<(typeof INSTALLATION_SORTS)[number]> = {
  sorts: INSTALLATION_SORTS,
  defaultSort: 'default',
  upgradeFilter: true,
};

export const SOURCE_PACKAGES_SPEC: ListSpec<(typeof SOURCE_PACKAGE_SORTS)[number]> = {
  sorts: SOURCE_PACKAGE_SORTS,
  defaultSort: 'default',
  descendingFirst: ['installed', 'upgrades', 'security', 'versions'],
  upgradeFilter: true,
};

export const SOURCE_VERSIONS_SPEC: ListSpec<'default' | 'version'> = {
  sorts: ['default', 'version'],
  defaultSort: 'default',
};

export const KUBERNETES_SPEC: ListSpec<(typeof KUBERNETES_SORTS)[number]> = {
  sorts: KUBERNETES_SORTS,
  defaultSort: 'default',
  descendingFirst: ['containers'],
};

/** A host's or image's timeline (docs/history.md): newest first, filtered by package and kind. */
export const TIMELINE_SPEC: ListSpec<'default'> = {
  sorts: ['default'],
  defaultSort: 'default',
  eventFilter: EVENT_KINDS,
};

/** The fleet's "what changed" page: groups with the most hosts first, filtered by kind. */
export const CHANGES_SPEC: ListSpec<'default'> = {
  sorts: ['default'],
  defaultSort: 'default',
  eventFilter: PACKAGE_CHANGE_KINDS,
};

export const SEARCH_SPEC: ListSpec<'default'> = { sorts: ['default'], defaultSort: 'default' };

/** `/cves/` (docs/cve.md, "Pages"): most hosts and images with a fix available first, then by urgency. */
export const CVES_SPEC: ListSpec<(typeof CVE_SORTS)[number]> = {
  sorts: CVE_SORTS,
  defaultSort: 'default',
  descendingFirst: ['fixable', 'affected'],
  cveFilter: true,
};

/** The hosts (and images) of one CVE: worst state first. */
export const CVE_OWNERS_SPEC: ListSpec<(typeof CVE_OWNER_SORTS)[number]> = {
  sorts: CVE_OWNER_SORTS,
  defaultSort: 'default',
};
