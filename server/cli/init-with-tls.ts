import fs from 'node:fs';
import { initCommand } from '../auth/init-command';
import { UsageError, type Command } from '../command/args';
import { parseCertificateHosts } from '../../node/tls/self-signed';
import { assertNoSelfSignedPair, writeSelfSignedPair } from '../tls/self-signed-files';

/**
 * `init` plus `--tls-self-signed HOST,…` [`--force`]: alone on an existing data directory it only
 * writes the certificate; with the other init flags it creates the store first, then the certificate.
 */
export const initWithTlsCommand: Command = {
  ...initCommand,
  usage:
    `${initCommand.usage.replace(/^([^\n]*)/, '$1 [--tls-self-signed HOST,… [--force]]\n    or: creative-engine init --data DIR --tls-self-signed HOST,… [--force]')}\n\n` +
    '--tls-self-signed writes a self-signed certificate for those host names and IP addresses (about two years) to DIR/tls/cert.pem and DIR/tls/key.pem, ' +
    'alone on an existing data directory or together with the other flags; --force replaces an existing pair.',
  async run(argv) {
    const { hostsText, force, rest } = splitTlsFlags(argv);
    if (hostsText === undefined) {
      if (force) throw new UsageError('--force only goes with --tls-self-signed HOST,….');
      return initCommand.run(argv);
    }
    let hosts: string[];
    try {
      hosts = parseCertificateHosts(hostsText);
    } catch (err) {
      throw new UsageError(`--tls-self-signed: ${(err as Error).message}.`);
    }
    const dataIndex = rest.findIndex((a) => a === '--data' || a.startsWith('--data='));
    const dataDir = dataIndex === -1 ? undefined : rest[dataIndex]!.startsWith('--data=') ? rest[dataIndex]!.slice(7) : rest[dataIndex + 1];
    if (!dataDir) throw new UsageError('--data is required.');
    const alone = rest.length === (rest[dataIndex]!.includes('=') ? 1 : 2);
    if (alone && !fs.existsSync(dataDir)) throw new UsageError(`${dataDir} does not exist: create the store first (init --data DIR --admin-email E --password-stdin), with or without --tls-self-signed.`);
    assertNoSelfSignedPair(dataDir, force);
    if (!alone) {
      const code = await initCommand.run(rest);
      if (code !== 0) return code;
    }
    const written = writeSelfSignedPair(dataDir, hosts);
    console.log(`Wrote a self-signed TLS certificate for ${hosts.join(', ')} (valid until ${written.validTo}): ${written.certFile}, key ${written.keyFile}`);
    console.log(`TLS certificate ${written.fingerprint}`);
    console.log('Compare this fingerprint when a desktop app or approver connects for the first time.');
    console.log(`Start the server with: creative-engine serve --data ${dataDir} --tls-cert ${written.certFile} --tls-key ${written.keyFile}`);
    return 0;
  },
};

/** Takes `--tls-self-signed V` / `--tls-self-signed=V` and `--force` out of argv. */
function splitTlsFlags(argv: string[]): { hostsText?: string; force: boolean; rest: string[] } {
  const rest: string[] = [];
  let hostsText: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--force') force = true;
    else if (arg.startsWith('--tls-self-signed=')) hostsText = arg.slice('--tls-self-signed='.length);
    else if (arg === '--tls-self-signed') {
      hostsText = argv[++i];
      if (hostsText === undefined || hostsText.startsWith('--')) throw new UsageError('--tls-self-signed needs HOST,… (e.g. localhost,127.0.0.1,ads.example.com).');
    } else rest.push(arg);
  }
  return { hostsText, force, rest };
}
