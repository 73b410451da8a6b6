import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACK_NAME } from './linkPack';

/** The nearest folder at or above one of `starts` (tried in order) whose package.json is this pack. */
export function findRepoRoot(...starts: string[]): string {
	for (const start of starts) {
		let dir = start;
		for (;;) {
			const manifest = join(dir, 'package.json');
			if (
				existsSync(manifest) &&
				(JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACK_NAME
			)
				return dir;
			const parent = dirname(dir);
			if (parent === dir) break;
			dir = parent;
		}
	}
	throw new Error(`No ${PACK_NAME} package.json at or above ${starts.join(' or ')}`);
}
