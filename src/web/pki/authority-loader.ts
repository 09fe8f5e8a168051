/**
 * The built-in CA as the routes that sign use it: loaded from PKI_DIR on first use and kept, so a
 * `pki init` run while the server is up takes effect without a restart.
 */
import { type Authority, loadAuthority } from '../../pki/authority.ts';
import { pkiPaths } from '../../pki/pki-files.ts';

export interface AuthorityLoader {
  /** The CA, or null when PKI_DIR holds none (the site brings its own CA). */
  get(): Promise<Authority | null>;
}

export function createAuthorityLoader(pkiDir: string): AuthorityLoader {
  let loaded: Promise<Authority | null> | undefined;
  return {
    async get() {
      loaded ??= loadAuthority(pkiPaths(pkiDir));
      const authority = await loaded.catch((error) => {
        loaded = undefined;
        throw error;
      });
      if (!authority) loaded = undefined; // look again next time
      return authority;
    },
  };
}
