import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a throwaway CA and the certificates it signed, in a temp dir. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA certificate (ssl.ca.location, kafkajs `ssl.ca`). */
  readonly caFile: string;
  /** The server's certificate and key, for 127.0.0.1 and localhost. */
  readonly certFile: string;
  readonly keyFile: string;
  /** A client certificate (subject `CN=client,O=Weir Tests`) and its key, for ssl.client.auth. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly ca: Buffer;
  remove(): void;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Signs `name`.pem for `subject` with the CA, with the given X.509 extensions. */
function issue(dir: string, name: string, subject: string, extensions: string): void {
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject], dir);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '2', '-sha256', '-out', `${name}.pem`, '-extfile', `${name}.ext`], dir);
}

/**
 * A CA, a server certificate for 127.0.0.1/localhost (subjectAltName IP and DNS, as
 * clients verify it) and a client certificate, made with the `openssl` CLI.
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'weir-tls-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/O=Weir Tests/CN=Weir Test CA'], dir);
  issue(dir, 'server', '/O=Weir Tests/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue(dir, 'client', '/O=Weir Tests/CN=client', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server-key.pem'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client-key.pem'),
    ca: readFileSync(join(dir, 'ca.pem')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
