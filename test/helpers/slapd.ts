/**
 * A real OpenLDAP server (Debian's `slapd`) for tests, on 127.0.0.1: a slapd.conf and an mdb
 * database in a temporary folder, loaded offline with slapadd, then slapd in the foreground on a
 * plain port (which offers StartTLS) and an ldaps port, with certificates made by openssl here.
 * Start one per test file: it takes about a second.
 *
 * The directory, under dc=example,dc=com (upstream's example names):
 * - ou=profile: cn=bindagent, the service account, the only one that may read the tree;
 * - ou=people: ann (admin and staff), bob (staff), carl (contractor), dora (no group), and two
 *   users whose uid holds filter characters, `star*` and `par(en)`;
 * - ou=groups: cn=staff, cn=contractor, and cn=admin one level down (ou=teams), so that only a
 *   subtree search finds it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { certificateMaker } from './certificates.ts';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';

export const BASE_DN = 'dc=example,dc=com';
export const BIND_DN = `cn=bindagent,ou=profile,${BASE_DN}`;
export const BIND_PASSWORD = 'bind agent password';
export const PEOPLE_DN = `ou=people,${BASE_DN}`;
export const STAFF_GROUP = `cn=staff,ou=groups,${BASE_DN}`;
export const CONTRACTOR_GROUP = `cn=contractor,ou=groups,${BASE_DN}`;
export const ADMIN_GROUP = `cn=admin,ou=teams,ou=groups,${BASE_DN}`;
const ROOT_DN = `cn=root,${BASE_DN}`;
const ROOT_PASSWORD = 'root password';

/** The people of the directory: uid, cn, mail and password. */
export const PEOPLE = {
  ann: { uid: 'ann', cn: 'Ann Admin', mail: 'ann@example.com', password: 'ann password 1' },
  bob: { uid: 'bob', cn: 'Bob Staff', mail: 'bob@example.com', password: 'bob password 1' },
  carl: { uid: 'carl', cn: 'Carl Contractor', mail: 'carl@example.com', password: 'carl password 1' },
  dora: { uid: 'dora', cn: 'Dora Nogroup', mail: 'dora@example.com', password: 'dora password 1' },
  star: { uid: 'star*', cn: 'Star User', mail: 'star@example.com', password: 'star password 1' },
  paren: { uid: 'par(en)', cn: 'Paren User', mail: 'paren@example.com', password: 'paren password 1' },
} as const;

export const personDn = (uid: string) => `uid=${uid.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`)},${PEOPLE_DN}`;

export interface TestDirectory {
  /** `ldap://127.0.0.1:PORT` (StartTLS offered). */
  url: string;
  /** `ldaps://127.0.0.1:PORT`. */
  ldapsUrl: string;
  /** The CA that signed the server's certificate (for IP:127.0.0.1 only, not `localhost`). */
  caFile: string;
  /** A CA that did not sign it. */
  otherCaFile: string;
  /** Adds `uid` to a group, as the directory's administrator. */
  addMember(group: string, uid: string): Promise<void>;
  /** Removes `uid` from a group. */
  removeMember(group: string, uid: string): Promise<void>;
  stop(): Promise<void>;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function slapdConf(dir: string): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile ${dir}/ca.crt
TLSCertificateFile ${dir}/server.crt
TLSCertificateKeyFile ${dir}/server.key
database mdb
maxsize 16777216
suffix "${BASE_DN}"
rootdn "${ROOT_DN}"
rootpw "${ROOT_PASSWORD}"
directory ${dir}/db
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="${BIND_DN}" read by * none
`;
}

function directoryLdif(): string {
  const entries = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example`,
    `dn: ou=profile,${BASE_DN}\nobjectClass: organizationalUnit\nou: profile`,
    `dn: ${BIND_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: bindagent\nuserPassword: ${BIND_PASSWORD}`,
    `dn: ${PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ou=teams,ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: teams`,
    ...Object.values(PEOPLE).map(
      (person) =>
        `dn: ${personDn(person.uid)}\nobjectClass: inetOrgPerson\nuid: ${person.uid}\ncn: ${person.cn}\n` +
        `sn: ${person.cn.split(' ')[1]}\nmail: ${person.mail}\nuserPassword: ${person.password}`,
    ),
    group(STAFF_GROUP, 'staff', ['ann', 'bob']),
    group(CONTRACTOR_GROUP, 'contractor', ['carl']),
    group(ADMIN_GROUP, 'admin', ['ann']),
  ];
  return `${entries.join('\n\n')}\n`;
}

/** groupOfNames needs a member; the placeholder lets tests remove the last real one. */
function group(dn: string, cn: string, members: string[]): string {
  const lines = [`member: cn=placeholder,${BASE_DN}`, ...members.map((uid) => `member: ${personDn(uid)}`)];
  return `dn: ${dn}\nobjectClass: groupOfNames\ncn: ${cn}\n${lines.join('\n')}`;
}

function run(command: string[], what: string): void {
  const result = Bun.spawnSync(command, { stdout: 'pipe', stderr: 'pipe' });
  if (result.exitCode !== 0) {
    throw new Error(
      `${what} failed (exit ${result.exitCode}):\n${result.stderr.toString()}${result.stdout.toString()}`,
    );
  }
}

/** Waits until `port` accepts connections, or the process ends, or 15 seconds pass. */
async function waitForPort(port: number, exited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`slapd exited at start:\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      Bun.connect({
        hostname: '127.0.0.1',
        port,
        socket: {
          open: (socket) => {
            socket.end();
            resolve(true);
          },
          connectError: () => resolve(false),
          data: () => {},
        },
      }).catch(() => resolve(false));
    });
    if (open) return;
    await Bun.sleep(50);
  }
  throw new Error(`slapd did not listen on ${port} within 15 s:\n${output()}`);
}

/** Builds the directory and starts slapd; fails (does not skip) when slapd is not installed. */
export async function startTestDirectory(): Promise<TestDirectory> {
  if (!existsSync(SLAPD) || !existsSync(SLAPADD)) {
    throw new Error(`${SLAPD} is missing: install Debian's slapd and ldap-utils (.ci/run does)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'debmonitor-slapd-'));
  mkdirSync(join(dir, 'db'));
  const makeCertificate = certificateMaker(dir);
  makeCertificate('ca', '/CN=DebMonitor test LDAP CA', null);
  makeCertificate('other-ca', '/CN=Another CA', null);
  makeCertificate(
    'server',
    '/CN=127.0.0.1',
    'ca',
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  writeFileSync(join(dir, 'slapd.conf'), slapdConf(dir));
  writeFileSync(join(dir, 'directory.ldif'), directoryLdif());
  run([SLAPADD, '-q', '-f', join(dir, 'slapd.conf'), '-l', join(dir, 'directory.ldif')], 'slapadd');

  const [port, ldapsPort] = [await freePort(), await freePort()];
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
  // -d keeps slapd in the foreground, a child of this process; its log goes to stderr.
  const child = Bun.spawn([SLAPD, '-d', '0', '-f', join(dir, 'slapd.conf'), '-h', `${url}/ ${ldapsUrl}/`], {
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  void (async () => {
    for await (const chunk of child.stderr as unknown as AsyncIterable<Uint8Array>) {
      output += new TextDecoder().decode(chunk);
    }
  })();
  try {
    await waitForPort(
      port,
      () => child.exitCode !== null,
      () => output,
    );
    await waitForPort(
      ldapsPort,
      () => child.exitCode !== null,
      () => output,
    );
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  async function asRoot(work: (client: Client) => Promise<void>): Promise<void> {
    const client = new Client({ url });
    try {
      await client.bind(ROOT_DN, ROOT_PASSWORD);
      await work(client);
    } finally {
      await client.unbind();
    }
  }
  const memberChange = (operation: 'add' | 'delete', uid: string) =>
    new Change({ operation, modification: new Attribute({ type: 'member', values: [personDn(uid)] }) });

  return {
    url,
    ldapsUrl,
    caFile: join(dir, 'ca.crt'),
    otherCaFile: join(dir, 'other-ca.crt'),
    addMember: (groupDn, uid) => asRoot((client) => client.modify(groupDn, memberChange('add', uid))),
    removeMember: (groupDn, uid) => asRoot((client) => client.modify(groupDn, memberChange('delete', uid))),
    async stop() {
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      await child.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
