/** @jsxImportSource hono/jsx */
/** The agent page: the agent builds this server offers, and how to install one on a host. */
import { CsrfField } from './csrf-field.tsx';
import { Layout } from './layout.tsx';

/** One agent binary the server can hand out. */
export interface AgentDownload {
  arch: string;
  fileName: string;
  /** Absolute download URL. */
  url: string;
  version: string | null;
  bytes: number;
  sha256: string;
}

/** The deployment files, verbatim from deploy/agent/. */
export interface AgentDeployFiles {
  aptHook: string;
  service: string;
  timer: string;
  cron: string;
}

/** The one-line enrollment: whether the server can sign, and the command once a token was made. */
export interface EnrollCommand {
  /** PKI_DIR holds the built-in CA. */
  available: boolean;
  /** The viewer may create a token (superusers). */
  canCreate: boolean;
  /** The architecture of the command's download (the server's own). */
  arch: string;
  /** Shown once, right after POST /agent/enroll. */
  command?: string;
  expires?: Date;
}

export interface AgentPageProps {
  /** The server's base URL as hosts reach it, e.g. `https://debmonitor.example.org`. */
  serverUrl: string;
  /** The agent's `server=`: host and port of the agent API (the native TLS port when there is one). */
  agentServer: string;
  agentsDir: string;
  /** What to do about a missing build (depends on how the server runs). */
  agentsHint: string;
  /** The build from source failed (running from source only). */
  buildError?: string;
  enroll: EnrollCommand;
  downloads: AgentDownload[];
  /** Architectures with no binary in the agents directory. */
  missing: string[];
  files: AgentDeployFiles;
  user?: { username: string; isSuperuser: boolean } | null;
  csrfToken?: string;
}

const BINARY = '/usr/local/bin/debmonitor';

/** A shell command that writes `text` to `path` (a quoted here-document: nothing is expanded). */
function writeFileCommand(path: string, text: string): string {
  return `cat > ${path} <<'EOF'\n${text.trimEnd()}\nEOF`;
}

function downloadCommands(download: AgentDownload): string {
  return [
    `curl -fsS --compressed -o ${BINARY}.new '${download.url}'`,
    `echo '${download.sha256}  ${BINARY}.new' | sha256sum -c -`,
    `chmod 0755 ${BINARY}.new && mv ${BINARY}.new ${BINARY}`,
    `${BINARY} --version`,
  ].join('\n');
}

/** Enroll a host in one line: the form that makes a token, then the command that uses it. */
function EnrollSection(props: { enroll: EnrollCommand; csrfToken?: string }) {
  const { enroll } = props;
  if (!enroll.available) {
    return (
      <section>
        <h3>Enroll a host</h3>
        <p>
          This server has no built-in CA, so hosts cannot enroll here: they need a client certificate of the
          site's CA, configured below. (<code>debmonitor-server pki init</code> makes one.)
        </p>
      </section>
    );
  }
  return (
    <section id="enroll">
      <h3>Enroll a host in one line</h3>
      {enroll.command ? (
        <>
          <p>
            Run this as root on the host (in a scratch folder: it downloads <code>./debmonitor</code>). It
            enrolls one host until {enroll.expires?.toISOString()} and is not shown again; the host's packages
            then appear under Hosts.
          </p>
          <pre>
            <code class="enroll-command">{enroll.command}</code>
          </pre>
          <p>
            It fetches the {enroll.arch} build; for another architecture change the end of the URL. The agent
            writes /etc/debmonitor.conf and its key and certificate under /etc/debmonitor/ssl; the sections
            below make it report daily and on every APT run.
          </p>
        </>
      ) : (
        <p>
          A command that downloads the agent, gets the host a certificate from this server's CA and sends its
          first report, with a token for one host valid for an hour.
        </p>
      )}
      {enroll.canCreate && props.csrfToken ? (
        <form method="post" action="/agent/enroll">
          <CsrfField token={props.csrfToken} />
          <button type="submit">{enroll.command ? 'Another command' : 'Create the command'}</button>
        </form>
      ) : enroll.canCreate ? null : (
        <p>A superuser can create it here.</p>
      )}
    </section>
  );
}

/** Renders the page. */
export function AgentPage(props: AgentPageProps) {
  const config = `[DEFAULT]\nserver=${props.agentServer}\ncert=/etc/ssl/debmonitor/host.pem\nkey=/etc/ssl/debmonitor/host.key\nca=/etc/ssl/debmonitor/ca.pem`;
  return (
    <Layout title="Agent" subtitle="download and install" user={props.user} csrfToken={props.csrfToken}>
      <EnrollSection enroll={props.enroll} csrfToken={props.csrfToken} />
      <section>
        <h3>Available builds</h3>
        {props.buildError ? (
          <p class="form-error" role="alert">
            Building the agent from source failed: {props.buildError}. Run <code>npm run build</code>.
          </p>
        ) : null}
        {props.downloads.length === 0 ? (
          <p>
            No agent binary is available: the server looked in {props.agentsDir} ({props.agentsHint}).
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Architecture</th>
                <th>Version</th>
                <th>Size</th>
                <th>SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {props.downloads.map((download) => (
                <tr>
                  <td>
                    <a href={download.url}>{download.arch}</a>
                  </td>
                  <td>{download.version ?? 'unknown'}</td>
                  <td>{(download.bytes / 1024 / 1024).toFixed(1)} MiB</td>
                  <td>
                    <code>{download.sha256}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {props.missing.length > 0 ? (
          <p>
            Not available: {props.missing.join(', ')} (no file in {props.agentsDir}; {props.agentsHint}).
          </p>
        ) : null}
        <p>
          x64 needs a CPU with AVX2 (2013 or later); x64-baseline runs on any x86-64 machine. Hosts run{' '}
          <code>{BINARY} --update</code> from their daily full report to follow the version offered here.
        </p>
      </section>
      {props.downloads.map((download) => (
        <section>
          <h3>Install on {download.arch}, as root</h3>
          <pre>
            <code>{downloadCommands(download)}</code>
          </pre>
        </section>
      ))}
      <section>
        <h3>Configure</h3>
        <p>The agent reads its server and TLS client certificate from /etc/debmonitor.conf:</p>
        <pre>
          <code>{writeFileCommand('/etc/debmonitor.conf', config)}</code>
        </pre>
      </section>
      <section>
        <h3>APT and dpkg hooks</h3>
        <pre>
          <code>{writeFileCommand('/etc/apt/apt.conf.d/10debmonitor', props.files.aptHook)}</code>
        </pre>
      </section>
      <section>
        <h3>Daily full report with self-update (systemd)</h3>
        <pre>
          <code>
            {[
              writeFileCommand('/etc/systemd/system/debmonitor.service', props.files.service),
              writeFileCommand('/etc/systemd/system/debmonitor.timer', props.files.timer),
              'systemctl daemon-reload && systemctl enable --now debmonitor.timer',
            ].join('\n')}
          </code>
        </pre>
        <h3>Or with cron, on hosts without systemd</h3>
        <pre>
          <code>{writeFileCommand('/etc/cron.d/debmonitor', props.files.cron)}</code>
        </pre>
      </section>
    </Layout>
  );
}
