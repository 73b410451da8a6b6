/**
 * Task due dates: the action item's own due date when it has one, else N business days
 * after the call, counted in the user's timezone (a call on Friday evening in Berlin plus
 * one business day is Monday, wherever the n8n server runs). Date-only inputs never shift.
 */
import { DateTime } from 'luxon';

export interface DueDate {
	/** Calendar date in the chosen timezone (Salesforce ActivityDate). */
	date: string;
	/** The due moment as an ISO instant: the date at `hour`:00 in the timezone (HubSpot, Dynamics). */
	instant: string;
	source: 'item' | 'businessDays';
}

export interface DueDateOptions {
	/** When the conversation happened (ISO). */
	from: string;
	businessDays: number;
	/** IANA zone, e.g. Europe/Berlin. */
	timezone: string;
	/** Local hour the task is due on its date. Default 9. */
	hour?: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function addBusinessDays(start: DateTime, days: number): DateTime {
	let current = start;
	let remaining = days;
	while (remaining > 0) {
		current = current.plus({ days: 1 });
		if (current.weekday <= 5) remaining--;
	}
	return current;
}

/** Throws a RangeError naming the bad value; callers add the item context. */
export function resolveDueDate(itemDue: string | undefined, options: DueDateOptions): DueDate {
	const zone = options.timezone;
	if (!DateTime.local().setZone(zone).isValid) throw new RangeError(`unknown timezone "${zone}"`);
	const hour = options.hour ?? 9;
	const at = (date: DateTime) =>
		date.setZone(zone, { keepLocalTime: true }).set({ hour, minute: 0, second: 0, millisecond: 0 });

	if (itemDue !== undefined && itemDue.trim() !== '') {
		const text = itemDue.trim();
		if (DATE_ONLY.test(text)) {
			const day = DateTime.fromISO(text, { zone });
			if (!day.isValid) throw new RangeError(`due date "${text}" is not a real calendar date`);
			return { date: text, instant: at(day).toUTC().toISO()!, source: 'item' };
		}
		const moment = DateTime.fromISO(text, { setZone: true });
		if (!moment.isValid) throw new RangeError(`due date "${text}" is not an ISO date or timestamp`);
		const local = moment.setZone(zone);
		return { date: local.toISODate()!, instant: moment.toUTC().toISO()!, source: 'item' };
	}

	if (!Number.isInteger(options.businessDays) || options.businessDays < 0) {
		throw new RangeError(`business days must be a whole number ≥ 0, got ${options.businessDays}`);
	}
	const start = DateTime.fromISO(options.from, { setZone: true });
	if (!start.isValid)
		throw new RangeError(`conversation time "${options.from}" is not an ISO timestamp`);
	const due = addBusinessDays(start.setZone(zone).startOf('day'), options.businessDays);
	return { date: due.toISODate()!, instant: at(due).toUTC().toISO()!, source: 'businessDays' };
}
