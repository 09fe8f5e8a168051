/**
 * The built-in CA's endpoints (docs/protocol.md, "Enrollment"): `POST /enroll` for a host without a
 * certificate (a token instead), `GET /enroll/ca` for the CA certificate, and
 * `POST /hosts/<name>/certificate` for renewal with the current certificate.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import type { Authority } from '../../../pki/authority.ts';
import {
  ENROLL_CA_PATH,
  ENROLL_PATH,
  EnrollRequestSchema,
  MAX_ENROLL_BYTES,
  RenewRequestSchema,
} from '../../../protocol/enrollment.ts';
import { describeIssues } from '../../../protocol/report.ts';
import { allowAnyone, requireOwnCertificate } from '../../access/rules.tsx';
import { methodNotAllowed, PlainTextError, plainText } from '../../api-responses.ts';
import type { AppEnv } from '../../env.ts';
import { clientAddress } from '../../http/request-origin.ts';
import { ENROLL_THROTTLED_TEXT, isEnrollThrottled, recordEnrollRefusal } from '../../pki/enroll-throttle.ts';
import { enrollHost, renewHost, type SignOutcome } from '../../pki/sign-requests.ts';
import { readJsonObject } from '../../read-json-body.ts';

export const NO_AUTHORITY_TEXT = 'This server has no built-in CA: debmonitor-server pki init creates one';

/** The CA of PKI_DIR, or the 503 that says how to make one. */
async function requireAuthority(c: Context<AppEnv>): Promise<Authority> {
  const authority = await c.var.authority.get();
  if (!authority) throw new PlainTextError(503, NO_AUTHORITY_TEXT);
  return authority;
}

/** The body as the schema's output; a refusal is thrown as its 400 or 413. */
async function readBody<S extends v.GenericSchema>(c: Context<AppEnv>, schema: S, prefix: string) {
  const body = await readJsonObject(c.req.raw, MAX_ENROLL_BYTES);
  if (!body.ok) {
    throw new PlainTextError(
      body.status,
      body.status === 413 ? `Payload too large: the body exceeds ${MAX_ENROLL_BYTES} bytes` : body.message,
    );
  }
  const parsed = v.safeParse(schema, body.value);
  if (!parsed.success) throw new PlainTextError(400, `${prefix}: ${describeIssues(parsed.issues)}`);
  return parsed.output as v.InferOutput<S>;
}

/** 201 with the certificate and the CA, or the refusal. */
function answer(c: Context<AppEnv>, outcome: SignOutcome, authority: Authority): Response {
  if (!outcome.ok) return plainText(c, outcome.status, outcome.message);
  return c.json({ certificate: outcome.certificate.pem, ca: authority.certificatePem }, 201);
}

function hostName(c: Context<AppEnv>): string {
  return c.req.param('name') ?? '';
}

export const certificateRoutes = new Hono<AppEnv>()
  .all(ENROLL_CA_PATH, allowAnyone, async (c) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return methodNotAllowed(c, 'GET, HEAD');
    const authority = await requireAuthority(c);
    return c.body(authority.certificatePem, 200, { 'Content-Type': 'application/x-pem-file' });
  })
  // No certificate yet: the token is the credential, checked by enrollHost.
  .all(ENROLL_PATH, allowAnyone, async (c) => {
    if (c.req.method !== 'POST') return methodNotAllowed(c, 'POST');
    const authority = await requireAuthority(c);
    const { database, log } = c.var;
    const address = clientAddress(c);
    if (await isEnrollThrottled(database, address)) return plainText(c, 429, ENROLL_THROTTLED_TEXT);
    let outcome: SignOutcome;
    try {
      outcome = await enrollHost(
        database,
        authority,
        await readBody(c, EnrollRequestSchema, 'Unable to enroll'),
      );
    } catch (error) {
      if (error instanceof PlainTextError) await recordEnrollRefusal(database, address);
      throw error;
    }
    if (outcome.ok) {
      log.info(
        `Enrolled ${outcome.certificate.commonName} (serial ${outcome.certificate.serial}) with token #${outcome.tokenId} from ${address}`,
      );
    } else {
      await recordEnrollRefusal(database, address);
      log.warn(`Refused an enrollment from ${address}: ${outcome.message}`);
    }
    return answer(c, outcome, authority);
  })
  .all('/hosts/:name/certificate', requireOwnCertificate(hostName), async (c) => {
    if (c.req.method !== 'POST') return methodNotAllowed(c, 'POST');
    const authority = await requireAuthority(c);
    const name = hostName(c);
    const body = await readBody(c, RenewRequestSchema, `Unable to renew the certificate of '${name}'`);
    const outcome = await renewHost(c.var.database, authority, name, body.csr);
    if (outcome.ok)
      c.var.log.info(`Renewed the certificate of ${name} (serial ${outcome.certificate.serial})`);
    return answer(c, outcome, authority);
  });
