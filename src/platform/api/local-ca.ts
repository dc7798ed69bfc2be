// The local platform's own certificate authority, kept in its state folder: it signs the certificate
// of the log-session server, because aka 3.x reads log sessions over https only. A user trusts it
// for Node with NODE_EXTRA_CA_CERTS=<state folder>/ca.pem (README.md).
import {randomBytes} from 'node:crypto'
import {chmod, readFile, rename, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import forge from 'node-forge'

const CA_CERT_FILE = 'ca.pem'
const CA_KEY_FILE = 'ca-key.pem'
const SERVER_CERT_FILE = 'log-sessions-cert.pem'
const SERVER_KEY_FILE = 'log-sessions-key.pem'

const DAY_MS = 24 * 60 * 60 * 1000
const CA_DAYS = 3650
// Short-lived, and renewed on the first log session after it nears its end.
const SERVER_DAYS = 90
const RENEW_BEFORE_DAYS = 7

export interface TlsMaterial {
  cert: string
  key: string
  ca: string
}

interface Issued {
  cert: forge.pki.Certificate
  key: forge.pki.rsa.PrivateKey
}

function serialNumber(): string {
  // Positive: the first bit of a DER integer is its sign.
  return `01${randomBytes(16).toString('hex')}`
}

function certificate(subjectName: string, publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = serialNumber()
  // A minute back: a clock a little behind on the client must not reject a certificate made just now.
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + days * DAY_MS)
  cert.setSubject([{name: 'commonName', value: subjectName}, {name: 'organizationName', value: 'aka local platform'}])
  return cert
}

// forge generates the key pair with Node's own crypto when it can, so this takes milliseconds, not seconds.
function keyPair(): forge.pki.rsa.KeyPair {
  return forge.pki.rsa.generateKeyPair({bits: 2048})
}

function createAuthority(): Issued {
  const keys = keyPair()
  const cert = certificate('aka local platform CA', keys.publicKey, CA_DAYS)
  cert.setIssuer(cert.subject.attributes)
  cert.setExtensions([
    {name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true},
    {name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true},
    {name: 'subjectKeyIdentifier'},
  ])
  cert.sign(keys.privateKey, forge.md.sha256.create())
  return {cert, key: keys.privateKey}
}

/** A server certificate for the loopback addresses only, signed by the authority. */
function createServerCertificate(authority: Issued): Issued {
  const keys = keyPair()
  const cert = certificate('127.0.0.1', keys.publicKey, SERVER_DAYS)
  cert.setIssuer(authority.cert.subject.attributes)
  cert.setExtensions([
    {name: 'basicConstraints', cA: false, critical: true},
    {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
    {name: 'extKeyUsage', serverAuth: true},
    {name: 'subjectAltName', altNames: [{type: 7, ip: '127.0.0.1'}, {type: 2, value: 'localhost'}]},
  ])
  cert.sign(authority.key, forge.md.sha256.create())
  return {cert, key: keys.privateKey}
}

async function readIssued(home: string, certFile: string, keyFile: string): Promise<Issued | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(join(home, certFile), 'utf8'), readFile(join(home, keyFile), 'utf8')])
    return {cert: forge.pki.certificateFromPem(cert), key: forge.pki.privateKeyFromPem(key) as forge.pki.rsa.PrivateKey}
  } catch {
    return undefined
  }
}

/** Key first, then the certificate, each written whole (temporary file and rename); keys are 0600. */
async function writeIssued(home: string, issued: Issued, certFile: string, keyFile: string): Promise<void> {
  for (const [file, text, mode] of [[keyFile, forge.pki.privateKeyToPem(issued.key), 0o600], [certFile, forge.pki.certificateToPem(issued.cert), 0o644]] as const) {
    const path = join(home, file)
    await writeFile(`${path}.tmp`, text, {mode})
    await chmod(`${path}.tmp`, mode)
    await rename(`${path}.tmp`, path)
  }
}

function validFor(issued: Issued, days: number): boolean {
  return issued.cert.validity.notAfter.getTime() - Date.now() > days * DAY_MS
}

/**
 * The log-session server's certificate, key and the authority's certificate, made on first use and
 * kept in the state folder; the authority lives ten years, so a trusted ca.pem stays valid.
 */
export async function loadTlsMaterial(home: string): Promise<TlsMaterial> {
  let authority = await readIssued(home, CA_CERT_FILE, CA_KEY_FILE)
  let newAuthority = false
  if (!authority || !validFor(authority, SERVER_DAYS)) {
    authority = createAuthority()
    await writeIssued(home, authority, CA_CERT_FILE, CA_KEY_FILE)
    newAuthority = true
  }
  let server = newAuthority ? undefined : await readIssued(home, SERVER_CERT_FILE, SERVER_KEY_FILE)
  if (!server || !validFor(server, RENEW_BEFORE_DAYS)) {
    server = createServerCertificate(authority)
    await writeIssued(home, server, SERVER_CERT_FILE, SERVER_KEY_FILE)
  }
  return {
    cert: forge.pki.certificateToPem(server.cert),
    key: forge.pki.privateKeyToPem(server.key),
    ca: forge.pki.certificateToPem(authority.cert),
  }
}
