/**
 * Security headers on every response (docs/architecture.md, "Web pages"), with a strict
 * Content-Security-Policy: scripts and styles from this origin only, no inline code and no nonces
 * (pages carry none). Deviations from upstream: no `block-all-mixed-content` (deprecated;
 * `upgrade-insecure-requests` covers it), `form-action 'self'` added, and no HSTS (as upstream).
 */
import { secureHeaders } from 'hono/secure-headers';

const SELF = ["'self'"];
const NONE = ["'none'"];

/** Creates the security-headers middleware. */
export function createSecurityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: SELF,
      scriptSrc: SELF,
      styleSrc: SELF,
      imgSrc: [...SELF, 'data:'],
      fontSrc: [...SELF, 'data:'],
      connectSrc: SELF,
      objectSrc: NONE,
      frameSrc: NONE,
      baseUri: SELF,
      formAction: SELF,
      frameAncestors: NONE,
      upgradeInsecureRequests: [],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    xXssProtection: '1; mode=block',
    referrerPolicy: 'same-origin',
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}
