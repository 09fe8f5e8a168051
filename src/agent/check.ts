/**
 * `--check`: what the agent would send and whether each server accepts its certificate, in one command
 * (docs/agent.md, "Troubleshooting"), so a 403 or 400 can be understood without reading server logs.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AgentOptions } from './cli/resolve-options.ts';
import { explainOsNameProblem } from './collect/os-release.ts';
import type { AgentLogger } from './log.ts';
import type { SystemFacts } from './report/build-report.ts';
import { explainFailure } from './submit/explain-failure.ts';
import { type RequestPolicy, requestWithRetries } from './submit/post-json.ts';
import type { ServerAddress } from './submit/server-address.ts';

/** Describes the subject of a PEM certificate file, e.g. `CN=host1.example.org, O=Example`. */
export function describeCertificate(path: string): string {
  try {
    const certificate = new X509Certificate(readFileSync(path));
    return `${certificate.subject.replace(/\n/g, ', ')} (valid until ${certificate.validTo})`;
  } catch (error) {
    return `unreadable: ${(error as Error).message}`;
  }
}

/**
 * Prints the identity the agent would report, then calls /auth-check on each server; 0 when all answer 200.
 * Each line is awaited before the next step, so the lines keep their order among the log lines on stderr
 * (retries, errors) when both streams go to one terminal or file.
 */
export async function runCheck(
  options: AgentOptions,
  servers: readonly ServerAddress[],
  policy: RequestPolicy,
  facts: Pick<SystemFacts, 'readOsName' | 'resolveFqdn'>,
  print: (line: string) => Promise<void>,
  logger: AgentLogger,
): Promise<number> {
  const hostname = options.hostname ?? (await facts.resolveFqdn());
  const os = options.os ?? facts.readOsName();
  await print(
    `hostname: ${hostname} (${options.hostname ? `hostname= in ${options.configPath}` : 'resolved FQDN'})`,
  );
  await print(`os: ${os} (${options.os ? `os= in ${options.configPath}` : 'os-release'})`);
  const osProblem = explainOsNameProblem(os);
  if (osProblem) await print(`  warning: ${osProblem}`);
  await print(
    `client certificate: ${options.cert ? `${options.cert}: ${describeCertificate(options.cert)}` : 'none (-c/--cert not set)'}`,
  );
  await print(`trusted CAs: ${options.ca ?? 'system bundle'}`);
  if (servers.length === 0) {
    logger.error('No server configured: set server= in the configuration or pass -s');
    return 1;
  }
  let failures = 0;
  for (const server of servers) {
    const outcome = await requestWithRetries('GET', `${server.baseUrl}/auth-check`, undefined, policy);
    if (outcome.status === 200) {
      await print(`server ${server.label}: OK (${server.baseUrl}/auth-check answered 200)`);
    } else {
      failures++;
      await print(
        `server ${server.label}: FAILED: ${explainFailure(outcome, { kind: 'host', name: hostname, os })}`,
      );
    }
  }
  return failures === 0 ? 0 : 1;
}
