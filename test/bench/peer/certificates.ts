/**
 * A throwaway certificate authority and a server certificate for the hosts the benchmark
 * intercepts (e.g. api.hubapi.com), made with the system's `openssl`. n8n trusts the CA through
 * NODE_EXTRA_CA_CERTS, so its built-in nodes talk TLS to our proxy as if to the vendor. The
 * keys live in a temporary folder for one bench run and are never used for anything else.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface InterceptionCertificates {
	/** PEM file of the CA, for NODE_EXTRA_CA_CERTS. */
	caFile: string;
	/** The server's key and certificate (PEM) for the intercepted hosts. */
	key: string;
	cert: string;
}

async function openssl(args: string[]): Promise<void> {
	try {
		await run('openssl', args);
	} catch (error) {
		throw new Error(
			`openssl failed (${(error as Error).message.split('\n')[0]}): the benchmark's peer needs the openssl command (apt-get install -y openssl)`,
		);
	}
}

export async function makeInterceptionCertificates(
	dir: string,
	hosts: string[],
): Promise<InterceptionCertificates> {
	const path = (name: string) => join(dir, name);
	await openssl([
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-days',
		'2',
		'-subj',
		'/CN=n8n-nodes-crm-sync bench interception CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
		'-keyout',
		path('ca.key'),
		'-out',
		path('ca.crt'),
	]);
	await openssl([
		'req',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-subj',
		`/CN=${hosts[0]}`,
		'-keyout',
		path('server.key'),
		'-out',
		path('server.csr'),
	]);
	await writeFile(
		path('server.ext'),
		[
			`subjectAltName=${hosts.map((host) => `DNS:${host}`).join(',')}`,
			'basicConstraints=CA:FALSE',
			'keyUsage=digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
		].join('\n'),
	);
	await openssl([
		'x509',
		'-req',
		'-in',
		path('server.csr'),
		'-CA',
		path('ca.crt'),
		'-CAkey',
		path('ca.key'),
		'-CAcreateserial',
		'-days',
		'2',
		'-extfile',
		path('server.ext'),
		'-out',
		path('server.crt'),
	]);
	return {
		caFile: path('ca.crt'),
		key: await readFile(path('server.key'), 'utf8'),
		cert: await readFile(path('server.crt'), 'utf8'),
	};
}
