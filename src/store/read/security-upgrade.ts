/** The SQL test for a security upgrade, spelling the one constant of its type (protocol/report.ts). */
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { SECURITY_UPGRADE } from '../../protocol/report.ts';

// A literal rather than a bound value: the plans of these page queries were measured with one.
const SECURITY_LITERAL = sql.raw(`'${SECURITY_UPGRADE}'`);

/** `column` (an upgrade_type) names a security upgrade. */
export function isSecurityUpgrade(column: AnyColumn | SQL): SQL {
  return sql`${column} = ${SECURITY_LITERAL}`;
}
