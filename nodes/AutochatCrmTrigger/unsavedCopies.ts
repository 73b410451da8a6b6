/**
 * Keeps concurrent copies of the replay memory from overwriting each other when n8n saves.
 *
 * Every webhook call works on its own copy of the workflow static data (read when the call
 * arrives) and n8n saves that copy whole after the call, so the last save wins. A call that
 * read the memory before another call accepted its delivery would, saved last, drop that
 * delivery's keys. So each accepted key is pushed into the other copies not yet saved, and
 * each accepting call pulls the keys others accepted recently: whichever copy is saved last
 * holds them all.
 *
 * n8n saves a call's copy as soon as it has answered the call, so copies are kept for
 * UNSAVED_WINDOW_MS and for the newest MAX_UNSAVED_COPIES calls per trigger, held weakly.
 * A save delayed beyond that could still drop keys from the stored memory; the claims of the
 * running process still refuse those deliveries, only a restart in that moment would not.
 */
import type { IDataObject } from 'n8n-workflow';

const UNSAVED_WINDOW_MS = 10_000;
const MAX_UNSAVED_COPIES = 64;
/** The keys of as many deliveries (two keys at most each). */
const MAX_RECENT_KEYS = 2 * MAX_UNSAVED_COPIES;

interface Scope {
	copies: Array<{ memory: WeakRef<IDataObject>; until: number }>;
	/** Keys accepted within the window → first seen (ms), oldest first. */
	recent: Map<string, number>;
}

function isMap(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export class UnsavedCopies {
	private readonly scopes = new Map<string, Scope>();

	/**
	 * Records `keys` as accepted at `nowMs` in `memory` (a node's static data whose `seen` map
	 * holds them) and in the other unsaved memories of the scope; returns the keys other calls
	 * accepted recently, for the caller to add to its own memory.
	 */
	share(
		scope: string,
		memory: IDataObject,
		keys: readonly string[],
		nowMs: number,
	): Array<[string, number]> {
		this.forgetIdleScopes(nowMs);
		const state = this.scopes.get(scope) ?? { copies: [], recent: new Map<string, number>() };
		this.scopes.set(scope, state);
		for (const [key, firstSeen] of state.recent) {
			if (firstSeen + UNSAVED_WINDOW_MS > nowMs) break;
			state.recent.delete(key);
		}
		const fromOthers = [...state.recent];

		state.copies = state.copies.filter(({ memory: held, until }) => {
			const other = until > nowMs ? held.deref() : undefined;
			if (other === undefined || other === memory) return false;
			// In place: the map the other call stored and n8n will save.
			if (isMap(other.seen)) for (const key of keys) other.seen[key] = nowMs;
			return true;
		});
		state.copies.push({ memory: new WeakRef(memory), until: nowMs + UNSAVED_WINDOW_MS });
		if (state.copies.length > MAX_UNSAVED_COPIES)
			state.copies.splice(0, state.copies.length - MAX_UNSAVED_COPIES);
		for (const key of keys) state.recent.set(key, nowMs);
		for (const key of state.recent.keys()) {
			if (state.recent.size <= MAX_RECENT_KEYS) break;
			state.recent.delete(key);
		}
		return fromOthers;
	}

	private forgetIdleScopes(nowMs: number): void {
		for (const [name, state] of this.scopes) {
			if (state.copies.every(({ until }) => until <= nowMs)) this.scopes.delete(name);
		}
	}
}
