import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { N8nRuntime } from './installN8n';

/**
 * Counts, then deletes, every row of the table; prints the count. Run by the runtime's own Node
 * from the runtime folder, so `sqlite3` is n8n's own binding (n8n 1.x and 2.x use the same table).
 */
const SCRIPT = `
const sqlite3 = require('sqlite3');
const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READWRITE, (error) => { if (error) fail(error); });
const fail = (error) => { process.stderr.write(String(error && error.message || error)); process.exit(1); };
db.get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'processed_data'", (error, row) => {
	if (error) return fail(error);
	if (!row) return db.close(() => process.stdout.write('0'));
	db.run('DELETE FROM processed_data', function (deleteError) {
		if (deleteError) return fail(deleteError);
		const changes = this.changes;
		db.close(() => process.stdout.write(String(changes)));
	});
});
`;

/**
 * Empties n8n's processed-items table (the pack's write ledger, replay memory and delivery
 * claims) in a user folder whose n8n is stopped. The demo does this on every start because its
 * CRM sandbox starts empty: a ledger that remembers writes to the previous sandbox would make
 * the same call "already written" and write nothing. Resolves with the number of rows removed.
 */
export async function forgetProcessedItems(
	runtime: Pick<N8nRuntime, 'dir' | 'nodeBinDir'>,
	userFolder: string,
): Promise<number> {
	const database = join(userFolder, '.n8n', 'database.sqlite');
	if (!existsSync(database)) return 0; // first start: n8n creates it
	const output = await new Promise<string>((resolveOutput, reject) => {
		const child = spawn(join(runtime.nodeBinDir, 'node'), ['-e', SCRIPT, database], {
			cwd: runtime.dir,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.once('error', reject);
		child.once('exit', (code) =>
			code === 0
				? resolveOutput(out)
				: reject(
						new Error(
							`could not clear n8n's processed items in ${database}: ${err.trim().slice(-300)}`,
						),
					),
		);
	});
	return Number(output);
}
