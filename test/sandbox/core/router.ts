/** Matches a method + path against route templates with `:param` segments. */
import type { RouteDefinition } from './types';

interface CompiledRoute {
	route: RouteDefinition;
	segments: string[];
	literalCount: number;
}

export interface RouteMatch {
	route: RouteDefinition;
	params: Record<string, string>;
}

function split(path: string): string[] {
	return path.split('/').filter((s) => s.length > 0);
}

export class Router {
	private readonly compiled: CompiledRoute[] = [];

	add(route: RouteDefinition): void {
		const segments = split(route.template);
		this.compiled.push({
			route,
			segments,
			literalCount: segments.filter((s) => !s.startsWith(':')).length,
		});
		// Most specific first, so `/objects/:type/search` wins over `/objects/:type/:id`.
		this.compiled.sort((a, b) => b.literalCount - a.literalCount);
	}

	match(method: string, path: string): RouteMatch | undefined {
		const parts = split(path);
		for (const { route, segments } of this.compiled) {
			if (route.method !== method.toUpperCase() || segments.length !== parts.length) continue;
			const params: Record<string, string> = {};
			let ok = true;
			for (let i = 0; i < segments.length && ok; i++) {
				const segment = segments[i];
				if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(parts[i]);
				else ok = segment.toLowerCase() === parts[i].toLowerCase();
			}
			if (ok) return { route, params };
		}
		return undefined;
	}

	/** True when the path exists for some other method (405 rather than 404). */
	hasPath(path: string): boolean {
		return ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].some((m) => this.match(m, path) !== undefined);
	}
}
