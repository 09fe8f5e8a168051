/** @jsxImportSource hono/jsx */
/** The agent page: the agent builds this server offers, and how to install one on a host. */
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

export interface AgentPageProps {
  /** The server's base URL as hosts reach it, e.g. `https://debmonitor.example.org`. */
  serverUrl: string;
  agentsDir: string;
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

/** Renders the page. */
export function AgentPage(props: AgentPageProps) {
  const serverHost = new URL(props.serverUrl).hostname;
  const config = `[DEFAULT]\nserver=${serverHost}\ncert=/etc/ssl/debmonitor/host.pem\nkey=/etc/ssl/debmonitor/host.key\nca=/etc/ssl/debmonitor/ca.pem`;
  return (
    <Layout title="Agent" subtitle="download and install" user={props.user} csrfToken={props.csrfToken}>
      <section>
        <h3>Available builds</h3>
        {props.downloads.length === 0 ? (
          <p>No agent binary is available: the server looked in {props.agentsDir}.</p>
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
            Not available: {props.missing.join(', ')} (no file in {props.agentsDir}).
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
