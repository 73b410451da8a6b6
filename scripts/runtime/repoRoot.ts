import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACK_NAME } from './linkPack';

/** The nearest folder above `from` whose package.json is this pack (works from sources and from .runner-build). */
export function findRepoRoot(from: string): string {
	let dir = from;
	for (;;) {
		const manifest = join(dir, 'package.json');
		if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACK_NAME) return dir;
		const parent = dirname(dir);
		if (parent === dir) throw new Error(`No ${PACK_NAME} package.json above ${from}`);
		dir = parent;
	}
}
