/** The CLI starts the sandbox on the requested port and prints its URL (what `npm start` and e2e rely on). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { call, localNetworkOnly } from './helpers';

describe('sandbox CLI', () => {
	localNetworkOnly();

	it('prints the URL of a seeded sandbox and stops on SIGTERM', async () => {
		const root = join(__dirname, '..', '..');
		const child = spawn(
			join(root, 'node_modules', '.bin', 'tsx'),
			[join(__dirname, 'cli.ts'), '0'],
			{
				cwd: root,
				env: { ...process.env, SANDBOX_QUIET: 'true' },
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (chunk: Buffer) => {
					out += chunk.toString();
					const line = /^(http:\/\/127\.0\.0\.1:\d+)\n/m.exec(out);
					if (line) resolve(line[1]);
				});
				child.once('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
			});
			const clients = await call<{ data: unknown[] }>(`${url}/autochat/v1/clients`, {
				token: 'ak_cli',
			});
			expect(clients.status).toBe(200);
			expect(clients.body.data).toHaveLength(8);
		} finally {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	}, 20_000);
});
